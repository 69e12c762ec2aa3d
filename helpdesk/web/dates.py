"""Dates as people read them: in the desk's time zone (Asia/Tokyo unless HELPDESK_TIMEZONE, Flask-Babel's
default zone), the zone named, in the reader's language, formatted by Babel. Stored times are naive UTC
(helpdesk.accounts.models)."""
from __future__ import annotations

from datetime import UTC, datetime

from babel.dates import format_date, format_time, get_datetime_format, get_timezone_name
from flask import Flask
from flask_babel import get_timezone

from ..i18n import current_lang


def local_time(moment: datetime | None, lang: str | None = None) -> str:
    """`2026/12/01 20:25 (日本時間)` / `Dec 1, 2026, 8:25 PM (Japan Time)`; `—` for no time."""
    if moment is None:
        return "—"
    lang = lang or current_lang()
    zone = get_timezone()
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    local = aware.astimezone(zone)
    joined = str(get_datetime_format("medium", locale=lang)).format(  # a pattern such as "{1} {0}"
        format_time(local, "short", locale=lang), format_date(local, "medium", locale=lang))
    return f"{joined} ({get_timezone_name(zone, 'long', locale=lang)})"


def init_app(app: Flask) -> None:
    app.add_template_filter(local_time, "local_time")
