"""Flask-Babel: the locale selector, the catalogues (complete, compiled), mails in the recipient's language,
and domain code free of the web layer."""
from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from helpdesk import catalogues, paths
from helpdesk.i18n import gettext_in

JA_TITLE, EN_TITLE = "研究セキュリティ相談窓口", "Research Security Helpdesk"


def page_lang(response) -> str:
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    if '<html lang="en">' in html:
        assert EN_TITLE in html
        assert JA_TITLE not in html
        return "en"
    assert '<html lang="ja">' in html
    assert JA_TITLE in html
    return "ja"


def test_query_parameter_chooses_and_is_remembered_in_the_cookie(client):
    first = client.get("/login?lang=en")
    assert page_lang(first) == "en"
    assert "helpdesk_lang=en" in first.headers["Set-Cookie"]
    assert page_lang(client.get("/login")) == "en"           # the cookie
    assert page_lang(client.get("/login?lang=ja")) == "ja"   # the query beats the cookie
    assert page_lang(client.get("/login")) == "ja"


def test_cookie_beats_accept_language(client):
    client.set_cookie("helpdesk_lang", "ja")
    assert page_lang(client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"})) == "ja"
    client.set_cookie("helpdesk_lang", "en")
    assert page_lang(client.get("/login", headers={"Accept-Language": "ja"})) == "en"


@pytest.mark.parametrize(("header", "expected"), [
    ("en-US,en;q=0.9", "en"),
    ("fr-FR,en;q=0.5,ja;q=0.8", "ja"),   # the best of the two the desk speaks
    ("fr-FR,de;q=0.8", "ja"),            # neither: Japanese
    ("", "ja"),
])
def test_accept_language_then_japanese(client, header, expected):
    assert page_lang(client.get("/login", headers={"Accept-Language": header} if header else {})) == expected


def test_unknown_lang_parameter_is_ignored(client):
    response = client.get("/login?lang=xx", headers={"Accept-Language": "en"})
    assert page_lang(response) == "en"
    assert "helpdesk_lang" not in response.headers.get("Set-Cookie", "")


def test_each_request_chooses_afresh_inside_one_app_context(app):
    """A CLI or test that holds one app context over several requests must not keep the first locale."""
    with app.app_context():
        client = app.test_client()
        assert page_lang(client.get("/login?lang=en")) == "en"
        assert page_lang(client.get("/login?lang=ja")) == "ja"


def test_form_errors_and_flash_in_the_request_language(app, client, csrf_token):
    for lang, expected in (("ja", "入力してください。"), ("en", "This field is required.")):
        client.get(f"/login?lang={lang}")
        page = client.post("/login", data={"csrf_token": csrf_token(client, "/login"), "email": "", "password": ""})
        assert expected in page.get_data(as_text=True)


def test_staff_pages_name_states_in_the_reader_language(app, make_user, login):
    make_user(app, "desk@example.jp", "desk_agent", "desk")
    client = app.test_client()
    login(client, "desk@example.jp", "correct horse battery")
    ja = client.get("/staff/?lang=ja").get_data(as_text=True)
    en = client.get("/staff/?lang=en").get_data(as_text=True)
    assert "相談者の返信待ち" in ja
    assert "Waiting for the requester" not in ja
    assert "Waiting for the requester" in en
    assert "相談者の返信待ち" not in en


def test_mail_is_written_in_the_recipient_language_whatever_the_request(app, make_user):
    from helpdesk.accounts import verification
    from helpdesk.accounts.models import User
    from helpdesk.extensions import db
    from helpdesk.mail.models import OutboxMessage

    make_user(app, "en@example.jp", verified=False)
    make_user(app, "ja@example.jp", verified=False)
    with app.test_request_context("/?lang=ja"):
        english = db.session.scalar(db.select(User).filter_by(email="en@example.jp"))
        english.lang = "en"
        verification.send_verification(english, "https://desk.example/verify/x")
        assert gettext_in(None, "Log in") == "ログイン"   # the request's own language is untouched
    with app.test_request_context("/?lang=en"):
        japanese = db.session.scalar(db.select(User).filter_by(email="ja@example.jp"))
        japanese.lang = "ja"
        verification.send_verification(japanese, "https://desk.example/verify/y")
        mails = {m.recipient: m for m in db.session.scalars(db.select(OutboxMessage))}
    assert mails["en@example.jp"].subject == "[Research Security Helpdesk] Confirm your e-mail address"
    assert mails["en@example.jp"].lang == "en"
    assert "(valid for" in mails["en@example.jp"].body_text
    assert mails["ja@example.jp"].subject == "【研究セキュリティ相談窓口】メールアドレスの確認"
    assert "時間有効" in mails["ja@example.jp"].body_text
    assert "https://desk.example/verify/y" in mails["ja@example.jp"].body_text


def test_catalogues_are_complete_and_compiled():
    report = catalogues.check()
    assert report.messages > 300
    assert report.missing == {"ja": []}
    assert report.fuzzy == {"ja": [], "en": []}
    assert report.unlisted == []
    assert report.stale_mo == []
    assert report.ok


@pytest.fixture
def catalogue_copy(tmp_path, monkeypatch):
    copy = tmp_path / "translations"
    shutil.copytree(paths.TRANSLATIONS_DIR, copy)
    monkeypatch.setattr(paths, "TRANSLATIONS_DIR", copy)
    return copy


def _edit_ja(copy: Path, change) -> str:
    po = copy / "ja" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as fh:
        catalogue = read_po(fh, locale="ja")
    message = catalogue.get("Log in")
    change(message)
    with po.open("wb") as fh:
        write_po(fh, catalogue)
    return message.id


def test_check_names_a_missing_japanese_translation(catalogue_copy):
    msgid = _edit_ja(catalogue_copy, lambda m: setattr(m, "string", ""))
    catalogues.compile_all()  # compiled, so only the missing translation is reported
    report = catalogues.check()
    assert report.missing["ja"] == [msgid]
    assert not report.stale_mo
    assert not report.ok


def test_check_names_a_stale_compiled_catalogue(catalogue_copy):
    _edit_ja(catalogue_copy, lambda m: setattr(m, "string", "サインイン"))
    report = catalogues.check()
    assert report.stale_mo == ["ja"]
    assert not report.missing["ja"]
    assert not report.ok
    catalogues.compile_all()
    assert catalogues.check().ok


def test_check_names_a_fuzzy_entry(catalogue_copy):
    msgid = _edit_ja(catalogue_copy, lambda m: m.flags.add("fuzzy"))
    catalogues.compile_all()
    assert catalogues.check().fuzzy["ja"] == [msgid]


def test_translate_check_command(app):
    result = app.test_cli_runner().invoke(args=["translate", "check"])
    assert result.exit_code == 0, result.output
    assert "missing translations: 0" in result.output


def test_domain_code_does_not_import_the_web_layer():
    offenders = []
    for path in (paths.ROOT / "helpdesk").rglob("*.py"):
        relative = path.relative_to(paths.ROOT / "helpdesk")
        if relative.parts[0] == "web" or relative == Path("__init__.py"):
            continue  # the web layer itself, and the app factory that registers it
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                target = node.module or ""
                if target.startswith("helpdesk.web") or (node.level and target.split(".")[0] == "web"):
                    offenders.append(f"{relative}: {target}")
            elif isinstance(node, ast.Import):
                offenders += [f"{relative}: {a.name}" for a in node.names if a.name.startswith("helpdesk.web")]
    assert offenders == []
