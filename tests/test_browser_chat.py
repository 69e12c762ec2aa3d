"""Headless Chromium asks a question on the chat page and sees a cited answer appear without reload."""
from __future__ import annotations

import os
import re
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
        finally:
            browser.close()
