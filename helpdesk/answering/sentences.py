"""Splitting passage text into the sentences and list items an answer can quote."""
from __future__ import annotations

import re

# Lines shorter than this without a full stop or bullet are headings, not statements.
HEADING_MAX_CHARS = 30
_ENDS = "。！？!?"
_OPEN, _CLOSE = "「『（(", "」』）)"
_BULLET = re.compile(r"^\s*[-・•●○◆◇■□▪✓✔]\s*")


def split_units(text: str) -> list[str]:
    """Sentences and list items of `text`, in document order, without bullet marks or headings.

    The corpus keeps one paragraph or list item per line, so each line is split on its own.
    """
    units = []
    for line in text.splitlines():
        line = line.strip()
        if _is_heading(line):
            continue
        for sentence in _split_sentences(_BULLET.sub("", line)):
            if len(sentence) > 1:
                units.append(sentence)
    return units


def _is_heading(line: str) -> bool:
    """Headings such as 「(1) ガイドラインとしての位置づけ」: short, no bullet, no full stop."""
    if _BULLET.match(line):
        return False
    return len(line) < HEADING_MAX_CHARS and not re.search(r"[。！？!?]", line)


def _split_sentences(block: str) -> list[str]:
    """Split after 。！？ — but not inside brackets, so 「…。」と述べた stays one sentence."""
    parts, start, depth = [], 0, 0
    for i, ch in enumerate(block):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(depth - 1, 0)
        elif ch in _ENDS and depth == 0:
            parts.append(block[start : i + 1].strip())
            start = i + 1
    parts.append(block[start:].strip())
    return [p for p in parts if p]
