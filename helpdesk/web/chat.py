"""The chat page (landing page `/`): ask, see cited answers, follow up in the same conversation.

Works as a plain form (POST → redirect → GET) and, with chat.js, through the JSON API plus the
server-rendered message fragment below, so both paths show identical HTML.
"""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from markupsafe import Markup

from ..answering import conversations, markup
from ..answering.errors import AskError
from ..answering.service import ask, current_user_id
from .i18n import current_lang

bp = Blueprint("chat", __name__)
SESSION_KEY = "conversation_id"


@bp.app_template_filter("answer_html")
def answer_html(markdown_text: str | None) -> Markup:
    return Markup(markup.to_html(markdown_text or ""))  # noqa: S704 to_html sanitises with nh3


@bp.get("/")
def index():
    conversation = conversations.find_for(session.get(SESSION_KEY), current_user_id())
    return _page(conversation)


@bp.post("/")
def submit():
    question = request.form.get("question", "")
    conversation_id = request.form.get("conversation_id") or None
    try:
        answered = ask(question, conversation_id)
    except AskError as error:
        # Re-show the page with the message; the typed text stays in the box.
        status = error.status
        conversation = conversations.find_for(session.get(SESSION_KEY), current_user_id())
        headers = {"Retry-After": str(error.params["retry_after"])} if status == 503 else {}
        return _page(conversation, error=error.message(current_lang()), draft=question), status, headers
    session[SESSION_KEY] = answered.payload["conversation_id"]
    return redirect(url_for("chat.index", _anchor=f"m{answered.message_id}"), code=303)


@bp.post("/new")
def new_conversation():
    session.pop(SESSION_KEY, None)
    return redirect(url_for("chat.index"), code=303)


@bp.get("/conversations/<conversation_id>/messages")
def messages_fragment(conversation_id: str):
    """The conversation's messages after `?after=<message id>`, as HTML for chat.js to append."""
    conversation = conversations.find_for(conversation_id, current_user_id())
    if conversation is None:
        abort(404)
    after = request.args.get("after", default=0, type=int)
    messages = [m for m in conversation.messages if m.id > after]
    return render_template("chat/_messages.html", messages=messages, conversation=conversation)


def _page(conversation, error: str | None = None, draft: str = ""):
    return render_template(
        "chat/index.html",
        conversation=conversation,
        messages=conversation.messages if conversation else [],
        error=error,
        draft=draft,
    )
