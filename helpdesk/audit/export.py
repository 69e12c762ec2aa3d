"""CSV export of audit events, safe to open in a spreadsheet."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator

from .models import AuditEvent

COLUMNS = ("seq", "at", "actor_id", "actor_role", "action", "object_type", "object_id", "details",
           "prev_hash", "hash")
# Spreadsheets run a cell starting with these as a formula (full-width forms included: Japanese
# input methods produce them and Excel accepts them).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def csv_safe(value) -> str:
    """The cell text for `value`; text that a spreadsheet would evaluate is prefixed with a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _cells(event: AuditEvent) -> list[str]:
    values = {
        **{name: getattr(event, name) for name in COLUMNS},
        "at": event.at.isoformat(timespec="microseconds") + "Z",
        "details": json.dumps(event.details, ensure_ascii=False, sort_keys=True),
    }
    return [csv_safe(values[name]) for name in COLUMNS]


def csv_lines(events: Iterable[AuditEvent]) -> Iterator[str]:
    """The CSV text, line by line (header first), so that large exports stream."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(cells) -> str:
        writer.writerow(cells)
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield "\ufeff" + line(COLUMNS)  # byte-order mark: Excel then reads the file as UTF-8
    for event in events:
        yield line(_cells(event))
