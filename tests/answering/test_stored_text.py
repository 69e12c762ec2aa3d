"""A stored answer's plain text: derived from its Markdown when read, found by its words in SQL."""
from __future__ import annotations

from sqlalchemy import select

from helpdesk.answering import markup
from helpdesk.answering.models import Message
from helpdesk.extensions import db


def test_an_answer_s_plain_text_is_derived_when_read_and_searchable(app, search_service):
    question = "デュー・ディリジェンスとは何ですか"
    response = app.test_client().post("/api/v1/ask", json={"question": question})
    assert response.status_code == 200
    payload = response.get_json()
    with app.app_context():
        answer = db.session.get(Message, payload["message_id"])
        asked = db.session.scalars(select(Message).where(Message.conversation_id == answer.conversation_id,
                                                         Message.role == "user")).one()
        assert asked.stored_text == question
        assert asked.text == question
        assert answer.stored_text is None  # not rendered on the ask
        assert answer.text == markup.to_text(payload["answer_markdown"])
        assert "](" not in answer.text  # plain text: no Markdown link syntax
        word = "デュー・ディリジェンス"
        found = db.session.scalars(select(Message.id).where(Message.text.contains(word))).all()
        assert {asked.id, answer.id} <= set(found)


def test_answers_stored_with_their_text_keep_it(app):
    from helpdesk.answering.models import Conversation

    with app.app_context():
        conversation = Conversation(lang="ja")
        conversation.messages.append(Message(role="assistant", lang="ja", text="保存された本文", answer_markdown="**別**"))
        db.session.add(conversation)
        db.session.commit()
        stored = db.session.scalars(select(Message).where(Message.text == "保存された本文")).one()
        assert stored.text == "保存された本文"
