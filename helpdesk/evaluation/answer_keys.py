"""Scoring an answer against its key points (answer-key files, tests/data/README.md "Answer keys").

As the shared evaluation README defines it: a key point is present when the answer's body contains
one of its `must` phrases (NFKC, whitespace removed, lowercase) or one of its `must_en` phrases
(lowercase, whitespace collapsed); the body is the Markdown before the desk's closing notice, the
sources' quotes are not part of it, and a declined answer states nothing. Body length counts the
body's characters without citation links and whitespace.
"""
from __future__ import annotations

import re

from .metrics import squash
from .questions import Question

_WS = re.compile(r"\s+")
# A citation mark as answers write it: [\[1\]](/docs/guideline#guideline/I-2-6)
_CITATION_LINK = re.compile(r"\[\\\[\d+\\\]\]\([^)\s]*\)")
NOTICE_RULE = "\n---\n"  # answers end with a rule and then the desk's notice


def body(markdown: str) -> str:
    """The answer's body: the Markdown before the desk's closing notice (before the last rule)."""
    head, found, _ = markdown.rpartition(NOTICE_RULE)
    return head if found else markdown


def points_present(key: Question, answer_body: str, declined: bool = False) -> list[bool]:
    """For each key point of `key`, whether the body states it (none, for a declined answer)."""
    if declined:
        return [False] * len(key.must)
    squashed = squash(answer_body).lower()
    collapsed = _WS.sub(" ", answer_body.lower())
    english = key.must_en or ((),) * len(key.must)
    return [any(squash(p).lower() in squashed for p in phrases)
            or any(_WS.sub(" ", e.lower()) in collapsed for e in alternatives)
            for phrases, alternatives in zip(key.must, english, strict=False)]


def body_length(answer_body: str) -> int:
    """Characters of the body without citation links and whitespace."""
    return len(_WS.sub("", _CITATION_LINK.sub("", answer_body)))
