"""A request carrying a control character no field may hold is refused with a 400 before any view or query.

PostgreSQL refuses a NUL (U+0000) in a text parameter (SQLite stores it), so a NUL anywhere in a request
would be a 500 at whichever query it reached first. What is refused, by where it is:
- the path and the query string: any control character (C0 or DEL). They carry ids, references, tokens,
  filters and one-line search terms, none of which holds one;
- form fields and JSON strings, names and keys included: a NUL. Tab and the line ends are what a textarea
  holds; the other controls, which a pasted text may carry invisibly, are removed where text is stored
  (helpdesk.control_characters.strip_control), since a writer could not find them to take them out.
Cookies and headers are not checked: none reaches a query (the session is signed, the language cookie is
one of a list, a request id must match a pattern), and a browser would send a bad cookie with every
request, leaving no page to recover on.

The API gets its error shape (`control_character`), a page its own message; no view or query has run, so
nothing was changed. A view that checks a query parameter itself under a documented code names it with
`checks_itself` (the search API's `q`: `nul_character`).
"""
from __future__ import annotations

from collections.abc import Iterator

from flask import Flask, current_app, render_template, request

from helpdesk.accounts.access import wants_json
from helpdesk.control_characters import ANY, NUL
from helpdesk.errors import HelpdeskError
from helpdesk.i18n import _l, gettext_in

from .api.errors import refused

MAX_NAME_SHOWN = 40

TEXTS = {"control_character": _l("{place} contains a control character (U+{codepoint}), which no field may hold. "
                                 "Remove it and send again.")}
PLACES = {
    "path": _l("The address (URL)"),
    "query": _l("The URL parameter “{name}”"),
    "form": _l("The form field “{name}”"),
    "json": _l("The JSON field “{name}”"),
}
UNNAMED = _l("The request")  # a value under an empty name, or a JSON body that is no object


class ControlCharacterError(HelpdeskError):
    prefix = "request.error."
    texts = TEXTS

    def __init__(self, place: str, name: str, character: str) -> None:
        super().__init__("control_character", place=place, name=ANY.sub("", name)[:MAX_NAME_SHOWN],
                         codepoint=f"{ord(character):04X}")

    def shown_params(self, lang: str | None) -> dict:
        place, name = str(self.params["place"]), self.params["name"]
        where = PLACES[place] if name or place == "path" else UNNAMED
        return {**self.params, "place": gettext_in(lang, where, name=name)}


def checks_itself(*names: str):
    """Mark a view that checks these query parameters itself (with codes of its own): the guard leaves them."""
    def mark(view):
        view.checks_query_itself = frozenset(names)
        return view
    return mark


def _json_texts(body: object) -> Iterator[tuple[str, str]]:
    """Every string of a JSON body, keys included, with the top-level field it is under ("" for none)."""
    pending: list[tuple[str, object]] = (
        [(str(key), part) for key, value in body.items() for part in (key, value)] if isinstance(body, dict)
        else [("", body)])
    while pending:  # iterative: the parser already bounded the nesting, but no walk should need the stack
        name, item = pending.pop()
        if isinstance(item, str):
            yield name, item
        elif isinstance(item, dict):
            pending.extend((name, part) for pair in item.items() for part in pair)
        elif isinstance(item, list):
            pending.extend((name, part) for part in item)


def _offending() -> ControlCharacterError | None:
    """The first control character of the request no field may hold, as the refusal naming where it is."""
    found = ANY.search(request.path)
    if found:
        return ControlCharacterError("path", "", found.group())
    view = current_app.view_functions.get(request.endpoint or "")
    own: frozenset[str] = getattr(view, "checks_query_itself", frozenset())
    for name, value in request.args.items(multi=True):
        found = ANY.search(name) or (None if name in own else ANY.search(value))
        if found:
            return ControlCharacterError("query", name, found.group())
    texts = [("form", name, text) for name, value in request.form.items(multi=True) for text in (name, value)]
    # A body that is no JSON, or too deep, is left to the view's own parse and its error.
    texts += [("json", name, text) for name, text in _json_texts(request.get_json(silent=True))]
    for place, name, text in texts:
        if NUL in text:
            return ControlCharacterError(place, name, NUL)
    return None


def _refuse_control_characters():
    error = _offending()
    if error is None:
        return None
    if wants_json():
        return refused(error)
    return render_template("errors/control_character.html", message=error.message()), 400


def init_app(app: Flask) -> None:
    """Call before any other module adds a hook that reads the request (the blueprints' role checks, the
    language, the desk-FAQ sync). Only CSRF's and the limiter's run earlier, and neither queries; when the
    CSRF check fails, its handler runs this hook before the view (helpdesk.web.csrf_failure)."""
    app.before_request(_refuse_control_characters)
