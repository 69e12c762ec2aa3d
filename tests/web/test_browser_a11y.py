"""In headless Chromium: the chat page (with an answer and its feedback widget), the emergency report and the
staff pages pass axe-core with no violation of any impact, feedback is sent by the page's own script under the CSP, and the
dashboard's SVG charts render with their bars. axe-core comes from npm (scripts/install-axe.sh)."""
from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from helpdesk.extensions import db

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "scripts" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "correct horse battery"


def _axe_source() -> str:
    if not AXE.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{AXE} is missing on CI: run scripts/install-axe.sh")
        pytest.skip("axe-core not installed (run scripts/install-axe.sh)")
    return AXE.read_text(encoding="utf-8")


def _audit(page, source: str) -> list[dict]:
    """axe-core's violations on the page as it is now. Evaluated through the DevTools protocol, so the
    page's own CSP (no inline script) stays in force for everything else."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(source)
    return page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ["violations"]});
        return result.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
                                             targets: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
    }""")


def _summary(violations: list[dict]) -> dict[str, int]:
    counts = Counter()
    for violation in violations:
        counts[violation["impact"] or "none"] += violation["nodes"]
    return dict(counts)


def _login(page, base: str, email: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").last.click()
    page.wait_for_load_state()


@pytest.fixture
def open_ticket(routes):
    def _ticket(app, owner_id: int, queue: str, question: str) -> str:
        from helpdesk.accounts.models import User
        from helpdesk.tickets import service

        with app.app_context():
            ticket = service.create_ticket(db.session.get(User, owner_id), question, routes[queue], lang="ja",
                                           consent_lang="ja")
            db.session.commit()
            return ticket.ref

    return _ticket


def test_chat_and_staff_pages_have_no_accessibility_violations(app, live_server, capsys, new_user, open_ticket,
                                                                        new_page, console_errors, screenshots):
    from playwright.sync_api import expect

    from helpdesk.answering.models import AnswerFeedback

    source = _axe_source()
    owner_id = new_user(app, "asker@example.org")
    new_user(app, "desk@example.org", "desk_agent")
    ref = open_ticket(app, owner_id, "desk", "研究者が申告すべき情報の範囲を教えてください")
    open_ticket(app, owner_id, "emergency", "研究データが流出した可能性があります")
    results: dict[str, list[dict]] = {}
    page = new_page(locale="ja-JP")  # Accept-Language: the Japanese default page
    errors = console_errors(page)
    page.goto(live_server + "/")
    results["chat (empty)"] = _audit(page, source)
    page.get_by_label("質問").fill("研究者が申告すべき情報は何ですか")
    page.get_by_label("質問").press("Enter")
    answer = page.locator("li.msg-assistant").last
    expect(answer.locator(".feedback")).to_be_visible(timeout=30_000)
    # The asker rates the answer through the page's script (the JSON API, CSRF header).
    answer.locator(".feedback-more summary").click()
    answer.get_by_label("ご意見（任意、500文字まで）").fill("期限も知りたかった")
    answer.get_by_role("button", name="役に立たなかった").click()
    expect(answer.locator(".feedback-status")).to_have_text(
        "ありがとうございます。評価を記録しました（あとから変更できます）。")
    expect(answer.get_by_role("button", name="役に立たなかった")).to_have_attribute("aria-pressed", "true")
    results["chat (answer, rated)"] = _audit(page, source)
    page.set_viewport_size({"width": 390, "height": 844})
    results["chat (phone)"] = _audit(page, source)
    page.screenshot(path=screenshots / "helpdesk-chat-feedback-phone.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server + "/?lang=en")
    results["chat (English)"] = _audit(page, source)
    page.goto(live_server + "/emergency/?lang=ja")
    results["emergency report"] = _audit(page, source)
    page.goto(live_server + "/tickets/RS-%00")  # refused before any view (helpdesk.web.input_guard)
    results["control character refused"] = _audit(page, source)
    assert errors == []

    staff = new_page(locale="ja-JP")
    _login(staff, live_server, "desk@example.org")
    for name, path in (("staff queue", "/staff/"), ("staff ticket", f"/staff/tickets/{ref}"),
                       ("dashboards", "/dashboards/"), ("dashboards (English)", "/dashboards/?lang=en")):
        staff.goto(live_server + path)
        results[name] = _audit(staff, source)
    staff.set_viewport_size({"width": 390, "height": 844})
    results["dashboards (phone)"] = _audit(staff, source)
    with app.app_context():
        [(helpful, comment)] = db.session.execute(db.select(AnswerFeedback.helpful, AnswerFeedback.comment)).all()
        assert (helpful, comment) == (False, "期限も知りたかった")
    with capsys.disabled():
        for name, violations in results.items():
            print(f"\naxe-core {name}: {_summary(violations) or 'no violations'}",
                  *(f"{v['impact']} {v['id']} ×{v['nodes']} {v['targets']}" for v in violations), sep="\n  ")
    assert all(not found for found in results.values()), {name: found for name, found in results.items() if found}


def test_the_dashboard_draws_its_charts(app, live_server, new_user, open_ticket, new_page, console_errors, screenshots):
    owner_id = new_user(app, "asker@example.org")
    new_user(app, "admin@example.org", "admin")
    for queue in ("jst", "jst", "amed", "desk"):
        open_ticket(app, owner_id, queue, f"{queue}への質問")
    for width in (1280, 390):
        page = new_page(viewport={"width": width, "height": 900}, locale="ja-JP")
        errors = console_errors(page)
        _login(page, live_server, "admin@example.org")
        page.goto(live_server + "/dashboards/")
        assert page.locator("svg.chart").count() == 4
        bars = page.locator("#chart-tickets rect.bar")
        assert bars.count() == 3  # this week: amed, desk, jst
        heights = [bars.nth(i).bounding_box()["height"] for i in range(3)]
        assert heights[2] == pytest.approx(2 * heights[0], rel=0.05)
        assert heights[0] > 10
        assert page.locator("#chart-tickets").bounding_box()["width"] > 300  # drawn at the column's width
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=screenshots / f"helpdesk-dashboards-{width}.png", full_page=True)
        assert errors == []
        page.close()
