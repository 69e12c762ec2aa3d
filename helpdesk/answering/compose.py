"""Writing the answer's Markdown from chosen quotes, with numbered citations and the desk's notice."""
from __future__ import annotations

from dataclasses import dataclass, field

from . import markup
from .extract import Quote
from .wording import NOTICE, words

EXCERPT_GAP = "…"


@dataclass
class Citations:
    """Numbers cited passages in order of first use and collects what was quoted from each."""

    scores: dict[str, float]
    _passages: list = field(default_factory=list)
    _quoted: dict[str, dict[int, str]] = field(default_factory=dict)

    def cite(self, quote: Quote) -> str:
        passage = quote.passage
        if passage.id not in self._quoted:
            self._passages.append(passage)
            self._quoted[passage.id] = {}
        self._quoted[passage.id][quote.position] = quote.text
        number = self._passages.index(passage) + 1
        return markup.citation(number, passage.url)

    def sources(self) -> list[dict]:
        return [
            {
                "id": p.id,
                "doc": p.doc,
                "title": p.title,
                "text": _excerpt(self._quoted[p.id]),
                "score": round(self.scores.get(p.id, 0.0), 6),
                "url": p.url,
            }
            for p in self._passages
        ]


def _excerpt(quoted: dict[int, str]) -> str:
    """The quoted sentences in document order; a gap between non-adjacent sentences shows as …"""
    parts, previous = [], None
    for position in sorted(quoted):
        if previous is not None and position != previous + 1:
            parts.append(EXCERPT_GAP)
        parts.append(quoted[position])
        previous = position
    return "".join(parts)


class Writer:
    """Builds one answer: blocks of Markdown, each quote cited, the notice last."""

    def __init__(self, lang: str, citations: Citations) -> None:
        self.lang = lang
        self.citations = citations
        self.blocks: list[str] = []

    def line(self, key: str, **values: str) -> None:
        text = words(key, self.lang, **values)
        if text:
            self.blocks.append(text)

    def text(self, markdown_text: str) -> None:
        self.blocks.append(markdown_text)

    def quotes(self, quotes: list[Quote], as_block_quote: bool = False) -> None:
        if not quotes:
            return
        cited = [f"{self._quoted(q.text)} {self.citations.cite(q)}" for q in quotes]
        if as_block_quote:
            self.blocks.append("> " + " ".join(cited))
        else:
            self.blocks.append("\n".join(f"- {c}" for c in cited))

    def _quoted(self, sentence: str) -> str:
        # English answers mark the Japanese sentences as verbatim quotations.
        escaped = markup.escape(sentence)
        return f"「{escaped}」" if self.lang == "en" else escaped

    def markdown(self) -> str:
        return "\n\n".join([*self.blocks, "---", f"*{markup.escape(NOTICE[self.lang])}*"])
