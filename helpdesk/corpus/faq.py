"""The ASPIRE FAQ: one passage per question/answer pair, keyed by its number (Q1.1 … Q8.1).

The extraction puts a blank line after every printed line and numbers questions with a mix
of full-width and ASCII digits ("Q１．３", "A3．１0"); headings may wrap onto a second line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .text import clean_inline, digits_to_ascii, join_wrapped

_NUMBER = r"([0-9０-９]+)\s*[.．]\s*([0-9０-９]+)"
_QUESTION = re.compile(rf"^[QＱ]\s*{_NUMBER}\s*(.*)$")
_ANSWER = re.compile(rf"^[AＡ]\s*{_NUMBER}\s*(.*)$")
_SECTION = re.compile(r"^([0-9])\s+(\S.*)$")
_SUBSECTION = re.compile(r"^([0-9])\.([0-9]+)\s+(\S.*)$")
_CLOSING = re.compile(r"^本\s*FAQ\s*は")


@dataclass
class _Entry:
    number: str
    breadcrumb: list[str]
    question: list[str] = field(default_factory=list)
    answer: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)


def _number(m: re.Match) -> str:
    return f"{int(digits_to_ascii(m.group(1)))}.{int(digits_to_ascii(m.group(2)))}"


def parse_faq(raw: str) -> tuple[list[dict], str]:
    """The FAQ's passages, and its title as printed."""
    lines = [(i, line.strip()) for i, line in enumerate(raw.splitlines(), 1)]
    content = [(i, t) for i, t in lines if t]
    title = " ".join(t for _, t in content[1:3])
    section: str = ""
    heading: list[str] = []  # the subsection heading, possibly wrapped over two lines
    entries: list[_Entry] = []
    mode = "front"
    for lineno, text in content:
        if _CLOSING.match(text):
            mode = "closing"
        elif m := _QUESTION.match(text):
            entries.append(_Entry(_number(m), [section, clean_inline(join_wrapped(heading))]))
            entries[-1].question.append(m.group(3))
            mode = "question"
        elif m := _ANSWER.match(text):
            if not entries or _number(m) != entries[-1].number:
                raise ValueError(f"faq line {lineno}: answer {_number(m)} without its question")
            entries[-1].answer.append(m.group(3))
            mode = "answer"
        elif m := _SUBSECTION.match(text):
            heading, mode = [text], "heading"
        elif (m := _SECTION.match(text)) and mode in ("front", "answer"):
            section, heading, mode = clean_inline(text), [], "section"
        elif mode == "heading":
            heading.append(text)
        elif mode in ("question", "answer"):
            getattr(entries[-1], mode).append(text)
        else:
            continue
        if mode in ("question", "answer"):
            entries[-1].lines.append(lineno)
    return [_passage(e, order) for order, e in enumerate(entries, 1)], title


def _passage(entry: _Entry, order: int) -> dict:
    question = clean_inline(join_wrapped(entry.question))
    answer = clean_inline(join_wrapped(entry.answer))
    number = f"Q{entry.number}"
    crumbs = [c for c in entry.breadcrumb if c]
    return {
        "id": f"faq-aspire/{number}",
        "doc": "faq-aspire",
        "type": "faq",
        "title": " > ".join(crumbs + [number]),
        "heading": f"{number} {question}",
        "text": f"Q: {question}\nA: {answer}",
        "lines": [min(entry.lines), max(entry.lines)],
        "order": order,
        "number": number,
        "question": question,
        "answer": answer,
    }
