"""Feedback on answers: `POST /api/v1/feedback` from the chat page, one verdict per answer, audited, CSRF-protected."""
from __future__ import annotations

from datetime import UTC

import pytest

from helpdesk.extensions import db

QUESTION = "研究者が申告すべき情報は何ですか"


@pytest.fixture
def ask(csrf_token):
    def _ask(client) -> tuple[dict, str]:
        token = csrf_token(client, "/")
        answer = client.post("/api/v1/ask", json={"question": QUESTION}, headers={"X-CSRFToken": token}).get_json()
        return answer, token

    return _ask


def _rate(client, token, answer, **fields):
    body = {"conversation_id": answer["conversation_id"], "message_id": answer["message_id"], **fields}
    return client.post("/api/v1/feedback", json=body, headers={"X-CSRFToken": token})


def _rows(app):
    from helpdesk.answering.models import AnswerFeedback

    with app.app_context():
        return [(f.message_id, f.helpful, f.comment, f.user_id) for f in db.session.scalars(db.select(AnswerFeedback))]


def _events(app):
    from helpdesk.audit import AuditEvent

    with app.app_context():
        return [(e.object_id, e.details, e.actor_id) for e in
                db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "answer.rated").order_by(AuditEvent.seq))]


def test_an_anonymous_asker_rates_an_answer_and_changes_the_rating(app, client, search_service, ask):
    answer, token = ask(client)
    page = client.get("/").get_data(as_text=True)
    assert f'data-message-id="{answer["message_id"]}"' in page
    assert "この回答は役に立ちましたか？" in page
    assert 'aria-pressed="true"' not in page

    response = _rate(client, token, answer, helpful=False, comment="  申告の\x1b期限が知りたかった\x07  ")
    assert response.status_code == 200
    assert response.get_json() == {"message_id": answer["message_id"], "helpful": False,
                                   "comment": "申告の期限が知りたかった"}
    # Changing one's mind replaces the verdict: still one row for the answer.
    assert _rate(client, token, answer, helpful=True).status_code == 200
    assert _rows(app) == [(answer["message_id"], True, None, None)]
    events = _events(app)
    assert [e[1] for e in events] == [{"helpful": False, "with_comment": True, "changed": False},
                                      {"helpful": True, "with_comment": False, "changed": True}]
    assert all(e[0] == str(answer["message_id"]) and e[2] is None for e in events)
    # The page shows the rating given, ready to be changed.
    page = client.get("/").get_data(as_text=True)
    assert 'data-helpful="true"\n            aria-pressed="true"' in page


def test_a_logged_in_owner_rates_and_nobody_else_can(app, search_service, new_user, client_as, csrf_token, api_headers,
                                                     ask):
    owner_id = new_user(app, "owner@example.org")
    owner = client_as(app, "owner@example.org")
    answer, token = ask(owner)
    assert _rate(owner, token, answer, helpful=False, comment="違う").status_code == 200
    assert _rows(app) == [(answer["message_id"], False, "違う", owner_id)]
    assert _events(app)[0][2] == owner_id

    # The conversation id alone is no proof for an owned conversation.
    stranger = client_as(app, None)
    response = _rate(stranger, csrf_token(stranger, "/"), answer, helpful=True)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
    new_user(app, "other@example.org")
    other = client_as(app, "other@example.org")
    assert _rate(other, api_headers(other)["X-CSRFToken"], answer, helpful=True).status_code == 404
    # Only answers can be rated: the question's own message is not one.
    assert _rate(owner, token, {**answer, "message_id": answer["message_id"] - 1}, helpful=True).status_code == 404
    assert _rows(app) == [(answer["message_id"], False, "違う", owner_id)]


def test_feedback_needs_the_csrf_token(app, client, search_service, ask):
    answer, _ = ask(client)
    response = _rate(client, "forged", answer, helpful=True)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "csrf_failed"
    assert _rows(app) == []


@pytest.mark.parametrize(("fields", "code"), [
    ({"helpful": "yes"}, "bad_helpful"),
    ({"helpful": None}, "bad_helpful"),
    ({"helpful": True, "message_id": "1"}, "bad_message_id"),
    ({"helpful": True, "message_id": True}, "bad_message_id"),
    ({"helpful": True, "message_id": 2**40}, "bad_message_id"),
    ({"helpful": True, "comment": ["a"]}, "bad_comment"),
    ({"helpful": False, "comment": "長" * 501}, "comment_too_long"),
    ({"helpful": True, "conversation_id": "x" * 100}, "not_found"),
    ({"helpful": True, "conversation_id": 5}, "not_found"),
])
def test_bad_feedback_gets_a_json_error_and_stores_nothing(app, client, search_service, fields, code, ask):
    answer, token = ask(client)
    response = _rate(client, token, answer, **fields)
    assert response.status_code == (404 if code == "not_found" else 400)
    assert response.get_json()["error"]["code"] == code
    assert response.get_json()["error"]["message"]
    assert _rows(app) == []


def test_malformed_bodies_are_refused(client, search_service, csrf_token):
    token = csrf_token(client, "/")
    headers = {"X-CSRFToken": token}
    assert client.post("/api/v1/feedback", data="helpful", headers=headers).status_code == 415
    response = client.post("/api/v1/feedback", json=[1, 2], headers=headers)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "not_an_object"
    response = client.post("/api/v1/feedback", data="{", content_type="application/json", headers=headers)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_json"


def test_ratings_are_purged_with_their_conversation(app):
    from datetime import datetime, timedelta

    from helpdesk.answering.feedback import give
    from helpdesk.answering.models import Conversation, Message

    old = datetime.now(UTC) - timedelta(days=400)
    with app.app_context():
        conversation = Conversation(lang="ja", created_at=old)
        db.session.add(conversation)
        conversation.messages.append(Message(role="user", lang="ja", text="質問", created_at=old))
        answer = Message(role="assistant", lang="ja", text="回答", created_at=old)
        conversation.messages.append(answer)
        db.session.flush()
        give(conversation.id, answer.id, False, "古いコメント")
        answer_id = answer.id
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["purge", "--older-than", "365"])
    assert result.exit_code == 0, result.output
    assert _rows(app) == []
    assert [e[0] for e in _events(app)] == [str(answer_id)]  # the audit event stays
