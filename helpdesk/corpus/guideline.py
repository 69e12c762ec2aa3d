"""Structure of the guideline (研究セキュリティの確保に係る取組のための手順書（原案）).

Rows without their page layout (helpdesk.corpus.layout) become typed blocks — headings,
paragraphs, list items, labels, figures, tables — each placed in a structural node
(`I-2-4`, `I-3-2-6`, `II-1-1-step1-3`, `ref-2`, `annex`) with its breadcrumb.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .layout import Footnote, FootnoteSplitter, Row, read_rows
from .text import clean_inline, digits_to_ascii, join_wrapped

FRONT_MATTER = {"はじめに": "intro", "おわりに": "outro", "参考資料": "ref"}
PART_LABELS = {"|": "Ⅰ", "Ⅰ": "Ⅰ", "I": "Ⅰ", "II": "Ⅱ", "Ⅱ": "Ⅱ"}
PART_IDS = {"Ⅰ": "I", "Ⅱ": "II"}

_PART = re.compile(r"^(\||Ⅰ|I|II|Ⅱ)\s+(研究セキュリティ.*)$")
_CHAPTER = re.compile(r"^第(\d+)章\s+(.+)$")
_SECTION = re.compile(r"^(\d+)\s*-\s*(\d+)\.\s+(.+)$")
_SUBSECTION = re.compile(r"^[(（]([0-9０-９]+)[)）]\s*(.+)$")
_STEP = re.compile(r"^【手順([①②③④])：(.+)】$")
_ANNEX = re.compile(r"^[(（]別紙[)）]$")
_FIGURE = re.compile(r"^【(図|表)●\s*(.*)】$")
_LABEL = re.compile(r"^(【[^【】]+】(\s*※.*)?|<.+>|[（(][^（）()]{1,20}[)）])$")
_SLIDE_TITLE = re.compile(r"(（案）|\(案\))$|^第\d+回有識者会議（")
_SOURCE_NOTE = re.compile(r"^[（(]第\d+回有識者会議資料.*[)）]$|^※.*資料より$")
_FIGURE_SOURCE = re.compile(r"資料より）$")
_ENUMERATOR = re.compile(r"^([a-z]\.|[①-⑳])\s*")
STEP_NUMBERS = "①②③④"

# Heading levels: a new heading closes every open node at its level or deeper.
LEVEL_TOP, LEVEL_CHAPTER, LEVEL_SECTION, LEVEL_STEP, LEVEL_SUB = 1, 2, 3, 4, 5


@dataclass
class Node:
    id: str
    heading: str
    level: int
    breadcrumb: list[str]
    scope: str  # the unit cut into passages as a whole (section, step, chapter intro, front matter, reference item)

    @property
    def title(self) -> str:
        return " > ".join(self.breadcrumb)


@dataclass
class Block:
    kind: str  # heading | para | item | note | label | slide | source | figure | table
    text: str
    lines: tuple[int, int]
    node: Node
    level: int = 0  # list depth of items
    marker: str = ""
    notes: list[int] = field(default_factory=list)
    numbered: bool = True  # False for slide material (whose short lines may be a diagram's labels)


@dataclass
class Guideline:
    title: str
    blocks: list[Block]
    footnotes: dict[int, Footnote]
    nodes: dict[str, Node]


def parse_guideline(raw: str) -> Guideline:
    rows = read_rows(raw)
    title = " ".join(r.text for r in rows[:6] if r.text and r.pageline is None)
    start = next(i for i, r in enumerate(rows) if r.pageline is not None and r.text == "はじめに")
    splitter = FootnoteSplitter()
    body = splitter.split(rows[start:])
    builder = _StructureBuilder(splitter.refs_by_line)
    for para in _paragraphs(body):
        builder.add(para)
    builder.finish()
    return Guideline(title, builder.blocks, splitter.footnotes, builder.nodes)


# ---------------------------------------------------------------- paragraphs


def _is_heading_line(text: str) -> bool:
    return bool(
        text in FRONT_MATTER
        or _PART.match(text)
        or _CHAPTER.match(text)
        or _SECTION.match(text)
        or _ANNEX.match(text)
        or _FIGURE.match(text)
        or _STEP.match(text)
    )


def _starts_new_block(row: Row) -> bool:
    text = row.text
    return bool(
        _is_heading_line(text)
        or _SUBSECTION.match(text)
        or _marker(row)[0]
        or text.startswith("※")
        or _LABEL.match(text)
    )


def _paragraphs(rows: list[Row]) -> list[list[Row]]:
    """Group rows into paragraphs, rejoining paragraphs that a page break (and its footnotes) split."""
    paras: list[list[Row]] = []
    blank = page_break = False
    last_pageline = 0
    for row in rows:
        if not row.text:
            blank = True
            continue
        if row.pageline is not None:
            page_break = page_break or row.pageline < last_pageline
            last_pageline = row.pageline
        prev = paras[-1][-1] if paras else None
        if prev is not None and _same_paragraph(prev, row, blank, page_break):
            paras[-1].append(row)
        else:
            paras.append([row])
        blank = page_break = False
    return paras


def _same_paragraph(prev: Row, row: Row, blank: bool, page_break: bool) -> bool:
    if "\t" in prev.text or "\t" in row.text:  # a table: its rows, and nothing else
        return "\t" in prev.text and "\t" in row.text and not blank
    if _starts_new_block(row) or _is_heading_line(prev.text) or _LABEL.match(prev.text):
        return False
    if (prev.pageline is None) != (row.pageline is None):
        return False  # body text and slide text never share a paragraph
    if _SUBSECTION.match(prev.text) and (len(prev.text) < 38 or prev.text.endswith(("）", ")"))):
        return False  # a heading wraps only when it filled the line and was cut mid-phrase
    if not blank:
        return True
    # Across blank lines only a sentence left open at the bottom of a page continues on the next.
    return page_break and prev.pageline is not None and not prev.text.endswith(("。", "．"))


def _marker(row: Row) -> tuple[str, int, str]:
    """(marker, list level, rest) for a list item, ("", 0, text) otherwise."""
    text, level = row.text, 1 + (row.indent > 0)
    dashed = text.startswith("- ")
    if dashed:
        text = text[2:].lstrip()
    if text.startswith("✓"):
        return "✓", 2, text[1:].strip()
    if text.startswith("・"):
        return "・", level, text[1:].strip()
    if text.startswith("○ "):
        return "○", level, text[1:].strip()
    m = _ENUMERATOR.match(text)
    if m and dashed:
        return m.group(1), level, text[m.end():]
    if dashed:
        return "-", level, text
    return "", 0, row.text


# ---------------------------------------------------------------- structure


class _StructureBuilder:
    def __init__(self, refs_by_line: dict[int, list[int]]) -> None:
        self.refs_by_line = refs_by_line
        self.blocks: list[Block] = []
        self.nodes: dict[str, Node] = {}
        self.stack: list[Node] = []
        self.part = ""
        self.carried_notes: list[int] = []  # notes cited in a heading go to the text under it
        self.caption_run: list[Block] = []

    @property
    def node(self) -> Node:
        return self.stack[-1]

    def add(self, rows: list[Row]) -> None:
        lines = (rows[0].lineno, rows[-1].lineno)
        notes = [n for r in rows for n in self.refs_by_line.get(r.lineno, [])]
        first = rows[0]
        if (first.pageline is not None or _STEP.match(first.text)) and self._heading(rows, lines, notes):
            return
        if "\t" in first.text:
            for block in _table_blocks(rows, self.node):
                self._append(block)
            return
        block = self._content_block(rows, lines)
        block.notes, self.carried_notes = self.carried_notes + notes, []
        self._append(block)

    # headings ------------------------------------------------------------

    def _heading(self, rows: list[Row], lines, notes) -> bool:
        text = clean_inline(join_wrapped([r.text for r in rows]))
        if text in FRONT_MATTER:
            self._open(FRONT_MATTER[text], text, LEVEL_TOP)
        elif m := _PART.match(text):
            label = PART_LABELS[m.group(1)]
            self.part = PART_IDS[label]
            self._open(self.part, f"{label} {m.group(2)}", LEVEL_TOP)
        elif m := _CHAPTER.match(text):
            self._open(f"{self.part}-{m.group(1)}", text, LEVEL_CHAPTER)
        elif m := _SECTION.match(text):
            self._open(f"{self.part}-{m.group(1)}-{m.group(2)}", f"{m.group(1)}-{m.group(2)}. {m.group(3)}", LEVEL_SECTION)
        elif _ANNEX.match(text):
            self._open("annex", "別紙 重要技術領域（20分野）", LEVEL_TOP)
        elif m := _STEP.match(text):
            self._open_sub(f"step{STEP_NUMBERS.index(m.group(1)) + 1}", f"手順{m.group(1)}：{m.group(2)}", LEVEL_STEP)
            self._append(Block("heading", text, lines, self.node))
        else:
            return False
        self.carried_notes += notes
        return True

    def _open(self, node_id: str, heading: str, level: int) -> Node:
        while self.stack and self.stack[-1].level >= level:
            self.stack.pop()
        parent = self.stack[-1] if self.stack else None
        breadcrumb = (parent.breadcrumb if parent else []) + [heading]
        # Sections, the steps ①–④ and reference items are cut into passages on their own.
        own_unit = level <= LEVEL_STEP or (parent is not None and parent.level == LEVEL_TOP)
        scope = node_id if own_unit or parent is None else parent.scope
        node = Node(node_id, heading, level, breadcrumb, scope)
        if node_id in self.nodes:
            raise ValueError(f"guideline structure: node {node_id} opened twice")
        self.nodes[node_id] = node
        self.stack.append(node)
        return node

    def _open_sub(self, suffix: str, heading: str, level: int) -> Node:
        while self.stack[-1].level >= level:
            self.stack.pop()
        return self._open(f"{self.node.id}-{suffix}", heading, level)

    # content -------------------------------------------------------------

    def _content_block(self, rows: list[Row], lines) -> Block:
        first = rows[0]
        marker, level, rest = _marker(first)
        text = clean_inline(join_wrapped([rest] + [r.text for r in rows[1:]]))
        if marker:
            return Block("item", text, lines, self.node, level=level, marker=marker)
        if m := _SUBSECTION.match(text):
            self._open_sub(digits_to_ascii(m.group(1)), f"({digits_to_ascii(m.group(1))}) {m.group(2).strip('【】')}", LEVEL_SUB)
            return Block("heading", text, lines, self.node)
        if m := _FIGURE.match(text):
            return Block("figure", f"{m.group(1)}: {m.group(2)}", lines, self.node)
        if _SOURCE_NOTE.match(text):
            return Block("source", text, lines, self.node)
        if _SLIDE_TITLE.search(text) and first.pageline is None:
            # A slide's title ends the sub-item the previous slide was about.
            while self.node.level >= LEVEL_SUB:
                self.stack.pop()
            return Block("slide", text, lines, self.node)
        if text.startswith("※"):
            return Block("note", text, lines, self.node)
        if _LABEL.match(text):
            return Block("label", text, lines, self.node)
        return Block("para", text, lines, self.node, numbered=first.pageline is not None)

    def _append(self, block: Block) -> None:
        if self._is_caption_line(block):
            self.caption_run.append(block)
            return
        self._flush_captions()
        self.blocks.append(block)

    @staticmethod
    def _is_caption_line(block: Block) -> bool:
        """Labels of a slide's diagram: short unpunctuated lines in a row."""
        return (
            block.kind == "para"
            and not block.numbered
            and len(block.text) <= 22
            and not re.search(r"[、。：]", block.text)
            and block.lines[0] == block.lines[1]
        )

    def _flush_captions(self) -> None:
        run, self.caption_run = self.caption_run, []
        if len(run) >= 3 or (run and _FIGURE_SOURCE.search(run[0].text)):
            first, last = run[0], run[-1]
            self.blocks.append(Block("figure", "図: " + " / ".join(b.text for b in run), (first.lines[0], last.lines[1]), first.node))
        else:
            self.blocks.extend(run)

    def finish(self) -> None:
        self._flush_captions()


def _table_blocks(rows: list[Row], node: Node) -> list[Block]:
    """One block per record: "label: cell" lines, so each row reads (and is retrieved) on its own."""
    cells = [[clean_inline(c) for c in r.text.split("\t")] for r in rows]
    blocks = []
    if len(rows) > 1 and len(cells[0]) < len(cells[1]):
        # A header row whose empty corner cell the extraction dropped: records are the rows.
        header = cells[0]
        for row, record in zip(rows[1:], cells[1:], strict=False):
            text = "\n".join([record[0]] + [f"{h}: {v}" for h, v in zip(header, record[1:], strict=False)])
            blocks.append(Block("table", text, (row.lineno, row.lineno), node))
    else:
        # Alternating label rows and content rows: records are the pairs.
        for labels, values in zip(rows[::2], rows[1::2], strict=False):
            pairs = zip(labels.text.split("\t"), values.text.split("\t"), strict=False)
            text = "\n".join(f"{clean_inline(k)}: {clean_inline(v)}" for k, v in pairs)
            blocks.append(Block("table", text, (labels.lineno, values.lineno), node))
    return blocks
