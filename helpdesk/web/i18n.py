"""Japanese-first UI with an English switch.

The language comes from `?lang=` (remembered in a cookie), then the cookie, then Japanese.
UI strings live in `MESSAGES`; each area adds its own keys there, Japanese and English side by side.
"""
from __future__ import annotations

from flask import Flask, g, request

LANGS = ("ja", "en")
COOKIE = "helpdesk_lang"

MESSAGES: dict[str, dict[str, str]] = {
    "site.name": {"ja": "研究セキュリティ相談窓口", "en": "Research Security Helpdesk"},
    "site.tagline": {
        "ja": "研究セキュリティの確保に係る手順書に関するワンストップ相談窓口",
        "en": "One-stop desk for Japan's research-security procedure",
    },
    "nav.chat": {"ja": "相談する", "en": "Ask"},
    "nav.docs": {"ja": "資料", "en": "Documents"},
    "nav.switch": {"ja": "English", "en": "日本語"},
    "footer.notice": {
        "ja": "本窓口は助言を行うものであり、最終的な判断は研究機関が行います。",
        "en": "This desk gives advice only; the final decision rests with the research institution.",
    },
}


def current_lang() -> str:
    return getattr(g, "lang", "ja")


def t(key: str, lang: str | None = None) -> str:
    """The UI string `key` in `lang` (default: the request's); the key itself if unknown."""
    entry = MESSAGES.get(key)
    if entry is None:
        return key
    return entry.get(lang or current_lang()) or entry["ja"]


def init_app(app: Flask) -> None:
    @app.before_request
    def _pick_language() -> None:
        asked = request.args.get("lang")
        cookie = request.cookies.get(COOKIE)
        g.lang = asked if asked in LANGS else cookie if cookie in LANGS else "ja"
        g.lang_from_query = asked in LANGS

    @app.after_request
    def _remember_language(response):
        if getattr(g, "lang_from_query", False):
            response.set_cookie(COOKIE, g.lang, max_age=365 * 24 * 3600, samesite="Lax")
        return response

    @app.context_processor
    def _inject():
        return {"t": t, "lang": current_lang(), "other_lang": "en" if current_lang() == "ja" else "ja"}
