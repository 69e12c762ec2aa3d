"""Page layout of the guideline's PDF extraction: per-page line numbers and footnotes.

Body lines carry the PDF's per-page line number (`12 `, `- 12 `, ` 3 `); slide pages and
footnotes mostly do not. Footnotes sit where a page ended, so they are lifted out of the
line stream here; the body then reads as if the pages had never been broken.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .text import SUPERSCRIPT_RUN, superscript_value

_NUMBERED = re.compile(r"^\s*(?:-\s+)?(\d{1,2})(?:[ \t]+(.*?))?\s*$")
_TOC_LINE = re.compile(r"^\d+\t.*\t\d*\s*$")
_URL_LINE = re.compile(r"^<?https?://")
_LEADING_SUPERSCRIPT = re.compile(f"^({SUPERSCRIPT_RUN.pattern})\\s*(.*)$")


@dataclass
class Row:
    lineno: int  # 1-based line in the raw file
    text: str  # without the PDF line number; "" for blank lines
    pageline: int | None  # the PDF's per-page line number, None on unnumbered lines
    indent: int = 0  # leading spaces of unnumbered lines (nested slide bullets)
    bare: bool = False  # a line number or page number with nothing after it


@dataclass
class Footnote:
    number: int
    parts: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)


def read_rows(raw: str) -> list[Row]:
    rows = []
    for lineno, line in enumerate(raw.splitlines(), 1):
        line = line.rstrip()
        if _TOC_LINE.match(line):
            rows.append(Row(lineno, "", None))
            continue
        m = _NUMBERED.match(line)
        if m:
            text = (m.group(2) or "").strip()
            rows.append(Row(lineno, text, int(m.group(1)), bare=not text))
        else:
            stripped = line.lstrip(" ")
            rows.append(Row(lineno, stripped.strip(), None, indent=len(line) - len(stripped)))
    return rows


def split_refs(run: str, expected: int) -> list[int]:
    """Footnote references in a superscript run: "¹²" is notes 1 and 2 when 1 is due, note 12 later."""
    digits, refs, n = superscript_value(run), [], expected
    while digits and digits.startswith(str(n)):
        refs.append(n)
        digits = digits[len(str(n)):]
        n += 1
    return refs if not digits else [int(superscript_value(run))]


class FootnoteSplitter:
    """Separates footnotes from body rows; remembers which superscripts each body row cites."""

    def __init__(self) -> None:
        self.footnotes: dict[int, Footnote] = {}
        self.refs_by_line: dict[int, list[int]] = {}
        self._next_ref = 1
        self._pending: dict[int, int] = {}  # cited note -> page it was cited on
        self._page = 0

    def split(self, rows: list[Row]) -> list[Row]:
        body: list[Row] = []
        current: Footnote | None = None
        last_fn_pageline: int | None = None
        blank_since_fn = False
        last_pageline = 0
        for row in rows:
            if not row.text:
                if row.bare and row.pageline is not None:
                    last_pageline = self._turn(row.pageline, last_pageline)
                    current = None  # a page's line numbers: the footnote area is over
                blank_since_fn = True
                body.append(row)
                continue
            start = self._footnote_start(row, last_pageline)
            if start is not None:
                number, text = start
                current = self.footnotes.setdefault(number, Footnote(number))
                current.parts.append(text)
                current.lines.append(row.lineno)
                self._pending.pop(number, None)
                last_fn_pageline, blank_since_fn = row.pageline, False
                continue
            if current is not None and self._continues(current, row, last_fn_pageline, blank_since_fn):
                current.parts.append(row.text)
                current.lines.append(row.lineno)
                last_fn_pageline, blank_since_fn = row.pageline, False
                continue
            current = None
            if row.pageline is not None:
                last_pageline = self._turn(row.pageline, last_pageline)
            body.append(self._strip_refs(row))
        return body

    def _turn(self, pageline: int, last_pageline: int) -> int:
        """Track page turns (the per-page numbering restarts) on body and bare line numbers."""
        if pageline < last_pageline:
            self._page += 1
        return pageline

    def _footnote_start(self, row: Row, last_pageline: int) -> tuple[int, str] | None:
        m = _LEADING_SUPERSCRIPT.match(row.text)
        if m:
            return int(superscript_value(m.group(1))), m.group(2)
        # A footnote printed with a plain number ("15 電磁的な…") looks like a numbered line;
        # it is a footnote when that note was cited on this page and the number breaks the page's sequence.
        if row.pageline is not None and self._pending.get(row.pageline) == self._page \
                and row.pageline != last_pageline + 1:
            return row.pageline, row.text
        return None

    @staticmethod
    def _continues(fn: Footnote, row: Row, last_fn_pageline: int | None, blank_since: bool) -> bool:
        if row.pageline is not None:
            return not blank_since and last_fn_pageline is not None and row.pageline == last_fn_pageline + 1
        if not blank_since or _URL_LINE.match(row.text):
            return True
        # After a blank line, text continues a note only while the note's sentence is open
        # (e.g. the quotation under a source URL); a finished note is followed by body or slides.
        return not fn.parts[-1].rstrip().endswith("。")

    def _strip_refs(self, row: Row) -> Row:
        refs: list[int] = []

        def take(m: re.Match) -> str:
            found = split_refs(m.group(), self._next_ref)
            refs.extend(found)
            self._next_ref = max(self._next_ref, found[-1] + 1)
            return ""

        text = SUPERSCRIPT_RUN.sub(take, row.text)
        if refs:
            self.refs_by_line[row.lineno] = refs
            self._pending.update((n, self._page) for n in refs)
            row = Row(row.lineno, text, row.pageline, row.indent, row.bare)
        return row
