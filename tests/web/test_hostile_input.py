"""Issue 14 item 7: hostile input gets a clear 4xx (JSON under /api/), never a 500.

First one regression test per reported case, then a hypothesis test over every route of the app
(enumerated from `app.url_map`, so a new route is covered without editing this file), as each role.
"""
from __future__ import annotations

import re
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

DEEP = "[" * 10_000 + "]" * 10_000
DEEP_OBJECT = '{"a":' * 10_000 + "1" + "}" * 10_000
LONG_INT = "1" * 4_301
SURROGATE = '"question \\ud800 with an unpaired surrogate"'
HUGE_ID = "9" * 40


@pytest.fixture
def people(app, new_user):
    return {
        "researcher": new_user(app, "researcher@example.jp"),
        "desk_agent": new_user(app, "desk@example.jp", "desk_agent"),
        "fa_agent": new_user(app, "jst@example.jp", "fa_agent", "jst"),
        "ministry_agent": new_user(app, "cao@example.jp", "ministry_agent", "cao"),
        "curator": new_user(app, "curator@example.jp", "curator"),
        "admin": new_user(app, "admin@example.jp", "admin"),
    }


EMAILS = {"researcher": "researcher@example.jp", "desk_agent": "desk@example.jp", "fa_agent": "jst@example.jp",
          "ministry_agent": "cao@example.jp", "curator": "curator@example.jp", "admin": "admin@example.jp",
          "anonymous": None}


def _json_post(client, url: str, raw: str, headers: dict | None = None):
    return client.post(url, data=raw, content_type="application/json", headers=headers or {})


def _assert_json_4xx(response, code: str | None = None):
    assert 400 <= response.status_code < 500, response.get_data(as_text=True)[:300]
    assert response.is_json, response.get_data(as_text=True)[:300]
    if code:
        assert response.get_json()["error"]["code"] == code


@pytest.mark.parametrize(("raw", "code"), [
    (DEEP, "too_deep"), (DEEP_OBJECT, "too_deep"), ('{"question": ' + "[" * 40 + "]" * 40 + "}", "too_deep"),
    ('{"question": ' + LONG_INT + "}", "invalid_json"), ('{"question": ' + SURROGATE + "}", "invalid_text"),
    ('{"question": "ok", "conversation_id": ' + SURROGATE + "}", "invalid_text"),
])
def test_item7_hostile_json_to_ask_is_a_clear_400(app, raw, code):
    _assert_json_4xx(_json_post(app.test_client(), "/api/v1/ask", raw), code)


@pytest.mark.parametrize(("raw", "code"), [
    (DEEP, "too_deep"), ('{"body": ' + LONG_INT + "}", "invalid_json"),
    ('{"question": ' + SURROGATE + ', "consent": {"agree": true}}', "invalid_text"),
    ('{"body": ' + SURROGATE + "}", "invalid_text"), ('{' + SURROGATE + ': 1}', "invalid_text"),
])
def test_item7_hostile_json_to_the_tickets_api_is_a_clear_400(app, people, raw, code, make_ticket, client_as,
                                                              api_headers):
    ref = make_ticket(app, people["researcher"], "desk")
    researcher = client_as(app, EMAILS["researcher"])
    headers = api_headers(researcher)
    _assert_json_4xx(_json_post(researcher, "/api/v1/tickets", raw, headers), code)
    _assert_json_4xx(_json_post(researcher, f"/api/v1/tickets/{ref}/replies", raw, headers), code)
    desk = client_as(app, EMAILS["desk_agent"])
    _assert_json_4xx(_json_post(desk, f"/api/v1/tickets/{ref}/replies", raw, api_headers(desk)), code)


