"""Translation for every layer: Flask-Babel's gettext over the catalogues in translations/.

msgids are the English texts, so the `ja` catalogue holds every Japanese text and the `en` catalogue
leaves msgstr empty (gettext then shows the msgid). A msgid that reads the same in English but
differently in Japanese carries a context (pgettext). Domain code marks messages defined at import
time with `_l`; `gettext_in` renders a message in a given language (a mail's recipient, a chat
message's language) whatever the request's own.
"""
from __future__ import annotations

from contextlib import nullcontext

from flask_babel import force_locale, get_locale, gettext, lazy_gettext, lazy_pgettext, ngettext, pgettext

LANGS = ("ja", "en")
DEFAULT_LANG = "ja"

_ = gettext
_l = lazy_gettext
_lp = lazy_pgettext

__all__ = ["LANGS", "DEFAULT_LANG", "_", "_l", "_lp", "current_lang", "gettext", "gettext_in", "ngettext",
           "pgettext"]


def current_lang() -> str:
    """The language of the current request (or forced locale); Japanese outside an app context."""
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT_LANG


def gettext_in(lang: str | None, message, **values) -> str:
    """`message` (a msgid or a lazy message) in `lang` (None: the current language), `str.format`ted with
    `values` if any."""
    with force_locale(lang if lang in LANGS else DEFAULT_LANG) if lang is not None else nullcontext():
        text = gettext(message) if isinstance(message, str) else str(message)
    return text.format(**values) if values else text
