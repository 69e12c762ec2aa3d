"""Learning from staff: a rerouted ticket's question becomes a routing example for the next classification.

The example is stored masked (no e-mail addresses, phone numbers, names) and serves the classifier's
vote only: no reason, page or export shows its text.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from flask import current_app

from .. import versions
from ..extensions import db
from ..privacy import mask
from .embedding import embed_questions
from .models import RoutingExample
from .route import KINDS
from .routing_data import Example, Queue

_STATE_KEY = "triage.database_examples"


def add_example(question: str, kind: str, queue: str, user=None, known: Sequence[str | None] = ()) -> RoutingExample:
    """Store a staff-confirmed route for `question`, masked (`user`: the staff member, or None for the system;
    `known`: the requester's identifiers, masked wherever they occur).

    Added to the session and flushed; the caller commits it together with its own change.
    """
    from .classifier import current_routing

    if not isinstance(question, str) or not question.strip():
        raise ValueError("question is empty")
    if kind not in KINDS:
        raise ValueError(f"unknown route kind {kind!r}: use one of {', '.join(KINDS)}")
    queues = current_routing().data.queues
    if queue not in queues or queues[queue].kind != kind:
        valid = [q.id for q in queues.values() if q.kind == kind]
        raise ValueError(f"queue {queue!r} does not serve route kind {kind!r}: use one of {', '.join(valid)}")
    example = RoutingExample(question=mask(question.strip(), known), kind=kind, queue=queue, source="reroute", created_by=getattr(user, "id", None))
    db.session.add(example)
    db.session.flush()
    versions.forget()
    return example


def examples_marker() -> tuple:
    """(count, max id) of the examples staff added: changes whenever one is added or removed. Read once
    per request with the other shared versions (`helpdesk.versions`), again after `add_example`."""
    return versions.current().examples


def database_examples(queues: dict[str, Queue]) -> tuple[list[Example], np.ndarray]:
    """The examples staff added, with embeddings; re-read only when `examples_marker()` changed."""
    marker = examples_marker()
    cached = current_app.extensions.get(_STATE_KEY)
    if cached is None or cached[0] != marker:
        rows = RoutingExample.query.order_by(RoutingExample.id).all()
        # A row whose queue was since removed from queues.yaml still teaches its kind.
        examples = [Example(r.question, r.kind, r.queue if r.queue in queues else None, r.source) for r in rows if r.kind in KINDS]
        matrix = embed_questions([e.question for e in examples]) if examples else np.empty((0, 0), dtype=np.float32)
        cached = (marker, examples, matrix)
        current_app.extensions[_STATE_KEY] = cached
    return cached[1], cached[2]
