"""Headless Chromium asks a question on the chat page and sees a cited answer appear without reload, and the
pages with scripts and styles work under the Content-Security-Policy (no console errors)."""
from __future__ import annotations

import os
import re
import shutil
import threading
from contextlib import contextmanager

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


@contextmanager
def _browser_page():
    """A headless Chromium page, and the list its CSP violations and script errors are collected in."""
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            yield page, _console_errors(page)
        finally:
            browser.close()


def test_chat_answers_without_reload(live_server):
    from playwright.sync_api import expect

    with _browser_page() as (page, errors):
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

        # An English question gets an English answer: English quotes, each Japanese original collapsed.
        page.get_by_label("質問").fill("What risk mitigation measures does the guideline give as examples?")
        page.get_by_label("質問").press("Enter")
        english = page.locator("li.msg-assistant[lang='en']").last
        expect(english).to_be_visible(timeout=30_000)
        expect(english.locator(".answer")).to_contain_text("Taking training")
        original = english.locator("details.original").first
        expect(original.locator("summary")).to_have_text("Japanese original")
        assert original.get_attribute("open") is None  # collapsed by default
        japanese = re.compile("[\u3040-\u30ff\u4e00-\u9fff]{4}")
        expect(original).not_to_have_text(japanese, use_inner_text=True)  # only its summary shows
        original.locator("summary").click()
        expect(original).to_have_text(japanese, use_inner_text=True)
        expect(english.locator(".answer a[href*='?lang=en#']").first).to_have_text("[1]")
        page.screenshot(path=SCREENSHOT, full_page=True)
        assert errors == []


def _console_errors(page) -> list[str]:
    """CSP violations ("Refused to execute/apply/load … Content Security Policy") and script errors."""
    errors: list[str] = []

    def on_console(message):
        if message.type == "error" and ("Content Security Policy" in message.text or "Refused to" in message.text):
            errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_pages_work_under_the_csp(app, live_server):
    """Item 6 of issue 14: styles, the curation editor's live preview and the forms need nothing inline."""
    from playwright.sync_api import expect

    from helpers import make_user

    make_user(app, "curator@example.org", "curator")
    with _browser_page() as (page, errors):
        page.goto(live_server + "/docs/guideline")
        assert page.locator(".passage-text").first.evaluate("e => getComputedStyle(e).whiteSpace") == "pre-wrap"
        page.goto(live_server + "/login")
        page.get_by_label("メールアドレス").fill("curator@example.org")
        page.get_by_label("パスワード").fill("correct horse battery")
        page.get_by_role("button", name="ログイン").last.click()
        page.goto(live_server + "/curation/new")
        page.locator("textarea[name=answer]").fill("**太字**の回答")
        expect(page.locator("#faq-preview strong")).to_have_text("太字", timeout=10_000)
        assert errors == []
