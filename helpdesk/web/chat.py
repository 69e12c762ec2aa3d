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
from . import i18n

bp = Blueprint("chat", __name__)
SESSION_KEY = "conversation_id"

i18n.MESSAGES.update(
    {
        "chat.title": {"ja": "相談する", "en": "Ask the desk"},
        "chat.intro": {
            "ja": "研究セキュリティの手順書（原案）とJST ASPIRE FAQに基づいて、出典付きでお答えします。"
            "日本語でも英語でも質問できます。",
            "en": "Answers cite the research-security guideline (draft) and the JST ASPIRE FAQ. "
            "Ask in Japanese or English; English answers quote provisional translations, each followed by "
            "the authoritative Japanese original.",
        },
        "chat.history": {"ja": "これまでのやりとり", "en": "Conversation"},
        "chat.empty": {"ja": "まだ質問はありません。", "en": "No questions yet."},
        "chat.you": {"ja": "あなたの質問", "en": "Your question"},
        "chat.desk": {"ja": "相談窓口の回答", "en": "The desk's answer"},
        "chat.label": {"ja": "質問", "en": "Your question"},
        "chat.hint": {
            "ja": "Enterで送信、Shift+Enterで改行（JavaScript無効時は送信ボタン）。",
            "en": "Enter sends, Shift+Enter adds a line (without JavaScript: use the button).",
        },
        "chat.submit": {"ja": "送信", "en": "Send"},
        "chat.new": {"ja": "新しい相談を始める", "en": "Start a new conversation"},
        "chat.working": {"ja": "回答を作成しています…", "en": "Preparing the answer…"},
        "chat.done": {"ja": "回答を表示しました。", "en": "The answer is shown."},
        "chat.failed": {
            "ja": "回答を取得できませんでした。もう一度お試しください。",
            "en": "The answer could not be fetched. Please try again.",
        },
        "chat.sources": {"ja": "出典", "en": "Sources"},
        "chat.source_quote": {"ja": "引用した原文", "en": "Quoted Japanese text"},
        "chat.handoff": {"ja": "担当者に引き継ぐ", "en": "Hand over to a person"},
        "chat.handoff_quiet_reason": {"ja": "この回答で解決しない場合は", "en": "Not what you needed?"},
        "chat.handoff_quiet": {"ja": "担当者に相談する", "en": "Ask a person instead"},
        "chat.handoff_help": {
            "ja": "この質問を相談窓口の担当者に送ります。",
            "en": "Sends this question to a person at the desk.",
        },
    }
)


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
        return _page(conversation, error=error.message(i18n.current_lang()), draft=question), status, headers
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
