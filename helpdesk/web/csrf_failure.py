"""A CSRF failure on an HTML form gives the form back, with what was typed and a clear message.

Flask-WTF's blanket check runs before the view (an app-level before_request hook) and raises
CSRFError, typically for a token that expired while someone was writing. For views marked with
`keeps_input`, the handler then finishes the request's other before_request hooks (language,
the blueprints' role checks) and runs the view itself: the view's FlaskForm fails the same CSRF
check, so nothing changes, and the view re-renders its form from request.form with a fresh token
(password fields never render a value). Other HTML forms get a page with the message; the API
answers JSON.
"""
from __future__ import annotations

from flask import Flask, current_app, flash, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .api.errors import TEXTS as API_ERRORS
from .api.errors import respond
from .i18n import _


def keeps_input(view):
    """Mark a form view to be re-run on a CSRF failure. It must validate a CSRF-protected FlaskForm
    before it changes anything, and re-render that form when validation fails."""
    view.keeps_input_on_csrf_failure = True
    return view


def _is_blanket_check(hook) -> bool:
    return hook.__module__ == "flask_wtf.csrf" and hook.__name__ == "csrf_protect"


def _remaining_hooks():
    """Run the before_request hooks the CSRF check cut short; a hook's response (a redirect to log
    in, a 403) ends the request as it would have."""
    for name in (None, *reversed(request.blueprints)):
        for hook in current_app.before_request_funcs.get(name, ()):
            if not _is_blanket_check(hook):
                response = current_app.ensure_sync(hook)()
                if response is not None:
                    return response
    return None


def _form_again(view):
    response = _remaining_hooks()
    if response is not None:
        return response
    flash(_("For your security the form was not accepted: the page had been open too long. What you typed is kept; "
            "please check it and send it again."), "error")
    response = current_app.make_response(current_app.ensure_sync(view)(**(request.view_args or {})))
    response.status_code = 400
    return response


def _explain():
    response = _remaining_hooks()
    return response if response is not None else (render_template("csrf_failed.html"), 400)


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf_failed(error: CSRFError):
        if request.path.startswith("/api/"):
            return respond("csrf_failed", str(API_ERRORS["csrf_failed"]), 400)
        view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
        try:
            if view is not None and getattr(view, "keeps_input_on_csrf_failure", False):
                return _form_again(view)
            return _explain()
        except HTTPException as refused:  # the view's own 404 / 403, as without the CSRF failure
            return current_app.handle_http_exception(refused)
