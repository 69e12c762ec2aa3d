"""The content-gap report: weak and escalated questions grouped by similarity, and the weekly top questions."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from helpdesk.extensions import db

DEADLINE = ("ASPIREの締切を延ばせますか", "ASPIREの申請期限は延長できますか")
VISITOR = "海外からの研究者受入れで何を確認すべきですか。返信は asker@example.org か 03-1234-5678 へ"
WELL_ANSWERED = "研究セキュリティとは何ですか"


def _exchange(question: str, confidence: float, answerable: bool, when: datetime, user_id=None,
              kind: str = "desk") -> None:
    from helpdesk.answering.models import Conversation, Message

    conversation = Conversation(lang="ja", user_id=user_id)
    db.session.add(conversation)
    conversation.messages.append(Message(role="user", lang="ja", text=question, created_at=when))
    conversation.messages.append(Message(role="assistant", lang="ja", text="…", answer_markdown="…",
                                         answerable=answerable, confidence=confidence, created_at=when,
                                         route={"kind": kind}))


def test_gap_report_groups_similar_weak_questions(app, search_service, new_user, two_curators, audit_actions, routes):
    from helpdesk.accounts.models import User
    from helpdesk.tickets import service

    owner_id = new_user(app, "asker@example.org")
    desk_id = new_user(app, "desk@example.org", "desk_agent")
    now = datetime.now(UTC)
    with app.app_context():
        _exchange(DEADLINE[0], 0.2, False, now, user_id=owner_id)
        _exchange(DEADLINE[1], 0.3, True, now - timedelta(days=8))
        _exchange(WELL_ANSWERED, 0.9, True, now)
        owner = db.session.get(User, owner_id)
        ticket = service.create_ticket(owner, VISITOR, routes["desk"], lang="ja", consent_lang="ja")
        desk = db.session.get(User, desk_id)
        service.reply(ticket, desk, "窓口からの回答です。")
        service.change_status(ticket, "answered", desk)
        service.change_status(ticket, "closed", desk)  # curators see closed desk cases only
        db.session.commit()

    author, _ = two_curators(app)
    response = author.get("/curation/gaps?days=30")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    gap_table = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = gap_table.split("<tr>")[1:]
    assert len(rows) == 2  # the two deadline questions form one group; the escalated ticket another
    assert "<td>2</td>" in rows[0]
    assert DEADLINE[0] in rows[0]
    assert DEADLINE[1] in rows[0]
    assert VISITOR.split("。")[0] in rows[1]
    assert "引き継ぎ" in rows[1]
    assert "[メールアドレス]" in rows[1]
    assert "asker@example.org" not in page
    assert "1234-5678" not in page
    assert WELL_ANSWERED not in gap_table
    # Weekly top questions cover every question, per ISO week.
    weekly = page.split("週ごとのよくある質問", 1)[1]
    year, week, _ = now.isocalendar()
    assert f"{year}-W{week:02d}" in weekly
    assert WELL_ANSWERED in weekly
    assert audit_actions(app).count("gaps.viewed") == 1

    # Starting a draft from a group prefills the editor (first question, the rest as alternatives),
    # personal details masked; nothing is stored until the curator saves.
    link = rows[0].split('href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert len(parse_qs(urlsplit(link).query)["source"]) == 2
    editor = author.get(link).get_data(as_text=True)
    assert DEADLINE[0] in editor
    assert DEADLINE[1] in editor
    assert 'name="origin" type="hidden" value="gap"' in editor
    link = rows[1].split('href="', 1)[1].split('"', 1)[0]
    editor = author.get(link).get_data(as_text=True)
    assert "[メールアドレス]" in editor
    assert "[電話番号]" in editor
    assert "asker@example.org" not in editor
    assert "faq.created" not in audit_actions(app)


def test_gap_report_rejects_a_bad_period(app, two_curators):
    author, _ = two_curators(app)
    assert author.get("/curation/gaps?days=0").status_code == 400
    assert author.get("/curation/gaps?days=abc").status_code == 400
