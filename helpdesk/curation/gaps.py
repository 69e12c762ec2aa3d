"""The content-gap report: what went wrong at the desk, grouped into distinct questions.

Only what curators may read (helpdesk.curation.sources): questions of the desk route, masked, each
referred to by a signed token. A chat exchange the desk answered is listed when something says the
answer fell short: it was weak (declined or low confidence), the asker marked it unhelpful (at any
confidence; their comment shown masked), or they handed it to the desk's people afterwards. Closed
desk tickets that came from no such exchange are listed as escalated.

Questions are embedded with the search embedder's query vectors (cached on disk like passage
embeddings) and grouped greedily: each question joins the most similar group if that group's first
question is at least SIMILARITY-similar (cosine), else starts a new group. Identical questions embed
identically, so repeats always share a group; a group shows its distinct questions as examples. The
same grouping, per ISO week over the chat questions the desk answered, gives the most asked
questions by week.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from helpdesk.accounts.models import utcnow
from helpdesk.accounts.roles import DESK_QUEUE
from helpdesk.answering.models import Message
from helpdesk.extensions import db
from helpdesk.search import get_search, settings
from helpdesk.search.embed_cache import EmbeddingCache
from helpdesk.search.text import normalize
from helpdesk.tickets import Ticket

from . import sources

# Two questions at least this similar (multilingual-e5 query cosine) ask the same thing.
SIMILARITY = 0.88  # paraphrases measure 0.9+, different questions up to ~0.85
# Answers below this confidence were given on weak evidence (declined answers count regardless).
LOW_CONFIDENCE = 0.4
MAX_QUESTIONS = 2000  # newest first; keeps the report quick however long the desk has run
EXAMPLES = 3
WEEKS = 8
TOP_PER_WEEK = 5


@dataclass(frozen=True)
class Question:
    ref: str  # signed token of the source (sources.token_for), for /curation/new?source=
    text: str  # masked
    kinds: tuple[str, ...]  # low_confidence, unhelpful, handed_off | escalated | asked
    at: datetime
    confidence: float | None = None
    comment: str | None = None  # the asker's comment on an unhelpful answer, masked


@dataclass
class Group:
    seed: np.ndarray
    questions: list[Question] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.questions)

    @property
    def distinct(self) -> list[Question]:
        """One question per wording (the most recent), repeats of the same words left out."""
        seen: dict[str, Question] = {}
        for q in self.questions:
            seen.setdefault(normalize(q.text), q)
        return list(seen.values())

    @property
    def examples(self) -> list[Question]:
        return self.distinct[:EXAMPLES]

    @property
    def comments(self) -> list[str]:
        return [q.comment for q in self.questions if q.comment][:EXAMPLES]

    def kinds(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for q in self.questions:
            for kind in q.kinds:
                counts[kind] = counts.get(kind, 0) + 1
        return counts


_caches: dict[Path, EmbeddingCache] = {}
_caches_lock = threading.Lock()


def embed(texts: list[str]) -> np.ndarray:
    """Query embeddings of `texts`, cached by content (questions repeat from one report to the next)."""
    embedder = get_search().embedder
    path = settings(current_app).embed_cache
    with _caches_lock:
        cache = _caches.setdefault(path, EmbeddingCache(path))
    # Its own model key: query embeddings differ from the passage embeddings stored alongside.
    return cache.embed(f"{embedder.model_id}#query", embedder.dim, texts, embedder.embed_queries)


def group(questions: list[Question], threshold: float = SIMILARITY) -> list[Group]:
    """Greedy grouping, largest group first (ties: the most recent question first)."""
    if not questions:
        return []
    vectors = embed([q.text for q in questions])
    groups: list[Group] = []
    for question, vector in zip(questions, vectors, strict=True):
        best = max(groups, key=lambda g: float(g.seed @ vector), default=None)
        if best is not None and float(best.seed @ vector) >= threshold:
            best.questions.append(question)
        else:
            groups.append(Group(vector, [question]))
    return sorted(groups, key=lambda g: (-g.count, -g.questions[0].at.timestamp()))


def _chat_exchanges(since: datetime) -> list[tuple[Message, Message]]:
    """(question, answer) message pairs the desk answered itself since `since`, newest first."""
    rows = db.session.scalars(
        select(Message).where(Message.created_at >= since).options(selectinload(Message.feedback))
        .order_by(Message.id.desc()).limit(2 * MAX_QUESTIONS)
    ).all()
    by_id = {m.id: m for m in rows}
    pairs = []
    for answer in rows:
        question = by_id.get(answer.id - 1)  # a question and its answer are stored one after the other
        if sources.desk_answered(answer) and question is not None and question.role == "user" \
                and question.conversation_id == answer.conversation_id:
            pairs.append((question, answer))
    return pairs


def _weak(answer: Message) -> bool:
    return answer.answerable is False or (answer.confidence is not None and answer.confidence < LOW_CONFIDENCE)


def _shortfalls(answer: Message, handed_off: set[int | None]) -> tuple[str, ...]:
    """What says this answer fell short, in the report's order."""
    feedback = answer.feedback
    return tuple(kind for kind, fired in (("low_confidence", _weak(answer)),
                                         ("unhelpful", feedback is not None and not feedback.helpful),
                                         ("handed_off", answer.id in handed_off)) if fired)


