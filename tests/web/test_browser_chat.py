"""Headless Chromium asks a question on the chat page and sees a cited answer appear without reload, and the
pages with scripts and styles work under the Content-Security-Policy (no console errors)."""
from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_page(new_page, console_errors):
    """A headless Chromium page, and the list its CSP violations and script errors are collected in."""
    page = new_page(locale="ja-JP")  # Accept-Language: the Japanese default page
    return page, console_errors(page)


def test_chat_answers_without_reload(live_server, browser_page, screenshots):
    from playwright.sync_api import expect

    page, errors = browser_page
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
    page.screenshot(path=screenshots / "helpdesk-chat.png", full_page=True)
    assert errors == []


def test_pages_work_under_the_csp(app, live_server, make_user, browser_page):
    """Item 6 of issue 14: styles, the curation editor's live preview and the forms need nothing inline."""
    from playwright.sync_api import expect

    make_user(app, "curator@example.org", "curator")
    page, errors = browser_page
    page.goto(live_server + "/docs/guideline")
    assert page.locator(".passage-text").first.evaluate("e => getComputedStyle(e).whiteSpace") == "pre-wrap"
    page.goto(live_server + "/login")
    page.get_by_label("メールアドレス").fill("curator@example.org")
    page.get_by_label("パスワード").fill("correct horse battery")
    page.get_by_role("button", name="ログイン").last.click()
    page.goto(live_server + "/curation/new")
    page.locator("textarea[name=answer]").fill("**太字**の回答")
    expect(page.locator("#faq-preview-ja strong")).to_have_text("太字", timeout=10_000)
    assert errors == []


def test_the_emergency_path_on_a_phone_needs_no_login(app, live_server, new_page, screenshots):
    """An emergency question on a 390-pixel screen: guidance and the report form appear in the answer, the
    report goes through without an account, and nothing on the way is wider than the screen."""
    from playwright.sync_api import expect

    from helpdesk.tickets import Ticket

    page = new_page(viewport={"width": 390, "height": 844}, locale="ja-JP")
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
    page.screenshot(path=screenshots / "helpdesk-emergency-phone.png", full_page=True)
    with app.app_context():
        [ticket] = Ticket.query.all()
        assert (ticket.queue, ticket.owner_id, ticket.contact_phone) == ("emergency", None, "03-1234-5678")
