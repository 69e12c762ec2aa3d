"""Checklists derived from the guideline's enumerated requirements.

Each spec names where a list lives in the parsed structure; the items are read from the
parsed blocks (never retyped), and every item cites the guideline passage it was found in.
"""
from __future__ import annotations

from dataclasses import dataclass

from .guideline import Block, Guideline

GROUPING = ("heading", "label")


@dataclass(frozen=True)
class ChecklistSpec:
    id: str
    group: str  # what the checklist is about, shown before the source heading
    node: str  # the guideline node (with its sub-nodes) holding the list
    after: str = ""  # start after the block containing this text
    markers: str = ""  # keep only items with these markers (default: the list's leaf items)
    with_paragraphs: bool = False  # sub-nodes without a list contribute their paragraphs


SPECS = (
    ChecklistSpec("institution-pi", "研究機関のリスク確認事項", "II-1-1-step1-1"),
    ChecklistSpec("institution-partner", "研究機関のリスク確認事項", "II-1-1-step1-2"),
    ChecklistSpec("institution-supporters", "研究機関のリスク確認事項", "II-1-1-step1-3"),
    ChecklistSpec("institution-data", "研究機関のリスク確認事項", "II-1-1-step1-4"),
    ChecklistSpec("institution-other", "研究機関のリスク確認事項", "II-1-1-step1-5"),
    ChecklistSpec("fa-staff", "資金配分機関のリスク確認事項", "II-1-2-1"),
    ChecklistSpec("fa-data", "資金配分機関のリスク確認事項", "II-1-2-2"),
    ChecklistSpec("fa-pi-institution", "資金配分機関のリスク確認事項", "II-1-2-3"),
    ChecklistSpec("fa-review", "資金配分機関のリスク確認事項", "II-1-2-4"),
    ChecklistSpec("fa-mitigation", "資金配分機関のリスク確認事項", "II-1-2-5"),
    ChecklistSpec("researcher", "研究者に求められる事項", "I-3-4", with_paragraphs=True),
    ChecklistSpec("institution-duties", "研究機関に求められる事項", "I-3-3", with_paragraphs=True),
    ChecklistSpec("call-requirements", "特定研究開発プログラムの公募要領", "I-3-2-6", after="公募要領に必ず記載すべき事項"),
    ChecklistSpec("mitigation-measures", "リスク軽減措置の例", "II-1-1-step3", after="<リスク軽減措置について>", markers="✓"),
    ChecklistSpec("institution-normal-times", "研究機関が平時から収集する情報", "II-1-1", after="平時から収集する情報について"),
)


def _in_node(block: Block, node_id: str) -> bool:
    return block.node.id == node_id or block.node.id.startswith(node_id + "-")


def _select(spec: ChecklistSpec, blocks: list[Block]) -> tuple[str | None, list[tuple[str, Block]]]:
    """The anchor's text (if any), and (group, block) pairs of the spec's items in document order."""
    scope = [b for b in blocks if _in_node(b, spec.node)]
    anchor_text = None
    if spec.after:
        anchor = next(i for i, b in enumerate(scope) if spec.after in b.text)
        anchor_text = scope[anchor].text
        scope = scope[anchor + 1:]
        # The list ends where the slide or source it belongs to ends.
        stop = next((i for i, b in enumerate(scope) if b.kind in ("slide", "source") or (b.kind == "label" and i > 0 and spec.markers)), len(scope))
        scope = scope[:stop]
    chosen, group = [], ""
    nodes_with_lists = {b.node.id for b in scope if b.kind == "item"}
    for i, block in enumerate(scope):
        nxt = scope[i + 1] if i + 1 < len(scope) else None
        if block.kind in GROUPING:
            # The spec's own heading is the checklist's title, not a group inside it.
            group = "" if block.kind == "heading" and block.node.id == spec.node else block.text
        elif block.kind == "item":
            is_leaf = not (nxt and nxt.kind == "item" and nxt.level > block.level)
            if (block.marker in spec.markers) if spec.markers else is_leaf:
                chosen.append((group, block))
            elif not is_leaf:
                group = block.text  # a lead-in item names the sub-list under it
        elif block.kind == "para":
            if spec.with_paragraphs and block.node.id not in nodes_with_lists:
                chosen.append((group, block))
            elif block.text.endswith(("。", "、")) and nxt is not None and nxt.kind == "item":
                group = block.text  # a lead-in sentence
    return anchor_text, chosen


def checklist_passages(guideline: Guideline, passage_of: dict[int, str]) -> list[dict]:
    """`passage_of` maps id(block) to the guideline passage id that contains the block."""
    out = []
    for order, spec in enumerate(SPECS, 1):
        anchor, selected = _select(spec, guideline.blocks)
        if not selected:
            raise ValueError(f"checklist {spec.id}: no items found under {spec.node}")
        source_heading = anchor.strip("<>【】") if anchor else guideline.nodes[spec.node].heading
        heading = f"{spec.group}：{source_heading}"
        items, text_lines, last_group = [], [f"【チェックリスト】{heading}"], None
        lines: list[int] = []  # the source lines the items span
        for group, block in selected:
            item = {"text": block.text, "cites": passage_of[id(block)]}
            if group:
                item["group"] = group
                if group != last_group:
                    text_lines.append(group)
                    last_group = group
            items.append(item)
            text_lines.append(f"・{block.text}")
            lines += block.lines
        out.append(
            {
                "id": f"checklists/{spec.id}",
                "doc": "checklists",
                "type": "checklist",
                "title": " > ".join(["チェックリスト", spec.group, source_heading]),
                "heading": heading,
                "text": "\n".join(text_lines),
                "lines": [min(lines), max(lines)],
                "order": order,
                "items": items,
                "source": "guideline",
            }
        )
    return out
