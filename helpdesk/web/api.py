"""JSON API, `/api/v1`. Errors are `{"error": message}` with a 4xx status, never an HTML page.

Only GET endpoints here so far, which CSRF protection does not cover (they change nothing);
endpoints that change state (POST) keep CSRF protection unless exempted deliberately.
"""
from __future__ import annotations

from urllib.parse import parse_qsl

from flask import Blueprint, current_app, jsonify, request

from ..extensions import csrf
from ..search import QueryError, check_k, check_query, get_search
from .chat_api import ask_endpoint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
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
    if not _query_string_is_utf8():
        return _error("the query string is not valid UTF-8")
    try:
        query = check_query(request.args.get("q"), current_app.config["HELPDESK_MAX_QUESTION_CHARS"])
        k = check_k(request.args.get("k", 10))
    except QueryError as exc:
        return _error(str(exc))
    hits = get_search().search(query, k=k)
    return jsonify(query=query, k=k, results=[hit.to_dict() for hit in hits])
