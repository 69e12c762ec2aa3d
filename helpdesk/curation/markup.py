"""The one Markdown renderer for text people write (desk FAQ answers) and for chat answers.

Markdown allows raw HTML, so the rendered HTML is sanitised with an allow-list (nh3/ammonia):
no script or style, no event handlers, no `style` attributes, and links only to http(s), mailto or
relative URLs. `javascript:`/`data:` URLs are dropped whatever their spelling (entities, case),
because nh3 parses the HTML exactly as a browser would before checking.
"""
from __future__ import annotations

import html
import threading

import markdown
import nh3

ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
    "blockquote", "pre", "code", "strong", "em", "del", "sup", "sub", "a",
    "table", "thead", "tbody", "tr", "th", "td",
    "details", "summary",  # chat answers: an English quote's Japanese original, collapsed
})
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "th": {"align"}, "td": {"align"},
                      "details": {"class"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Tables and fenced code are what FAQ answers need beyond core Markdown.
EXTENSIONS = ("tables", "fenced_code", "sane_lists")
_local = threading.local()


def sanitise(raw_html: str) -> str:
    return nh3.clean(
        raw_html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
    )


def render_markdown(text: str) -> str:
    """Markdown → safe HTML (the same output in the editor preview, the docs viewer and the chat)."""
    return sanitise(_converter().reset().convert(text or ""))


def _converter() -> markdown.Markdown:
    """This thread's Markdown converter: building one (its extensions' processors) costs a fifth of
    converting a chat answer, and a converter must not convert for two threads at once."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = markdown.Markdown(extensions=list(EXTENSIONS), output_format="html")
    return converter


def plain_text(text: str) -> str:
    """The words of Markdown `text`, for search and quoting.

    Angle brackets become full-width: the text travels in JSON to clients that may insert it as
    HTML, and an answer that mentions `&lt;script&gt;` must not turn back into a tag there.
    """
    words = html.unescape(nh3.clean(render_markdown(text), tags=set()))
    return words.replace("<", "＜").replace(">", "＞").strip()
