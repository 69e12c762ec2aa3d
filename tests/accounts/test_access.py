"""Role/queue rules, queue visibility and the view guards (role_required, require_queue_access)."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from helpdesk.accounts import AccountError, can_access, require_queue_access, role_required, visible_queues
from helpdesk.accounts.access import emergency_programme_fa
from helpdesk.accounts.roles import ALL_QUEUES, checked_role_and_queue

PASSWORD = "correct horse battery"
ROLE_QUEUES = [
    ("researcher", None), ("desk_agent", "desk"), ("fa_agent", "jst"), ("ministry_agent", "meti"),
    ("curator", None), ("admin", None),
]


def person(role, queue=None, id=1, active=True):
    return SimpleNamespace(id=id, role=role, queue=queue, is_authenticated=True, is_active=active)


@pytest.mark.parametrize(
    ("role", "queue", "expected"),
    [
        ("desk_agent", None, ("desk_agent", "desk")),
        ("fa_agent", " amed ", ("fa_agent", "amed")),
        ("ministry_agent", "cao", ("ministry_agent", "cao")),
        ("researcher", "", ("researcher", None)),
    ],
)
def test_valid_role_queue_pairs(role, queue, expected):
    assert checked_role_and_queue(role, queue) == expected


@pytest.mark.parametrize(
    ("role", "queue", "message"),
    [
        ("superuser", None, "The role must be one of: researcher, desk_agent"),
        ("fa_agent", None, "Role fa_agent needs a queue, one of: jst, amed, nedo, jsps, fa-triage"),
        ("fa_agent", "cao", "Role fa_agent needs a queue"),
        ("ministry_agent", "jst", "Role ministry_agent needs a queue, one of: cao, mext, meti"),
        ("desk_agent", "emergency", "Role desk_agent needs a queue, one of: desk"),
        ("curator", "desk", "Role curator has no queue"),
    ],
)
def test_invalid_role_queue_pairs_say_why(role, queue, message):
    with pytest.raises(AccountError) as caught:
        checked_role_and_queue(role, queue)
    assert message in str(caught.value)


def test_visible_queues_rule():
    assert visible_queues(person("admin")) == set(ALL_QUEUES)
    assert visible_queues(person("desk_agent", "desk")) == {"desk", "emergency"}
    assert visible_queues(person("ministry_agent", "cao")) == {"cao", "emergency"}
    assert visible_queues(person("ministry_agent", "meti")) == {"meti"}
    assert visible_queues(person("fa_agent", "jst")) == {"jst"}
    assert visible_queues(person("researcher")) == set()
    assert visible_queues(person("curator")) == set()
    assert visible_queues(person("admin", active=False)) == set()
    assert visible_queues(SimpleNamespace(is_authenticated=False, is_active=False)) == set()
    assert emergency_programme_fa(person("fa_agent", "amed")) == "amed"
    assert emergency_programme_fa(person("desk_agent", "desk")) is None


def test_can_access_objects():
    jst = person("fa_agent", "jst")
    assert can_access(jst, "jst")
    assert not can_access(jst, "amed")
    assert can_access(jst, "emergency", programme_fa="jst")
    assert not can_access(jst, "emergency", programme_fa="amed")
    assert not can_access(jst, "emergency")
    assert not can_access(person("ministry_agent", "meti"), "emergency", programme_fa="jst")
    researcher = person("researcher", id=7)
    assert can_access(researcher, "desk", owner_id=7)
    assert not can_access(researcher, "desk", owner_id=8)
    assert not can_access(person("curator"), "desk", owner_id=1)


def test_require_queue_access_answers_404_outside_the_users_queues(app, make_user, login):
    @app.get("/_test/ticket/<queue>")
    @role_required("desk_agent", "fa_agent", "ministry_agent", "admin")
    def ticket(queue):
        from flask_login import current_user

        require_queue_access(current_user, queue)
        return {"queue": queue}

    make_user(app, "amed@example.org", "fa_agent", "amed")
    client = app.test_client()
    login(client, "amed@example.org", PASSWORD)
    assert client.get("/_test/ticket/amed").get_json() == {"queue": "amed"}
    assert client.get("/_test/ticket/jst").status_code == 404
    assert client.get("/_test/ticket/emergency").status_code == 404


def test_role_required_answers_json_for_api_calls(app, make_user, login):
    @app.get("/api/_test/desk-only")
    @role_required("desk_agent")
    def desk_only():
        return {"ok": True}

    client = app.test_client()
    response = client.get("/api/_test/desk-only")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "login_required"
    make_user(app, "c@example.org", "curator")
    login(client, "c@example.org", PASSWORD)
    response = client.get("/api/_test/desk-only")
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"


ADMIN_PAGES = ["/admin/audit", "/admin/audit.csv", "/admin/users"]


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_admin_pages_send_anonymous_visitors_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")


@pytest.mark.parametrize(("role", "queue"), ROLE_QUEUES)
def test_admin_pages_role_matrix(app, role, queue, make_user, csrf_token, login):
    make_user(app, f"{role}@example.org", role, queue)
    target_id = make_user(app, "target@example.org", "researcher")
    client = app.test_client()
    assert login(client, f"{role}@example.org", PASSWORD).status_code == 302
    expected = 200 if role == "admin" else 403
    for url in ADMIN_PAGES:
        assert client.get(url).status_code == expected, url
    token = csrf_token(client, "/login")
    posts = {
        f"/admin/users/{target_id}/role": {f"u{target_id}-role": "curator", f"u{target_id}-queue": "",
                                           f"u{target_id}-csrf_token": token},
        f"/admin/users/{target_id}/deactivate": {"csrf_token": token},
    }
    for url, data in posts.items():
        assert client.post(url, data=data).status_code == (303 if role == "admin" else 403), url
