"""Writing the answer's Markdown: the lead, the supporting blocks quoted whole, numbered citations, the
desk's notice last.

Japanese answers quote the documents as written. English answers quote each block in its provisional
English translation (`Passage.en`, line for line the same block), each followed by its Japanese
original in a `<details>` element (collapsed in the chat page, always present in the Markdown); a
passage without a translation is quoted in Japanese and says so.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from . import markup
from .extract import Pick
from .sentences import Block, Line, split_english_sentences, split_sentences, strip_marker
from .wording import NOTICE, words

EXCERPT_GAP = "…"
LABEL_MAX_CHARS = 30  # a longer heading (a checklist's full title) repeats the citation's title
_ORIGINAL = re.compile(r"<details class=\"original\">.*?</details>", re.S)


def without_originals(markdown_text: str) -> str:
    """An English answer without the Japanese originals that follow its quotes."""
    return _ORIGINAL.sub("", markdown_text)


@dataclass
class Citations:
    """Numbers cited passages in order of first use and collects what was quoted from each."""

    scores: dict[str, float]
    lang: str = "ja"
    _passages: list = field(default_factory=list)
    _quoted: dict[str, dict[int, str]] = field(default_factory=dict)

    def cite(self, passage, position: int, text: str) -> str:
        if passage.id not in self._quoted:
            self._passages.append(passage)
            self._quoted[passage.id] = {}
        self._quoted[passage.id][position] = text
        number = self._passages.index(passage) + 1
        return markup.citation(number, self.url(passage))

    def url(self, passage) -> str:
        """The passage in the document viewer, in English for an English answer."""
        return f"/docs/{passage.doc}?lang=en#{passage.id}" if self.lang == "en" else passage.url

    def title(self, passage) -> str:
        """The passage's title as the sources list shows it: its English heading for an English answer
        (the breadcrumb is Japanese), else the breadcrumb."""
        if self.lang == "en" and passage.en is not None and passage.en.heading:
            return passage.en.heading
        return passage.title

    @property
    def cited(self) -> list:
        return list(self._passages)

    def sources(self) -> list[dict]:
        return [
            {
                "id": p.id,
                "doc": p.doc,
                "title": self.title(p),
                "text": _excerpt(self._quoted[p.id]),
                "score": round(self.scores.get(p.id, 0.0), 6),
                "url": self.url(p),
            }
            for p in self._passages
        ]


def _excerpt(quoted: dict[int, str]) -> str:
    """The quoted blocks in document order; a gap between non-adjacent blocks shows as …"""
    parts, previous = [], None
    for position in sorted(quoted):
        if previous is not None and position != previous + 1:
            parts.append(EXCERPT_GAP)
        parts.append(quoted[position])
        previous = position
    return "\n".join(parts)


@dataclass(frozen=True)
class Rendered:
    """One block as the reader gets it: Markdown lines in the answer's language, the Japanese original
    when that is English, and the plain Japanese text the sources list shows."""

    lines: list[str]
    original: str | None
    japanese: str


def _english_lines(passage) -> list[str] | None:
    en = passage.en
    if en is None:
        return None
    if passage.type == "faq" and en.answer:
        return [f"A: {en.answer}"] * len(passage.text.splitlines())  # the answer line is the only quotable one
    lines = en.text.splitlines()
    return lines if len(lines) == len(passage.text.splitlines()) else None


def _keep_sentences(text: str, keep: tuple[int, ...], english: bool) -> str:
    """`text` cut to the sentences numbered `keep` (all of it when there is nothing to cut)."""
    sentences = split_english_sentences(text) if english else split_sentences(text)
    if not keep or max(keep) >= len(sentences):
        return text
    return (" " if english else "").join(sentences[i] for i in keep)


def render(pick: Pick, lang: str) -> Rendered:
    block: Block = pick.block
    english = _english_lines(pick.passage) if lang == "en" else None
    keep = pick.sentences
    keep_en = keep
    if english is not None and keep:
        # The translation keeps the lines; its sentences line up only when it has as many.
        counted = len(split_english_sentences(strip_marker(english[block.lines[0].number])))
        keep_en = keep if counted == len(split_sentences(block.lines[0].text)) else ()

    def text_of(line: Line, translated: bool) -> str:
        if translated and english is not None:
            raw = strip_marker(english[line.number])
            return _keep_sentences(raw, keep_en, True) if line is block.lines[0] and keep_en else raw
        return _keep_sentences(line.text, keep, False) if line is block.lines[0] and keep else line.text

    def label_of(translated: bool) -> str | None:
        if translated and english is not None and block.label_number is not None:
            return strip_marker(english[block.label_number])
        return block.label

    shown = [line for i, line in enumerate(block.lines) if not pick.items or i in pick.items]
    # A label is kept where it says what follows: the heading of a list, or a defined term.
    introduces = block.lines[0].bullet or len(block.lines) == 1
    label = block.label if (block.label and len(block.label) <= LABEL_MAX_CHARS and introduces
                            and not pick.items) else None
    japanese = "\n".join(([label] if label else []) + [text_of(line, False) for line in shown])
    translated = english is not None
    lines = _markdown_lines(shown, label_of(translated) if label else None, [text_of(line, translated) for line in shown])
    original = japanese if translated else None
    return Rendered(lines, original, japanese)


def _markdown_lines(shown: list[Line], label: str | None, texts: list[str]) -> list[str]:
    out: list[str] = []
    if label:
        out += [f"**{markup.escape(label)}**", ""]
    bullets = [line.depth for line in shown if line.bullet]
    base = min(bullets) if bullets else 0
    previous_bullet = False
    for line, text in zip(shown, texts, strict=False):
        if line.bullet and len(shown) > 1:  # one bullet alone reads as a paragraph
            if not previous_bullet and out and out[-1] != "":
                out.append("")
            out.append("  " * max(line.depth - base, 0) + "- " + markup.escape(text))
        else:
            if out and out[-1] != "":
                out.append("")
            out.append(markup.escape(text))
        previous_bullet = line.bullet
    return out


class Writer:
    """Builds one answer: blocks of Markdown, each quote cited, the notice last."""

    def __init__(self, lang: str, citations: Citations) -> None:
        self.lang = lang
        self.citations = citations
        self.blocks: list[str] = []
        self.translated = False

    def line(self, key: str, **values: str) -> None:
        text = words(key, self.lang, **values)
        if text:
            self.blocks.append(text)

    def text(self, markdown_text: str) -> None:
        self.blocks.append(markdown_text)

    def quote(self, pick: Pick, as_lead: bool = False, opening: str = "") -> None:
        """One block, cited: the lead as the answer's own paragraph(s), a supporting block as a block quote."""
        rendered = render(pick, self.lang)
        citation = self.citations.cite(pick.passage, pick.block.position, rendered.japanese)
        self._write(rendered, citation, as_lead, opening)

    def desk_lead(self, pick: Pick, opening: str = "") -> None:
        """A desk FAQ entry's answer as the lead: the desk's own plain words, linked to the entry, not a
        numbered source (the sources are the document passages quoted after it)."""
        rendered = render(pick, self.lang)
        link = markup.link(words("desk_entry", self.lang), self.citations.url(pick.passage))
        self._write(rendered, link, True, opening)

    def _write(self, rendered: Rendered, mark: str, as_lead: bool, opening: str) -> None:
        lines = list(rendered.lines)
        if opening:
            lines = [f"**{opening}**", "", *lines]
        lines[-1] = f"{lines[-1]} {mark}"
        self.blocks.append("\n".join(lines) if as_lead else "\n".join(f"> {line}".rstrip() for line in lines))
        if rendered.original is not None:
            self.blocks.append(_original(rendered.original, self.lang))
            self.translated = True
        elif self.lang == "en":
            self.line("untranslated")

    def close_english(self) -> None:
        """An English answer that quoted translations ends its body by saying they are provisional."""
        if self.translated:
            self.line("provisional")

    def markdown(self) -> str:
        return "\n\n".join([*self.blocks, "---", f"*{markup.escape(NOTICE[self.lang])}*"])


def _original(japanese: str, lang: str) -> str:
    body = "<br>".join(html.escape(line, quote=False) for line in japanese.splitlines() if line.strip())
    return f'<details class="original"><summary>{html.escape(words("original", lang))}</summary>{body}</details>'
