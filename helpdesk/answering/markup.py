"""Markdown for answers: escaping quoted corpus text into it, and rendering it to safe HTML."""
from __future__ import annotations

import html
import re

import nh3

from ..curation.markup import render_markdown

# Characters with a Markdown meaning anywhere (links, emphasis, code), and the marks that open a block
# at the start of a line (heading, quote, list). Only these are escaped: the answer's body stays close to
# the documents' own characters, so that «(STRAC)» or «e.g.» read (and are found) as written.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]])")
_MD_LINE_START = re.compile(r"^(\s*\d*)([#>+\-]|(?<=\d)[.)])", re.M)


def escape(text: str) -> str:
    """`text` as literal Markdown: special characters backslash-escaped, HTML characters as entities."""
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def citation(number: int, url: str) -> str:
    """A numbered citation mark linking to the cited passage, e.g. `[1]`."""
    return f"[\\[{number}\\]]({url})"


def link(text: str, url: str) -> str:
    """A Markdown link in parentheses, e.g. `([desk FAQ](/docs/faq-desk#…))`."""
    return f"([{escape(text)}]({url}))"


def to_html(markdown_text: str) -> str:
    """Render answer Markdown to safe HTML with the one shared renderer (also used for desk FAQ answers,
    which chat answers quote): answers quote documents, never run code."""
    return render_markdown(markdown_text)


def to_text(markdown_text: str) -> str:
    """Plain text of answer Markdown (for staff review and search of stored answers)."""
    return html.unescape(nh3.clean(to_html(markdown_text), tags=set())).strip()
