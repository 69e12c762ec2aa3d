"""Repeated questions from the answer cache (invalidated by a publication), and a full or slow worker
refusing asks at once with 503 + Retry-After instead of queueing them."""
from __future__ import annotations

from helpdesk.answering.admission import Admission
from helpdesk.answering.answer_cache import AnswerCache
from helpdesk.answering.service import admission
from helpdesk.observability.metrics import ASK_CACHE, ASKS_REJECTED

QUESTION = "研究セキュリティ相談窓口の受付時間は何時から何時までですか"
ANSWER = "相談窓口の受付時間は、平日の午前9時30分から午後5時までです。土日祝日と年末年始は休みです。"


def _hits() -> float:
    return ASK_CACHE.labels("hit")._value.get()


def _ask(client, question: str, **extra):
    response = client.post("/api/v1/ask", json={"question": question, **extra})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_a_repeated_question_is_answered_from_the_cache_until_a_publication(app, search_service, two_curators, publish):
    client = app.test_client()
    asked = "研究セキュリティ相談窓口の受付時間を教えてください"
    first = _ask(client, asked)
    hits = _hits()
    again = _ask(client, f"  {asked}\n")  # the same question, differently spaced
    assert _hits() == hits + 1
    assert again["answer_markdown"] == first["answer_markdown"]
    assert again["conversation_id"] != first["conversation_id"]  # still stored as its own exchange

    author, reviewer = two_curators(app)
    publish(author, reviewer, slug="hours-cache", question=QUESTION, answer=ANSWER)
    after = _ask(client, asked)
    assert _hits() == hits + 1  # the publication changed the index: answered afresh
    assert "faq-desk/hours-cache" in after["answer_markdown"]
    assert after["answer_markdown"] != first["answer_markdown"]


def test_follow_ups_are_not_served_from_the_cache(app, search_service):
    client = app.test_client()
    opening = _ask(client, "デュー・ディリジェンスとは何ですか")
    _ask(client, "対象者は誰ですか", conversation_id=opening["conversation_id"])
    hits = _hits()
    _ask(client, "対象者は誰ですか", conversation_id=opening["conversation_id"])
    assert _hits() == hits


def test_the_cache_is_bounded_and_keyed_by_language_and_state():
    cache, calls = AnswerCache(2), []

    def answer(value):
        return lambda: calls.append(value) or value

    assert cache.get_or_answer("Q", "ja", 1, answer("a")) == "a"
    assert cache.get_or_answer("q", "ja", 1, answer("b")) == "a"  # casefolded: the same question
    assert cache.get_or_answer("q", "en", 1, answer("c")) == "c"
    assert cache.get_or_answer("q", "ja", 2, answer("d")) == "d"  # another index state
    assert cache.get_or_answer("Q", "ja", 1, answer("e")) == "e"  # the oldest fell out (size 2)
    assert calls == ["a", "c", "d", "e"]
    assert AnswerCache(0).get_or_answer("q", "ja", 1, answer("f")) == "f"


def test_a_full_worker_refuses_asks_at_once_with_retry_after(app, search_service, csrf_token):
    app.config.update(HELPDESK_MAX_INFLIGHT_ASKS=1, HELPDESK_OVERLOAD_RETRY_AFTER=2)
    client = app.test_client()
    with app.app_context(), admission().slot() as admitted:  # another request holds the only slot
        assert admitted
        refused = client.post("/api/v1/ask", json={"question": "研究セキュリティとは何ですか"})
        assert refused.status_code == 503
        assert refused.headers["Retry-After"] == "2"
        assert refused.get_json()["error"]["code"] == "busy"
        page = client.post("/", data={"question": "研究セキュリティとは何ですか", "csrf_token": csrf_token(client, "/")})
        assert page.status_code == 503
        assert page.headers["Retry-After"] == "2"
        assert "混み合っています" in page.get_data(as_text=True)
        # The API refuses before it reads the body: bad input gets the 503 too (its retry, the 400).
        assert client.post("/api/v1/ask", json={"question": ""}).status_code == 503
    # Slot free again (a fresh client: the page visit gave this one a session, which needs a CSRF token).
    assert app.test_client().post("/api/v1/ask", json={"question": "研究セキュリティとは何ですか"}).status_code == 200


