"""Markdown for answers: escaping quoted corpus text into it, and rendering it to safe HTML."""
from __future__ import annotations

import html
import re

import markdown
import nh3

_ALLOWED_TAGS = {"p", "ul", "ol", "li", "a", "blockquote", "strong", "em", "hr", "code", "br", "sup"}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}}
# Characters with a Markdown meaning; quoted source text must stay literal.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~])")


def escape(text: str) -> str:
    """`text` as literal Markdown: special characters backslash-escaped, HTML characters as entities."""
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def citation(number: int, url: str) -> str:
    """A numbered citation mark linking to the cited passage, e.g. `[1]`."""
    return f"[\\[{number}\\]]({url})"


def to_html(markdown_text: str) -> str:
    """Render answer Markdown to HTML, then sanitise it: answers quote documents, never run code."""
    html = markdown.markdown(markdown_text, output_format="html")
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer",
    )


def to_text(markdown_text: str) -> str:
    """Plain text of answer Markdown (for staff review and search of stored answers)."""
    return html.unescape(nh3.clean(to_html(markdown_text), tags=set())).strip()
