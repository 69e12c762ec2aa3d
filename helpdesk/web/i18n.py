"""Japanese-first UI with an English switch, through Flask-Babel (catalogues: helpdesk.i18n).

The language comes from `?lang=` (remembered in a cookie), then the cookie, then the browser's
Accept-Language, then Japanese.
"""
from __future__ import annotations

from flask import Flask, g, has_request_context, request
from flask_babel import Babel, refresh

from .. import paths
from ..i18n import DEFAULT_LANG, LANGS, _, _l, _lp, current_lang, gettext_in

__all__ = ["COOKIE", "REQUIRED", "TOO_LONG", "_", "_l", "_lp", "babel", "current_lang", "gettext_in", "init_app",
           "select_locale"]

COOKIE = "helpdesk_lang"
# Validator messages every form shares.
REQUIRED = _l("This field is required.")
TOO_LONG = _l("This is too long.")
babel = Babel()


def select_locale() -> str:
    if not has_request_context():
        return DEFAULT_LANG
    asked = request.args.get("lang")
    if asked in LANGS:
        return asked
    cookie = request.cookies.get(COOKIE)
    if cookie in LANGS:
        return cookie
    return request.accept_languages.best_match(LANGS) or DEFAULT_LANG


def init_app(app: Flask) -> None:
    # WTForms' own messages (e.g. "Not a valid date value.") stay as they were, in English: Flask-WTF
    # would otherwise translate them through Flask-Babel with WTForms' catalogues.
    app.config.setdefault("WTF_I18N_ENABLED", False)
    babel.init_app(app, locale_selector=select_locale, default_locale=DEFAULT_LANG,
                   default_translation_directories=str(paths.TRANSLATIONS_DIR),
                   default_timezone=app.config.get("HELPDESK_TIMEZONE") or "Asia/Tokyo")

    @app.before_request
    def _pick_language() -> None:
        # A test or CLI may hold one app context over several requests: choose afresh for each.
        refresh()
        g.lang_from_query = request.args.get("lang") in LANGS

    @app.after_request
    def _remember_language(response):
        if getattr(g, "lang_from_query", False):
            response.set_cookie(COOKIE, current_lang(), max_age=365 * 24 * 3600, samesite="Lax")
        return response

    app.add_template_global(gettext_in, "gettext_in")

    @app.context_processor
    def _inject():
        lang = current_lang()
        return {"lang": lang, "other_lang": "en" if lang == "ja" else "ja"}
