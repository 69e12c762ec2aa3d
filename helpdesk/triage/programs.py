"""Detects which program (and so which funding agency) a question is about."""
from __future__ import annotations

import re

from .routing_data import Program
from .text import normalise

_LATIN = re.compile(r"[a-z0-9]")


def _alias_pattern(alias: str) -> re.Pattern:
    """Latin aliases match only as whole words ("JST" but not "ADJUST"); Japanese ones anywhere."""
    escaped = re.escape(normalise(alias))
    if _LATIN.match(normalise(alias)[0]):
        escaped = r"(?<![a-z0-9])" + escaped
    if _LATIN.match(normalise(alias)[-1]):
        escaped += r"(?![a-z0-9])"
    return re.compile(escaped)


class ProgramDetector:
    def __init__(self, programs: dict[str, Program]) -> None:
        # Longest alias first, so "AMED-CREST" claims its text before "CREST" can.
        pairs = [(alias, program) for program in programs.values() for alias in program.aliases]
        pairs.sort(key=lambda pair: len(normalise(pair[0])), reverse=True)
        self._patterns = [(_alias_pattern(alias), program) for alias, program in pairs]

    def detect(self, question: str) -> list[Program]:
        """Programs named in the question, each once: named programs before bare agencies, then in order of appearance."""
        text = normalise(question)
        claimed: list[tuple[int, int]] = []
        found: list[tuple[int, Program]] = []
        for pattern, program in self._patterns:
            for match in pattern.finditer(text):
                span = match.span()
                if any(span[0] < end and start < span[1] for start, end in claimed):
                    continue
                claimed.append(span)
                found.append((span[0], program))
        ordered = [program for _, program in sorted(found, key=lambda pair: (pair[1].is_agency, pair[0]))]
        return list(dict.fromkeys(ordered))
