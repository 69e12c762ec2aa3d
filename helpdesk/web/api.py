"""JSON API, `/api/v1`. Errors are `{"error": message}` with a 4xx status, never an HTML page.

GET endpoints change nothing, so CSRF protection does not cover them. `POST /ask` is exempted from
Flask-WTF's blanket check because it checks CSRF itself for requests that carry a session cookie
(see chat_api); the tickets API lives in tickets_api.
"""
from __future__ import annotations

from urllib.parse import parse_qsl

from flask import Blueprint, current_app, jsonify, request

from ..extensions import csrf
from ..search import QueryError, check_k, check_query, get_search
from .chat_api import ask_endpoint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

# A character percent-encodes to at most 12 bytes (4 UTF-8 bytes as %XX); beyond that, plus room
# for the other parameters, a query string cannot hold an acceptable query. Checked before parsing:
# parsing tens of megabytes takes seconds.
_ENCODED_BYTES_PER_CHAR = 12
_OTHER_PARAMETERS_BYTES = 1024
# POST /ask checks CSRF itself for session-bearing requests (see chat_api for why).
bp.add_url_rule("/ask", "ask", csrf.exempt(ask_endpoint), methods=["POST"])


def _error(message: str, status: int = 400):
    return jsonify(error=message), status


def _query_string_is_utf8() -> bool:
    """Werkzeug silently replaces undecodable bytes with U+FFFD; reject them instead of searching garbage."""
    try:
        parse_qsl(request.query_string.decode("utf-8"), errors="strict")
    except UnicodeDecodeError:
        return False
    return True


@bp.get("/search")
def search():
    """Ranked passages for `q`: `{"query", "k", "results": [{id, doc, title, text, score, url}]}`."""
    max_chars = current_app.config["HELPDESK_MAX_QUESTION_CHARS"]
    if len(request.query_string) > max_chars * _ENCODED_BYTES_PER_CHAR + _OTHER_PARAMETERS_BYTES:
        return _error(f"the query is too long (at most {max_chars} characters)")
    if not _query_string_is_utf8():
        return _error("the query string is not valid UTF-8")
    try:
        query = check_query(request.args.get("q"), max_chars)
        k = check_k(request.args.get("k", 10))
    except QueryError as exc:
        return _error(str(exc))
    hits = get_search().search(query, k=k)
    return jsonify(query=query, k=k, results=[hit.to_dict() for hit in hits])
