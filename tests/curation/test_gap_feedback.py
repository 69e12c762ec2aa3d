"""The gap report shows what went wrong: unhelpful answers at any confidence, handoffs after an answer,
distinct questions grouped (repeats collapse), masked text, and never a funding-agency case."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from helpdesk.extensions import db

CONFIDENT = "研究インテグリティと研究セキュリティの違いは何ですか"
HANDED = "外国の共同研究先の確認はどこまで必要ですか"
PRAISED = "研究セキュリティとは何ですか"
REPEATS = ("ASPIREの締切を延ばせますか", "ASPIREの締切を延ばせますか", "aspireの締切を延ばせますか",
           "ASPIREの締切を延ばせますか？", "ASPIREの申請期限は延長できますか")
FA_QUESTION = "JSTの事業で採択後の経費の費目変更はどう申請しますか"


@pytest.fixture
def exchange(routes):
    def _exchange(question, *, confidence=0.9, answerable=True, route=None, user_id=None, when=None) -> tuple[str, int]:
        """A stored chat exchange; returns (conversation id, the answer's message id)."""
        from helpdesk.answering.models import Conversation, Message

        when = when or datetime.now(UTC)
        conversation = Conversation(lang="ja", user_id=user_id)
        db.session.add(conversation)
        conversation.messages.append(Message(role="user", lang="ja", text=question, created_at=when))
        answer = Message(role="assistant", lang="ja", text="…", answer_markdown="…", answerable=answerable,
                         confidence=confidence, created_at=when, route=route or routes["desk"])
        conversation.messages.append(answer)
        db.session.flush()
        return conversation.id, answer.id

    return _exchange


def _gap_rows(client) -> list[str]:
    response = client.get("/curation/gaps?days=30")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    gaps = page.split("週ごとのよくある質問", 1)[0]  # the weekly tables follow the gap table
    table = gaps.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in gaps else ""
    return page, table.split("<tr>")[1:]


def test_feedback_and_handoffs_reach_the_gap_report(app, search_service, new_user, two_curators, routes, exchange):
    from helpdesk.accounts.models import User
    from helpdesk.answering.feedback import give
    from helpdesk.tickets import service

    owner_id = new_user(app, "asker@example.org")
    with app.app_context():
        owner = db.session.get(User, owner_id)
        # A confident answer the asker found unhelpful, saying so with their address in the comment.
        conversation, answer = exchange(CONFIDENT, confidence=0.92, user_id=owner_id)
        give(conversation, answer, False, "違いが分かりませんでした。asker@example.org まで", user_id=owner_id)
        # A confident answer rated helpful is no gap.
        conversation, answer = exchange(PRAISED, confidence=0.95)
        give(conversation, answer, True)
        # A confident answer after which the asker asked a person; the closed ticket is listed once.
        conversation, answer = exchange(HANDED, confidence=0.9, user_id=owner_id)
        ticket = service.create_ticket(owner, HANDED, routes["desk"], lang="ja", consent_lang="ja",
                                       conversation_id=conversation, message_id=answer)
        ticket.status, ticket.closed_at = "closed", datetime.now(UTC).replace(tzinfo=None)
        db.session.commit()

    author, _ = two_curators(app)
    page, rows = _gap_rows(author)
    [unhelpful] = [row for row in rows if CONFIDENT in row]
    assert "「役に立たなかった」の評価: 1" in unhelpful
    assert "確からしさが低い" not in unhelpful
    assert "違いが分かりませんでした。" in unhelpful
    assert "[メールアドレス]" in unhelpful
    assert "asker@example.org" not in page
    [handed] = [row for row in rows if HANDED in row]
    assert "回答後に担当者へ引き継ぎ: 1" in handed
    assert "<td>1</td>" in handed
    assert "引き継ぎ: 1<br>" not in handed.replace("回答後に担当者へ引き継ぎ: 1<br>", "")  # not again as a ticket
    assert not any(PRAISED in row for row in rows)
    # Rated helpful or not, every desk question still counts among the week's most asked.
    assert PRAISED in page.split("週ごとのよくある質問", 1)[1]


def test_identical_and_near_identical_questions_collapse_into_one_group(app, search_service, two_curators, exchange):
    with app.app_context():
        for n, question in enumerate(REPEATS):
            exchange(question, confidence=0.2, answerable=False,
                      when=datetime.now(UTC) - timedelta(hours=n))
        db.session.commit()

    author, _ = two_curators(app)
    _, rows = _gap_rows(author)
    assert len(rows) == 1
    [row] = rows
    cells = row.split("<td>")
    assert cells[1].startswith("5</td>")  # every ask counts
    examples = cells[3].split("</ul>", 1)[0]
    # Each wording once (NFKC and case fold make "aspire" a repeat); the paraphrase is one of them.
    assert examples.count("<li>ASPIREの締切を延ばせますか</li>") == 1
    assert "aspireの締切" not in examples
    assert "<li>ASPIREの締切を延ばせますか？</li>" in examples
    assert "<li>ASPIREの申請期限は延長できますか</li>" in examples
    assert cells[2].startswith("3</td>")


def test_a_funding_agency_case_never_appears(app, search_service, new_user, two_curators, routes, exchange):
    from helpdesk.accounts.models import User
    from helpdesk.answering.feedback import give
    from helpdesk.tickets import service

    owner_id = new_user(app, "asker@example.org")
    with app.app_context():
        owner = db.session.get(User, owner_id)
        # Routed to JST, declined, rated unhelpful with a comment, handed over and closed in the JST queue.
        conversation, answer = exchange(FA_QUESTION, confidence=0.1, answerable=False, route=routes["jst"],
                                         user_id=owner_id)
        give(conversation, answer, False, "JSTの回答が欲しい", user_id=owner_id)
        ticket = service.create_ticket(owner, FA_QUESTION, routes["jst"], lang="ja", consent_lang="ja",
                                       conversation_id=conversation, message_id=answer)
        ticket.status = "closed"
        # A desk answer handed over, then rerouted to JST: no longer the desk's case.
        conversation, answer = exchange(HANDED, user_id=owner_id)
        rerouted = service.create_ticket(owner, HANDED, routes["desk"], lang="ja", consent_lang="ja",
                                         conversation_id=conversation, message_id=answer)
        rerouted.queue = "jst"
        db.session.commit()

    author, _ = two_curators(app)
    page, rows = _gap_rows(author)
    assert FA_QUESTION not in page
    assert "JSTの回答が欲しい" not in page
    assert rows == []  # the rerouted handoff is not the desk's shortfall (its question stays among the week's asked)
