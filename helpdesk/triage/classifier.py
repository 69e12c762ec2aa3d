"""The triage classifier: program detection + cue phrases + a nearest-neighbour vote over examples.

Decision order (the staff-facing description is in routing/rules.yaml):
1. Emergency: an `incident` cue (leak, theft, copying, photographing, intrusion) together with an
   `urgency` cue or emergency neighbours, or a clear emergency majority among the neighbours with an
   `incident` or `urgency` cue: an emergency is an event, and every emergency phrasing in the examples
   and question files names one, while English questions merely about lab routines ("where should
   we keep lab notebooks?") sit near the emergency examples.
   Checked first so that an emergency is never answered as a desk question.
2. Otherwise each kind scores its prior, its neighbour vote share and the boosts of the cue groups that fired
   (fa and ministry count their vote share only partly unless one of their cues fired);
   out_of_scope is ruled out when any `in_scope` cue fired (be conservative about declining).
   When even the best example is dissimilar the vote is ignored and the desk (which answers
   anything general) gets the default share.
3. The queue follows from the kind: fa → the detected program's agency (several agencies or none:
   fa-triage, unless staff reroutes among the neighbours name one); ministry → meti for export
   control, else the queue most of the closest queue-labelled examples name (staff reroutes),
   else mext for MEXT matters or programs funded through MEXT, else cao (内閣府 runs the desk);
   emergency → `emergency`, notifying the program's agency (or fa-triage) and cao.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from flask import current_app

from ..answering.language import detect_lang
from .cues import find_cues
from .embedding import current_embedder, embed_questions
from .learning import database_examples
from .neighbours import Vote, vote
from .programs import ProgramDetector
from .reasons import explain
from .route import Route
from .routing_data import Program, RoutingData, RoutingDataError, load_routing_data

ROUTING_FILES = ("queues.yaml", "programs.yaml", "rules.yaml", "examples.yaml")
FIXED_QUEUES = {"desk": "desk", "out_of_scope": "none"}
CUED_KINDS = ("fa", "ministry")  # forwarding kinds: a concrete case needs a cue, not just similar wording


@dataclass(frozen=True)
class Routing:
    data: RoutingData
    detector: ProgramDetector
    matrix: np.ndarray  # embeddings of data.examples, row for row


def _passage_ids(corpus_dir: Path) -> set[str]:
    from ..corpus import load_corpus

    try:
        return {passage.id for passage in load_corpus(corpus_dir).passages}
    except FileNotFoundError as exc:
        raise RoutingDataError(f"cannot check the passages cited in rules.yaml: {exc}") from exc


@lru_cache(maxsize=4)  # keyed by plain strings: checked on every ask
def _load(routing_dir: str, corpus_dir: str, fingerprint: tuple, embedder_spec: str) -> Routing:
    data = load_routing_data(Path(routing_dir), _passage_ids(Path(corpus_dir)))
    matrix = embed_questions([example.question for example in data.examples])
    return Routing(data, ProgramDetector(data.programs), matrix)


def current_routing() -> Routing:
    """The routing data for this app, reloaded when a file in routing/ changes (staff edit it live)."""
    config = current_app.config
    routing_dir = str(config["HELPDESK_ROUTING_DIR"])
    return _load(routing_dir, str(config["HELPDESK_CORPUS_DIR"]), _fingerprint(routing_dir), config["HELPDESK_EMBEDDER"])


def _fingerprint(routing_dir: str) -> tuple:
    """(name, mtime) of each routing file present: one stat a file, on every ask."""
    stamps = []
    for name in ROUTING_FILES:
        try:
            stamps.append((name, os.stat(os.path.join(routing_dir, name)).st_mtime_ns))
        except FileNotFoundError:
            continue
    return tuple(stamps)


def warm_up() -> None:
    """Embed the routing examples and the staff-added ones now (start-up), so no request pays for it."""
    routing = current_routing()
    database_examples(routing.data.queues)


def _query_vector(question: str, query_vector: np.ndarray | None) -> np.ndarray:
    embedder = current_embedder()
    if query_vector is None:
        return embedder.embed_queries([question])[0]
    vector = np.asarray(query_vector, dtype=np.float32).reshape(-1)
    if vector.shape[0] != embedder.dim:
        raise ValueError(f"query_vector has {vector.shape[0]} dimensions, the embedder {embedder.model_id} has {embedder.dim}")
    return vector


def _neighbour_vote(routing: Routing, query: np.ndarray) -> Vote:
    learnt, learnt_matrix = database_examples(routing.data.queues)
    examples = list(routing.data.examples) + learnt
    matrix = np.vstack([routing.matrix, learnt_matrix]) if learnt else routing.matrix
    settings = routing.data.neighbours
    return vote(query, matrix, examples, int(settings["k"]), settings["temperature"])


def _is_emergency(fired: dict[str, str], shares: dict[str, float], settings: dict[str, float]) -> bool:
    emergency_share = shares.get("emergency", 0.0)
    if "incident" in fired and ("urgency" in fired or emergency_share >= settings["emergency_share"]):
        return True
    return emergency_share >= 0.5 and ("incident" in fired or "urgency" in fired)


def _kind_scores(data: RoutingData, fired: dict[str, str], programs: list[Program], vote_: Vote) -> dict[str, float]:
    boosts = {kind: 0.0 for kind in data.kinds}
    for name in fired:
        group = data.cues[name]
        if group.needs_program and not programs:
            continue
        for kind, weight in group.boost.items():
            boosts[kind] += weight
    if vote_.top_similarity >= data.neighbours["min_similarity"]:
        shares, confirmed = vote_.shares, vote_.shares_from("reroute")
    else:
        shares, confirmed = {"desk": 1.0}, {}
    scores = {}
    for kind in data.kinds:
        # Staff reroutes are confirmed routes for questions like this one: they always count fully.
        share = shares.get(kind, 0.0) - confirmed.get(kind, 0.0)
        if kind in CUED_KINDS and not boosts[kind]:
            share *= data.neighbours["uncued_share"]
        scores[kind] = data.prior[kind] + share + confirmed.get(kind, 0.0) + boosts[kind]
    del scores["emergency"]  # only the emergency rule above may raise an emergency
    if "in_scope" in fired:
        del scores["out_of_scope"]
    return scores


def _fa_queue(programs: list[Program], vote_: Vote) -> str:
    agencies = list(dict.fromkeys(program.queue for program in programs))
    if len(agencies) == 1:
        return agencies[0]
    if not agencies:
        learnt = vote_.queue_shares("fa")
        if learnt:
            return max(learnt, key=lambda queue: learnt[queue])
    return "fa-triage"


def _ministry_queue(fired: dict[str, str], programs: list[Program], vote_: Vote) -> str:
    if "export_control" in fired:
        return "meti"
    learnt = vote_.queue_shares("ministry")  # `ministry:meti` examples and staff reroutes
    if learnt and max(learnt.values()) > 0.5:
        return max(learnt, key=lambda queue: learnt[queue])
    if "mext" in fired or any(program.ministry == "mext" for program in programs):
        return "mext"
    return "cao"


def classify(question: str, lang: str | None = None, query_vector: np.ndarray | None = None) -> Route:
    """Route a question; `query_vector` is its normalised query embedding if the caller already has it."""
    if not isinstance(question, str) or not question.strip():
        raise ValueError("question is empty")
    lang = lang or detect_lang(question)
    routing = current_routing()
    data = routing.data
    programs = routing.detector.detect(question)
    fired = find_cues(question, data.cues)
    vote_ = _neighbour_vote(routing, _query_vector(question, query_vector))

    notify: list[str] = []
    if _is_emergency(fired, vote_.shares, data.neighbours):
        kind, queue = "emergency", "emergency"
        notify = [_fa_queue(programs, vote_) if programs else "fa-triage", "cao"]
    else:
        scores = _kind_scores(data, fired, programs, vote_)
        kind = max(scores, key=lambda k: scores[k])
        if kind == "fa":
            queue = _fa_queue(programs, vote_)
        elif kind == "ministry":
            queue = _ministry_queue(fired, programs, vote_)
        else:
            queue = FIXED_QUEUES[kind]

    reason_ja, reason_en = explain(data, kind, queue, programs, fired, vote_)
    return Route(
        kind=kind,
        queue=queue,
        reason_ja=reason_ja,
        reason_en=reason_en,
        lang=lang,
        cites=list(data.kinds[kind].cites),
        notify=notify,
        program=programs[0].id if programs else None,
    )