def test_item7_oversized_ids_are_not_found_or_refused(app, people, csrf_token, client_as):
    curator, admin = client_as(app, EMAILS["curator"]), client_as(app, EMAILS["admin"])
    for url in (f"/curation/{HUGE_ID}", f"/curation/{HUGE_ID}/edit", f"/curation/{2**31}",
                f"/curation/{'9' * 5000}/diff?from=1&to=2"):
        assert curator.get(url).status_code == 404, url
    token = csrf_token(admin, "/admin/users")
    for user_id in (HUGE_ID, str(2**31), "9" * 5000):
        assert admin.post(f"/admin/users/{user_id}/role", data={"csrf_token": token}).status_code == 404
    for actor in (HUGE_ID, "²", "١٢"):
        refused = admin.get(f"/admin/audit?{urlencode({'actor': actor})}")
        assert refused.status_code == 400
        assert "該当する利用者がいません" in refused.get_data(as_text=True)
    assert admin.get(f"/admin/audit?actor={'9' * 5000}").status_code == 400  # longer than any address
    assert admin.get(f"/admin/audit.csv?actor={HUGE_ID}").status_code == 400
    for source in (f"ticket:{HUGE_ID}", f"chat:{'9' * 5000}", "ticket:1", "chat:1", "x" * 3000):
        editor = curator.get(f"/curation/new?{urlencode({'source': source})}")
        assert editor.status_code == 200
        assert 'name="origin" type="hidden" value="gap"' not in editor.get_data(as_text=True)


def test_item7_api_errors_are_json_not_html_pages(app):
    client = app.test_client()
    _assert_json_4xx(client.get("/api/v1/ask"))  # 405
    _assert_json_4xx(client.get("/api/v1/nothing-here"))  # 404
    _assert_json_4xx(client.post("/api/v1/ask", data="question=x"), "not_json")


# --- hypothesis: every route, every role ---------------------------------------------------------

_PARAM = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")
FORM_FIELDS = ("question", "body", "reason", "queue", "status", "answer", "slug", "alternatives", "related",
               "tags", "lang", "base_revision", "origin", "conversation_id", "message_id", "role", "agree",
               "declare", "routed", "action", "email", "name", "password", "next")
QUERY_FIELDS = ("q", "k", "status", "queue", "actor", "action", "object_id", "date_from", "page", "days",
                "source", "from", "to", "after", "lang", "next")
# Requests that would end the caller's session (later examples would all run as a visitor).
SESSION_ENDING = {"auth.logout", "admin.deactivate", "admin.change_role"}
EXAMPLES_PER_ROUTE = 8

url_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)
hostile_text = st.one_of(
    url_text,
    st.sampled_from(["", " ", "\x00", "\ufeff", "%ff%fe", "../../etc/passwd", "<script>alert(1)</script>",
                     "' OR 1=1 --", HUGE_ID, "9" * 5000, "-1", "0", "1", "1e309", "NaN", "ticket:" + HUGE_ID,
                     "chat:1", "x" * 5000, "\u202e", "𠮷" * 50]),
)
ids = st.one_of(st.sampled_from(["0", "-1", "2147483647", "2147483648", "9223372036854775808", HUGE_ID, "9" * 5000,
                                 "1.5", "0x10", "١٢", "²"]),
                st.integers(min_value=0, max_value=10**45).map(str), hostile_text)


def _json_values():
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=50))
    return st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                           st.dictionaries(st.text(max_size=10), inner, max_size=4)),
                        max_leaves=12)


def _json_body():
    import json

    shaped = st.fixed_dictionaries({}, optional={
        "question": st.one_of(hostile_text, _json_values()), "body": st.one_of(hostile_text, _json_values()),
        "conversation_id": st.one_of(hostile_text, _json_values()), "message_id": st.one_of(ids, _json_values()),
        "consent": st.one_of(_json_values(), st.fixed_dictionaries({"version": st.sampled_from(["2025-01", "x"]),
                                                                   "agree": st.just(True),
                                                                   "declare": st.just(True)}))})
    return st.one_of(
        shaped.map(lambda value: json.dumps(value, ensure_ascii=False)),
        _json_values().map(json.dumps),
        st.sampled_from([DEEP, DEEP_OBJECT, LONG_INT, SURROGATE, '{"question": ' + SURROGATE + "}",
                         '{"body": ' + LONG_INT + "}", "{", "", "null", '"\\udfff"', "\xff"]),
    )


