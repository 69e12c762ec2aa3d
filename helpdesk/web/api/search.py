"""`GET /api/v1/search`: ranked passages of the guideline, the FAQs and the checklists."""
from __future__ import annotations

from urllib.parse import parse_qsl

import marshmallow as ma
from flask import current_app, request

from helpdesk.answering.service import admission
from helpdesk.search import K_MAX, K_MIN, QueryError, check_k, check_query, get_search

from ..input_guard import checks_itself
from .blueprint import Blueprint, RequestSchema

bp = Blueprint("search_api", __name__, url_prefix="/api/v1", description="Semantic search over the sources.")

# A character percent-encodes to at most 12 bytes (4 UTF-8 bytes as %XX); beyond that, plus room
# for the other parameters, a query string cannot hold an acceptable query. Checked before parsing:
# parsing tens of megabytes takes seconds.
_ENCODED_BYTES_PER_CHAR = 12
_OTHER_PARAMETERS_BYTES = 1024


class SearchArgs(RequestSchema):
    q = ma.fields.String(required=True, metadata={"description": "the question or keywords (at most HELPDESK_MAX_QUESTION_CHARS, "
                                                  "2000 by default)", "example": "デュー・ディリジェンス"})
    k = ma.fields.Integer(load_default=10, validate=ma.validate.Range(K_MIN, K_MAX),
                          metadata={"description": "how many passages", "example": 5})
    field_errors = {"q": lambda: QueryError("empty_query"), "k": lambda: QueryError("bad_k", min=K_MIN, max=K_MAX)}


class HitSchema(ma.Schema):
    id = ma.fields.String(required=True, metadata={"example": "guideline/intro"})
    doc = ma.fields.String(required=True, metadata={"example": "guideline"})
    title = ma.fields.String(required=True)
    text = ma.fields.String(required=True)
    score = ma.fields.Float(required=True)
    url = ma.fields.String(required=True, metadata={"description": "the passage under /docs/", "example":
                                                    "/docs/guideline#guideline/intro"})


class SearchResultSchema(ma.Schema):
    query = ma.fields.String(required=True, metadata={"description": "the query as searched (trimmed)"})
    k = ma.fields.Integer(required=True)
    results = ma.fields.List(ma.fields.Nested(HitSchema), required=True)


@bp.before_request
def _query_string_is_searchable() -> None:
    """Refuse a query string too long to hold an acceptable query, or not UTF-8, before parsing it
    (Werkzeug would silently replace undecodable bytes with U+FFFD and search garbage)."""
    max_chars = current_app.config["HELPDESK_MAX_QUESTION_CHARS"]
    if len(request.query_string) > max_chars * _ENCODED_BYTES_PER_CHAR + _OTHER_PARAMETERS_BYTES:
        raise QueryError("query_too_long", max_chars=max_chars)
    try:
        parse_qsl(request.query_string.decode("utf-8"), errors="strict")
    except UnicodeDecodeError:
        raise QueryError("query_not_utf8") from None


@bp.route("/search", methods=["GET"])
@checks_itself("q", "k")  # a NUL in the query is its documented `nul_character`
@bp.arguments(SearchArgs, location="query")
@bp.response(200, SearchResultSchema)
def search(args: dict):
    """Ranked passages for `q`, each with the link to its place in /docs/."""
    query = check_query(args["q"], current_app.config["HELPDESK_MAX_QUESTION_CHARS"])
    k = check_k(args["k"])
    with admission().occupy():  # its query embedding takes the core as an ask's does
        hits = get_search().search(query, k=k)
    return {"query": query, "k": k, "results": [hit.to_dict() for hit in hits]}