def gap_questions(since: datetime) -> list[Question]:
    # Handoffs to the desk's own queue only: a ticket rerouted to an agency or ministry is their case.
    handed_off = set(db.session.scalars(select(Ticket.message_id).where(
        Ticket.created_at >= since, Ticket.message_id.is_not(None), Ticket.queue == DESK_QUEUE)))
    found, listed = [], set()
    for question, answer in _chat_exchanges(since):
        kinds = _shortfalls(answer, handed_off)
        if kinds:
            listed.add(answer.id)
            comment = sources.feedback_comment(answer) if "unhelpful" in kinds else None
            found.append(_chat_question(question, kinds, answer.confidence, comment))
    tickets = db.session.scalars(
        select(Ticket).where(Ticket.created_at >= since, sources.desk_tickets())
        .order_by(Ticket.id.desc()).limit(MAX_QUESTIONS)
    ).all()
    # A ticket handed over from a listed exchange is that exchange's question: listed once, as a handoff.
    found += [Question(sources.token_for("ticket", t.id), sources.ticket_text(t), ("escalated",), t.created_at)
              for t in tickets if t.message_id not in listed]
    return sorted(found, key=lambda q: q.at, reverse=True)[:MAX_QUESTIONS]


def weekly_top(now: datetime) -> list[tuple[str, list[Group]]]:
    """The most asked chat questions of each of the last WEEKS ISO weeks, newest week first."""
    since = now - timedelta(weeks=WEEKS)
    asked = [_chat_question(q, ("asked",)) for q, _ in _chat_exchanges(since)]
    weeks: dict[str, list[Question]] = {}
    for q in asked:
        year, week, _ = q.at.isocalendar()
        weeks.setdefault(f"{year}-W{week:02d}", []).append(q)
    return [(label, group(items)[:TOP_PER_WEEK]) for label, items in sorted(weeks.items(), reverse=True)]


def _chat_question(question: Message, kinds: tuple[str, ...], confidence: float | None = None,
                   comment: str | None = None) -> Question:
    return Question(sources.token_for("chat", question.id), sources.chat_text(question), kinds,
                    _naive(question.created_at), confidence, comment)


def _naive(moment: datetime) -> datetime:
    """UTC without a time zone, comparable with the other areas' timestamps."""
    return moment.replace(tzinfo=None) if moment.tzinfo else moment


def report(days: int) -> tuple[list[Group], list[tuple[str, list[Group]]]]:
    now = utcnow()
    return group(gap_questions(now - timedelta(days=days))), weekly_top(now)
