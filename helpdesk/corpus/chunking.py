"""Retrieval-sized passages from the guideline's blocks.

Each unit (a section with its subsections, a chapter's lead text, a reference item) is cut
into passages by dynamic programming: passages of ~200–700 characters, cut preferably in
front of headings and labels, seldom inside a list, never between a heading or lead-in and
what follows it, and never inside a block (so never mid-sentence).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import groupby

from .guideline import Block, Guideline
from .text import clean_inline, join_wrapped

MIN_CHARS, MAX_CHARS = 200, 700
HEADED = ("heading", "label", "slide")  # blocks that introduce what follows them
MARKERS = {"-": "・", "・": "・", "✓": "✓ ", "○": "○ "}


@dataclass
class Chunk:
    blocks: list[Block]
    id: str = ""


def render_block(block: Block) -> str:
    if block.kind != "item":
        return block.text
    marker = MARKERS.get(block.marker, f"{block.marker} ")
    return "  " * (block.level - 1) + marker + block.text


def note_text(guideline: Guideline, number: int) -> str | None:
    fn = guideline.footnotes.get(number)
    if fn is None:
        return None  # cited, but the extraction lost the note's text
    # Parts after the first that start a URL or a new sentence were separate lines in the note.
    lines, current = [], [fn.parts[0]]
    for part in fn.parts[1:]:
        if part.startswith(("<http", "http")) or current[-1].endswith(("。", "）", ")")):
            lines.append(current)
            current = [part]
        else:
            current.append(part)
    lines.append(current)
    body = "\n".join(clean_inline(join_wrapped(chunk)) for chunk in lines)
    return f"注{number}: {body}"


def _length(guideline: Guideline, block: Block) -> int:
    return len(render_block(block)) + sum(len(note_text(guideline, n) or "") for n in block.notes)


def _break_cost(prev: Block, cur: Block) -> float:
    if prev.kind in HEADED:
        return 50.0
    if cur.kind == "heading":
        return 0.0
    if cur.kind in ("label", "slide"):
        return 0.3
    if cur.kind in ("source", "note"):
        return 8.0
    if cur.kind == "figure":
        return 3.0 if prev.kind == "para" else 0.5
    if cur.kind == "table":
        return 0.2
    if cur.kind == "item":
        if prev.kind == "item":
            return 2.0 if cur.level <= prev.level else 6.0
        return 5.0  # a list stays with its lead-in
    return 1.0


def _chunk_cost(chars: int) -> float:
    cost = 1.0
    if chars < MIN_CHARS:
        cost += 2.0 * (MIN_CHARS - chars) / 100
    if chars > MAX_CHARS:
        cost += 2.0 + 3.0 * ((chars - MAX_CHARS) / 100) ** 2
    return cost


def cut(guideline: Guideline, blocks: list[Block]) -> list[Chunk]:
    sizes = [_length(guideline, b) + 1 for b in blocks]
    n = len(blocks)
    best = [0.0] + [float("inf")] * n
    start_of = [0] * (n + 1)
    for end in range(1, n + 1):
        chars = 0
        for start in range(end - 1, -1, -1):
            chars += sizes[start]
            if chars > 4 * MAX_CHARS and start < end - 1:
                break
            cost = best[start] + _chunk_cost(chars)
            if start > 0:
                cost += _break_cost(blocks[start - 1], blocks[start])
            if cost < best[end]:
                best[end], start_of[end] = cost, start
    chunks, end = [], n
    while end > 0:
        chunks.append(Chunk(blocks[start_of[end]:end]))
        end = start_of[end]
    return chunks[::-1]


def passages(guideline: Guideline) -> tuple[list[dict], dict[int, str]]:
    """The guideline's passages, and id(block) -> id of the passage holding that block."""
    chunks: list[Chunk] = []
    for scope, unit in groupby(guideline.blocks, key=lambda b: b.node.scope):
        unit_chunks = cut(guideline, list(unit))
        _assign_ids(unit_chunks, scope)
        chunks.extend(unit_chunks)
    out: list[dict] = []
    passage_of: dict[int, str] = {}
    for order, chunk in enumerate(chunks, 1):
        passage_of.update((id(b), f"guideline/{chunk.id}") for b in chunk.blocks)
        node = chunk.blocks[0].node
        text_lines = [render_block(b) for b in chunk.blocks]
        notes = [note_text(guideline, n) for b in chunk.blocks for n in b.notes]
        text_lines += [n for n in notes if n]
        cited = [ln for b in chunk.blocks for n in b.notes if n in guideline.footnotes for ln in guideline.footnotes[n].lines]
        lines = [ln for b in chunk.blocks for ln in b.lines] + cited
        out.append(
            {
                "id": f"guideline/{chunk.id}",
                "doc": "guideline",
                "type": "guideline",
                "title": node.title,
                "heading": node.heading,
                "text": "\n".join(text_lines),
                "lines": [min(lines), max(lines)],
                "order": order,
            }
        )
    return out, passage_of


def _assign_ids(chunks: list[Chunk], scope: str) -> None:
    """A chunk is named after the node it starts in; later chunks of one node get -p2, -p3….

    The first chunk of a unit is named after the unit (`I-3-4`, not `I-3-4-1`), so every
    section has a passage under its own id even when its text starts with a subsection.
    """
    first_block_of: dict[str, Block] = {}
    for chunk in chunks:
        for b in chunk.blocks:
            first_block_of.setdefault(b.node.id, b)
    seen: Counter = Counter()
    starts_at_node: dict[str, bool] = {}
    for i, chunk in enumerate(chunks):
        node_id = scope if i == 0 else chunk.blocks[0].node.id
        if seen[node_id] == 0:
            starts_at_node[node_id] = i == 0 or chunk.blocks[0] is first_block_of[node_id]
        seen[node_id] += 1
        part = seen[node_id] + (0 if starts_at_node[node_id] else 1)
        chunk.id = node_id if part == 1 else f"{node_id}-p{part}"
