"""Headless Chromium asks a question on the chat page and sees a cited answer appear without reload."""
from __future__ import annotations

import os
import shutil
import threading

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOT = "/tmp/helpdesk-chat.png"

pytestmark = pytest.mark.browser


def _require_chromium() -> None:
    if shutil.which(CHROMIUM) is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing on CI: run scripts/install-browser.sh")
        pytest.skip(f"{CHROMIUM} not installed (run scripts/install-browser.sh)")


@pytest.fixture()
def live_server(app, search_service):
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


def test_chat_answers_without_reload(live_server):
    _require_chromium()
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(live_server + "/")
            page.evaluate("window.__sameDocument = true")  # gone if the page reloads
            page.get_by_label("質問").fill("研究者が申告すべき情報は何ですか")
            page.get_by_label("質問").press("Enter")
            answer = page.locator("li.msg-assistant").last
            expect(answer).to_be_visible(timeout=30_000)
            expect(answer.locator(".answer a[href^='/docs/']").first).to_have_text("[1]")
            expect(answer).to_be_focused()
            expect(page.locator("#ask-status")).to_have_text("回答を表示しました。")
            assert page.evaluate("window.__sameDocument") is True
            assert page.locator("#question").input_value() == ""
            page.screenshot(path=SCREENSHOT, full_page=True)
        finally:
            browser.close()


def test_the_emergency_path_on_a_phone_needs_no_login(app, live_server):
    """An emergency question on a 390-pixel screen: guidance and the report form appear in the answer, the
    report goes through without an account, and nothing on the way is wider than the screen."""
    _require_chromium()
    from playwright.sync_api import expect, sync_playwright

    from helpdesk.tickets import Ticket

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844})
            page.goto(live_server + "/")
            page.get_by_label("質問").fill("研究室のサーバーから試作データが流出したことが今朝わかりました。今すぐどうすればいいですか？")
            page.get_by_label("質問").press("Enter")
            form = page.locator(".emergency-answer form.emergency-form")
            expect(form).to_be_visible(timeout=30_000)
            expect(page.locator(".emergency-answer .emergency-sources")).to_contain_text("緊急事態が発生した際の連絡・対応体制")
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            form.get_by_label("連絡先（メールアドレスまたは電話番号）").fill("03-1234-5678")
            form.get_by_label("上記に同意して報告します").check()
            form.get_by_role("button", name="緊急の報告を送る").click()
            expect(page.locator("h1")).to_have_text("緊急の報告を受け付けました")
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            page.screenshot(path="/tmp/helpdesk-emergency-phone.png", full_page=True)
        finally:
            browser.close()
    with app.app_context():
        [ticket] = Ticket.query.all()
        assert (ticket.queue, ticket.owner_id, ticket.contact_phone) == ("emergency", None, "03-1234-5678")