def _rules(app):
    rules = [r for r in app.url_map.iter_rules() if r.endpoint != "static" and r.endpoint not in SESSION_ENDING]
    return sorted(rules, key=lambda r: r.rule)


def _path(rule, values: dict[str, str]) -> str:
    return _PARAM.sub(lambda m: quote(values[m.group(3)], safe=""), rule.rule)


def _params(rule) -> list[tuple[str, str | None, str]]:
    return [(m.group(1) or "default", m.group(2), m.group(3)) for m in _PARAM.finditer(rule.rule)]


@st.composite
def requests_for(draw, rules, known_refs):
    rule = draw(st.sampled_from(rules))
    method = draw(st.sampled_from(sorted(rule.methods - {"HEAD", "OPTIONS"})))
    values = {}
    for converter, args, name in _params(rule):
        if converter == "any":
            choices = [a.strip() for a in args.split(",")]
            values[name] = draw(st.one_of(st.sampled_from(choices), hostile_text))
        elif converter == "int":
            values[name] = draw(st.one_of(st.sampled_from(["1", "2"]), ids))
        else:
            values[name] = draw(st.one_of(st.sampled_from(known_refs), hostile_text))
    query = draw(st.dictionaries(st.sampled_from(QUERY_FIELDS), hostile_text, max_size=3))
    url = _path(rule, values) + ("?" + urlencode(query) if query else "")
    if method != "POST":
        return method, url, None, None
    if rule.rule.startswith("/api/"):
        return method, url, "json", draw(_json_body())
    return method, url, "form", draw(st.dictionaries(st.sampled_from(FORM_FIELDS), hostile_text, max_size=5))


@pytest.mark.parametrize("role", list(EMAILS))
def test_item7_no_route_answers_hostile_input_with_a_500(app, people, search_service, role, client_as, csrf_token,
                                                         make_ticket):
    from helpdesk.accounts.models import User
    from helpdesk.corpus import load_corpus
    from helpdesk.curation import workflow
    from helpdesk.curation.content import check_content
    from helpdesk.extensions import db

    refs = [make_ticket(app, people["researcher"], queue) for queue in ("desk", "jst", "cao", "emergency")]
    with app.app_context():
        curator = db.session.get(User, people["curator"])
        content = check_content(question="学内の相談先はどこですか", alternatives=[], answer="窓口です。", related=[],
                                tags=[], lang="ja", corpus=load_corpus())
        workflow.create_entry(content, curator)
        db.session.commit()
    client = client_as(app, EMAILS[role])
    token = csrf_token(client, "/")

    def send(request):
        method, url, kind, payload = request
        headers = {"X-CSRFToken": token}
        if kind == "json":
            response = client.post(url, data=payload, content_type="application/json", headers=headers)
        elif kind == "form":
            response = client.post(url, data={"csrf_token": token, **payload}, headers=headers)
        else:
            response = client.open(url, method=method)
        # A 503 with Retry-After is a declared answer (readiness before warm-up, overload), not a failure.
        declared = response.status_code == 503 and "Retry-After" in response.headers
        assert response.status_code < 500 or declared, (method, url, payload, response.status_code)
        if url.startswith("/api/") and response.status_code >= 400:
            assert response.is_json, (method, url, response.status_code)

    # Every rule gets its own examples, so a rare route is probed as often as a common one.
    for rule in _rules(app):
        probe = settings(max_examples=EXAMPLES_PER_ROUTE, deadline=None, database=None,
                         suppress_health_check=list(HealthCheck))(
            given(requests_for([rule], refs + ["RS-23456789AB", "x" * 100]))(send))
        probe()
