"""The evaluation sections `helpdesk eval` runs, in order; each area adds its own line."""
from __future__ import annotations

from collections.abc import Callable

from ..answering.evaluate import answering_section, answers_section
from ..triage.evaluate import routing_section
from .language import language_section
from .questions import Question
from .retrieval import retrieval_section
from .tables import Table

SECTIONS: dict[str, Callable[[list[Question]], list[Table]]] = {
    "retrieval": retrieval_section,
    "routing": routing_section,
    "answering": answering_section,
    "answers": answers_section,
    "language": language_section,
}
