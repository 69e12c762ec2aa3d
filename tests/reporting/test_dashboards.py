"""Dashboards: weekly figures drawn as SVG beside their tables, CSV of each chart, the same queue visibility as
the tickets (a JST agent sees JST's figures only, in the page and the CSV)."""
from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from helpdesk.extensions import db

AMED = "日本医療研究開発機構（AMED）"
JST = "科学技術振興機構（JST）"


def _answer(route, answerable=True, helpful=None) -> int:
    from helpdesk.answering.feedback import give
    from helpdesk.answering.models import Conversation, Message

    conversation = Conversation(lang="ja")
    db.session.add(conversation)
    conversation.messages.append(Message(role="user", lang="ja", text="質問"))
    answer = Message(role="assistant", lang="ja", text="回答", answer_markdown="回答", answerable=answerable,
                     confidence=0.8, route=route)
    conversation.messages.append(answer)
    db.session.flush()
    if helpful is not None:
        give(conversation.id, answer.id, helpful)
    return answer.id


@pytest.fixture
def desk_figures(app, new_user, routes):
    """Tickets in JST (two, one replied to after two hours), AMED and the desk; chat answers of each."""
    from helpdesk.accounts.models import User
    from helpdesk.tickets import service

    owner_id = new_user(app, "asker@example.org")
    new_user(app, "jst@example.org", "fa_agent", "jst")
    new_user(app, "admin@example.org", "admin")
    new_user(app, "curator@example.org", "curator")
    now = datetime.now(UTC).replace(tzinfo=None)
    with app.app_context():
        owner = db.session.get(User, owner_id)
        for queue in ("jst", "jst", "amed", "desk"):
            service.create_ticket(owner, f"{queue}の質問", routes[queue], lang="ja", consent_lang="ja")
        replied = service.create_ticket(owner, "jstの質問", routes["jst"], lang="ja", consent_lang="ja")
        replied.created_at, replied.first_response_at = now - timedelta(hours=5), now - timedelta(hours=3)
        replied.answered_at = now - timedelta(hours=1)
        # Chat answers: JST's (one rated unhelpful, one declined, one handed over), AMED's, the desk's.
        _answer(routes["jst"], helpful=False)
        _answer(routes["jst"], answerable=False)
        handed = _answer(routes["jst"])
        service.create_ticket(owner, "jstの質問", routes["jst"], lang="ja", consent_lang="ja", message_id=handed)
        _answer(routes["amed"], helpful=True)
        _answer(routes["desk"], helpful=True)
        db.session.commit()


def _csv(client, name: str) -> list[dict]:
    response = client.get(f"/dashboards/{name}.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def _total(rows, column) -> float:
    return sum(float(row[column]) for row in rows if row[column])


def test_a_jst_agent_sees_only_jst_figures_in_the_page_and_the_csv(app, desk_figures, client_as):
    agent = client_as(app, "jst@example.org")
    response = agent.get("/dashboards/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    # Four charts, each an SVG with its table beside it and a CSV link.
    assert page.count('<svg class="chart"') == 4
    assert page.count('class="chart-table"') == 4
    tickets = page.split('data-chart="tickets"', 1)[1].split("</section>", 1)[0]
    assert tickets.count('<rect class="bar"') in (1, 2)  # one queue, in one week or two
    assert JST in tickets
    assert AMED not in page
    assert "研究セキュリティ相談窓口</th>" not in page
    assert 'href="/dashboards/tickets.csv?weeks=12"' in page

    rows = _csv(agent, "tickets")
    assert list(rows[0]) == ["week", "jst"]
    assert _total(rows, "jst") == 4
    assert len(rows) == 12
    times = _csv(agent, "response_times")
    assert [r["first_response"] for r in times if r["first_response"]] == ["2.0"]
    assert [r["resolution"] for r in times if r["resolution"]] == ["4.0"]
    outcomes = _csv(agent, "outcomes")
    assert [_total(outcomes, f"{o}_count") for o in ("answered", "declined", "handed_over")] == [1, 1, 1]
    assert _total(outcomes, "answered") == pytest.approx(33.3)
    feedback = _csv(agent, "feedback")
    assert (_total(feedback, "helpful"), _total(feedback, "unhelpful")) == (0, 1)


def test_an_admin_sees_every_queue(app, desk_figures, client_as):
    admin = client_as(app, "admin@example.org")
    rows = _csv(admin, "tickets")
    assert list(rows[0]) == ["week", "amed", "desk", "jst"]
    assert [_total(rows, q) for q in ("amed", "desk", "jst")] == [1, 1, 4]
    feedback = _csv(admin, "feedback")
    assert (_total(feedback, "helpful"), _total(feedback, "unhelpful")) == (2, 1)
    page = admin.get("/dashboards/?lang=en").get_data(as_text=True)
    assert "Tickets per queue per week" in page
    assert "Japan Agency for Medical Research and Development (AMED)" in page


def test_only_staff_and_admins_get_in(app, desk_figures, client_as):
    assert client_as(app, None).get("/dashboards/").status_code == 302
    assert client_as(app, "asker@example.org").get("/dashboards/").status_code == 403
    assert client_as(app, "curator@example.org").get("/dashboards/tickets.csv").status_code == 403


@pytest.mark.parametrize("query", ["weeks=0", "weeks=53", "weeks=abc", "weeks=%EF%BC%91", "weeks=" + "9" * 5000])
def test_a_bad_period_gets_a_400_with_a_message(app, desk_figures, query, client_as):
    agent = client_as(app, "jst@example.org")
    page = agent.get(f"/dashboards/?{query}")
    assert page.status_code == 400
    assert "週数は1から52の整数で指定してください。" in page.get_data(as_text=True)
    assert agent.get(f"/dashboards/tickets.csv?{query}").status_code == 400


def test_an_unknown_chart_is_a_404(app, desk_figures, client_as):
    assert client_as(app, "jst@example.org").get("/dashboards/passwords.csv").status_code == 404
