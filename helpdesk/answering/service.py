"""`ask()`: the one entry point for the chat page, the JSON API and the CLI.

Checks the question, answers it, stores the exchange in its conversation, audits the routing
decision (never the question text) and returns the JSON shape shared by API and CLI.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

from flask import current_app, has_request_context
from flask_login import current_user

from ..audit import record
from ..control_characters import strip_control
from ..curation import search_sync
from ..extensions import db
from ..observability.metrics import request_age
from ..triage.learning import examples_marker
from . import conversations
from .admission import Admission
from .answer_cache import AnswerCache
from .answerer import get_answerer
from .errors import AskError
from .language import detect_lang

_setup_lock = threading.Lock()


@dataclass(frozen=True)
class Answered:
    payload: dict  # the shared JSON shape
    message_id: int  # the stored assistant message


def clean_question(raw: object, max_chars: int) -> str:
    if raw is None:
        raise AskError("empty_question")
    if not isinstance(raw, str):
        raise AskError("question_not_text")
    if "\ufffd" in raw:
        # Werkzeug decodes invalid UTF-8 form data to U+FFFD: refuse rather than answer garbled text.
        raise AskError("invalid_text")
    question = strip_control(raw).strip()
    if not question:
        raise AskError("empty_question")
    if len(question) > max_chars:
        raise AskError("question_too_long", limit=max_chars)
    return question


def ask(raw_question: object, conversation_id: object = None) -> Answered:
    """Raises AskError for bad input, and AskError("busy") when this worker already answers as many
    asks as it may (`HELPDESK_MAX_INFLIGHT_ASKS`) or the ask would wait longer than
    `HELPDESK_ASK_WAIT_BUDGET_MS`, counted from when the request reached the app, for those ahead of it."""
    question = clean_question(raw_question, current_app.config["HELPDESK_MAX_QUESTION_CHARS"])
    with admission().slot(waited=request_age() or 0.0) as admitted:
        if not admitted:
            raise _busy()
        return _answer_and_store(question, conversation_id)


def refuse_if_busy() -> None:
    """Raises AskError("busy") when this worker would refuse an ask arriving now. For the web layer to call
    before a request's costlier work (the body's validation, the desk-FAQ sync's read): under overload most asks
    are refused, and refusing them should take little of the CPU the asks being served need."""
    if admission().turns_away(waited=request_age() or 0.0):
        raise _busy()


def _busy() -> AskError:
    return AskError("busy", retry_after=current_app.config["HELPDESK_OVERLOAD_RETRY_AFTER"])


def _answer_and_store(question: str, conversation_id: object) -> Answered:
    conversation = None
    if conversation_id is not None:
        if not isinstance(conversation_id, str):
            raise AskError("bad_conversation_id")
        conversation = conversations.find_for(conversation_id, current_user_id())
        if conversation is None:
            raise AskError("unknown_conversation")
    lang = detect_lang(question)
    answer = _respond(question, lang, conversations.last_question(conversation))
    conversation_id, message_id = conversations.add_exchange(conversation, question, lang, answer, current_user_id())
    record(
        "question.asked",
        object_type="conversation",
        object_id=conversation_id,
        details={
            "message_id": message_id,
            "route_kind": answer.route["kind"],
            "queue": answer.route["queue"],
            "confidence": answer.confidence,
            "answerable": answer.answerable,
        },
    )
    db.session.commit()
    payload = {
        "question": question,
        "answer_markdown": answer.markdown,
        "answerable": answer.answerable,
        "confidence": answer.confidence,
        "sources": answer.sources,
        "route": answer.route,
        "conversation_id": conversation_id,
        "handoff": answer.handoff,
    }
    return Answered(payload, message_id)


def _respond(question: str, lang: str, previous: str | None):
    answerer = get_answerer()
    if previous:
        return answerer.respond(question, lang, previous=previous)
    # What else the answer depends on: the desk FAQ applied to the index and the staff's routing examples.
    state = (search_sync.applied(answerer.service)[0], examples_marker())
    return _per_app("helpdesk.answer_cache", lambda cfg: AnswerCache(cfg["HELPDESK_ANSWER_CACHE_SIZE"])
                    ).get_or_answer(question, lang, state, lambda: answerer.respond(question, lang))


def admission() -> Admission:
    """The current app's limits on the asks this process takes on."""
    return _per_app("helpdesk.admission", lambda cfg: Admission(cfg["HELPDESK_MAX_INFLIGHT_ASKS"],
                                                                cfg["HELPDESK_ASK_WAIT_BUDGET_MS"] / 1000))


def _per_app(key: str, make):
    found = current_app.extensions.get(key)
    if found is None:
        with _setup_lock:
            found = current_app.extensions.setdefault(key, make(current_app.config))
    return found


def current_user_id() -> int | None:
    if has_request_context() and current_user.is_authenticated:
        return current_user.id
    return None