def test_the_api_refuses_a_busy_ask_before_its_other_work(app, search_service):
    """A refusal costs the worker little of what the asks it serves need: no statement reaches the database
    (the desk-FAQ sync's read comes after it), and the body is not validated (a malformed one is refused alike)."""
    from sqlalchemy import event

    from helpdesk.extensions import db

    app.config.update(HELPDESK_MAX_INFLIGHT_ASKS=1)
    client = app.test_client()
    statements = []
    with app.app_context():
        engine = db.engine
        rejected = ASKS_REJECTED._value.get()

        def count(*_args) -> None:
            statements.append(1)

        event.listen(engine, "before_cursor_execute", count)
        try:
            with admission().slot() as admitted:  # another request holds the only slot
                assert admitted
                refused = client.post("/api/v1/ask?lang=en", json={"question": "What is research security?"})
                malformed = client.post("/api/v1/ask", data="{not json", content_type="application/json")
        finally:
            event.remove(engine, "before_cursor_execute", count)
    assert refused.status_code == 503
    assert refused.headers["Retry-After"] == "1"
    assert refused.get_json()["error"]["code"] == "busy"
    assert "busy" in refused.get_json()["error"]["message"].lower()  # in the request's language
    assert refused.headers["X-Request-ID"]
    assert malformed.status_code == 503
    assert statements == []
    assert ASKS_REJECTED._value.get() == rejected + 2  # counted once each
    served = client.post("/api/v1/ask", json={"question": "研究セキュリティとは何ですか"})
    assert served.status_code == 200  # the slot free again: the view's own admission takes it


class _Clock:
    """A clock the test moves by hand: service times without timing anything."""

    def __init__(self) -> None:
        self.now = 0.0  # and steps of 1/16 s: exact in binary

    def __call__(self) -> float:
        return self.now


def _answer_one(admission, clock, seconds: float) -> None:
    with admission.slot() as admitted:
        assert admitted
        clock.now += seconds


def test_asks_beyond_the_wait_budget_are_refused_and_idle_time_is_no_service_time():
    clock = _Clock()
    gate = Admission(limit=0, budget=0.125, clock=clock)
    assert gate.service_time is None
    assert gate.expected_wait() == 0.0
    _answer_one(gate, clock, 0.0625)
    clock.now += 64  # idle: not part of the next ask's service time
    _answer_one(gate, clock, 0.0625)
    assert gate.service_time == 0.0625
    with gate.slot() as first, gate.slot() as second, gate.slot() as third:
        assert first
        assert second
        assert third
        assert gate.expected_wait() == 0.1875
        with gate.slot() as fourth:
            assert not fourth  # 3 ahead: 3/16 s expected
        clock.now += 1.0  # the first of them took a second of the worker's time
    assert gate.service_time > 0.0625  # the busy time between answers went up
    with gate.slot() as again:
        assert again  # nothing ahead: admitted whatever the service time


def test_the_budget_and_the_limit_are_configured_and_zero_turns_each_off(app):
    app.config.update(HELPDESK_MAX_INFLIGHT_ASKS=3, HELPDESK_ASK_WAIT_BUDGET_MS=400)
    with app.app_context():
        gate = admission()
        assert (gate.limit, gate.budget) == (3, 0.4)
    clock = _Clock()
    unlimited = Admission(limit=0, budget=0.0, clock=clock)
    _answer_one(unlimited, clock, 10.0)
    with unlimited.slot() as a, unlimited.slot() as b, unlimited.slot() as c:
        assert a
        assert b
        assert c


def test_an_ask_that_would_wait_too_long_gets_a_503_with_retry_after(app, search_service):
    app.config.update(HELPDESK_OVERLOAD_RETRY_AFTER=3)
    clock = _Clock()
    gate = Admission(limit=0, budget=0.25, clock=clock)
    _answer_one(gate, clock, 0.25)  # asks take this worker 1/4 s
    app.extensions["helpdesk.admission"] = gate
    client = app.test_client()
    with gate.slot(), gate.slot():  # two asks ahead: 1/2 s expected wait
        refused = client.post("/api/v1/ask", json={"question": "研究セキュリティとは何ですか"})
        assert refused.status_code == 503
        assert refused.headers["Retry-After"] == "3"
        assert refused.get_json()["error"]["code"] == "busy"
    answered = client.post("/api/v1/ask", json={"question": "研究セキュリティとは何ですか"})
    assert answered.status_code == 200, answered.get_data(as_text=True)


