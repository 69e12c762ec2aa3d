"""Finds the cue phrases of rules.yaml in a question."""
from __future__ import annotations

from .routing_data import CueGroup
from .text import normalise


def find_cues(question: str, groups: dict[str, CueGroup]) -> dict[str, str]:
    """Cue group name → the first phrase of the question that fired it."""
    text = normalise(question)
    fired = {}
    for name, group in groups.items():
        for pattern in group.patterns:
            match = pattern.search(text)
            if match:
                fired[name] = match.group(0)
                break
    return fired