def test_the_time_an_ask_has_spent_in_the_worker_counts_against_the_budget():
    clock = _Clock()
    gate = Admission(limit=0, budget=0.25, clock=clock)
    _answer_one(gate, clock, 0.125)  # asks take this worker 1/8 s
    with gate.slot():  # one ask ahead: 1/8 s to wait for it
        assert gate.expected_wait(waited=0.0625) == 0.1875
        with gate.slot(waited=0.0625) as soon:
            assert soon  # 1/16 s in the worker already + 1/8 s ahead: within 1/4 s
        with gate.slot(waited=0.1875) as late:
            assert not late  # 3/16 s already + 1/8 s ahead: the client would wait longer than the budget
    with gate.slot(waited=1.0) as alone:
        assert alone  # nothing ahead: taken on however long it took to get here (the worker would idle)


def test_the_api_counts_the_request_s_time_before_the_view(app, search_service, monkeypatch):
    clock = _Clock()
    gate = Admission(limit=0, budget=0.25, clock=clock)
    _answer_one(gate, clock, 0.125)
    app.extensions["helpdesk.admission"] = gate
    client = app.test_client()
    question = {"question": "研究セキュリティとは何ですか"}
    with gate.slot():  # one ask ahead: 1/8 s
        monkeypatch.setattr("helpdesk.answering.service.request_age", lambda: 0.1875)
        refused = client.post("/api/v1/ask", json=question)
        assert refused.status_code == 503
        assert refused.get_json()["error"]["code"] == "busy"
        monkeypatch.setattr("helpdesk.answering.service.request_age", lambda: 0.0625)
        answered = client.post("/api/v1/ask", json=question)
        assert answered.status_code == 200, answered.get_data(as_text=True)


def test_a_request_s_age_is_measured_from_its_first_hook(app):
    from helpdesk.observability.metrics import request_age

    seen = []
    app.add_url_rule("/_age", "age_probe", lambda: seen.append(request_age()) or "ok")
    assert app.test_client().get("/_age").status_code == 200
    assert seen[0] is not None
    assert seen[0] >= 0.0
    with app.test_request_context("/"):
        assert request_age() is None  # no request went through the hooks
    assert request_age() is None  # outside any request


def test_other_work_that_embeds_a_query_is_counted_ahead_of_asks_and_never_refused():
    clock = _Clock()
    gate = Admission(limit=1, budget=0.125, clock=clock)
    with gate.occupy():
        clock.now += 0.0625
    assert gate.service_time == 0.0625  # charged like an ask's
    with gate.slot() as ask:  # the worker is full
        assert ask
        with gate.occupy():  # a ticket's triage is taken on all the same
            assert gate.expected_wait() == 0.125
        clock.now += 0.0625
    with gate.occupy():
        with gate.slot() as behind:
            assert not behind  # the occupied worker is full for asks
        clock.now += 0.0625
    with gate.slot() as after:
        assert after  # occupancy ends with the work


def _full_while(monkeypatch, app, module, name: str) -> list[bool]:
    """Replace `module.name` with a wrapper that, when the real function is called, asks the worker for an ask's
    slot (limit 1: any counted work fills it); returns what it was told each time, True for admitted."""
    seen = []
    real = getattr(module, name)

    def wrapped(*args, **kwargs):
        with admission().slot() as admitted:
            seen.append(admitted)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapped)
    app.config["HELPDESK_MAX_INFLIGHT_ASKS"] = 1
    return seen


def test_a_ticket_s_triage_and_a_search_occupy_the_worker_as_an_ask_does(app, search_service, new_user, client_as,
                                                                          api_headers, monkeypatch):
    import helpdesk.tickets.handoff as handoff
    from helpdesk.search.service import SearchService
    from helpdesk.tickets.consent import VERSION

    new_user(app, "occupy@example.jp")
    client = client_as(app, "occupy@example.jp")
    seen = _full_while(monkeypatch, app, handoff, "classify")
    created = client.post("/api/v1/tickets", headers=api_headers(client), json={
        "question": "海外の共同研究先から研究者を受け入れる際の確認事項を相談したいです",
        "consent": {"version": VERSION, "agree": True, "declare": True}})
    assert created.status_code == 201, created.get_data(as_text=True)
    assert seen == [False]  # during the ticket's triage an ask would have been refused

    searched = _full_while(monkeypatch, app, SearchService, "search")
    found = client.get("/api/v1/search", query_string={"q": "デュー・ディリジェンス", "k": 3})
    assert found.status_code == 200
    assert searched == [False]
    with app.app_context(), admission().slot() as free:
        assert free  # both gave their slot back
