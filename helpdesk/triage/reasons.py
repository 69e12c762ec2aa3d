"""Human-readable reasons for a route, in Japanese and English, naming every signal that fired."""
from __future__ import annotations

from .neighbours import Vote
from .routing_data import Program, RoutingData

SHOWN_NEIGHBOURS = 3


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def explain(data: RoutingData, kind: str, queue: str, programs: list[Program], fired: dict[str, str], vote: Vote) -> tuple[str, str]:
    rule = data.kinds[kind]
    target = data.queues[queue]
    ja = [f"{rule.summary_ja}（振り分け先: {target.name_ja}）。"]
    en = [f"{rule.summary_en} (queue: {target.name_en})."]
    if programs:
        ja.append("プログラム: " + "、".join(f"{p.name_ja} → {data.queues[p.queue].name_ja}" for p in programs) + "。")
        en.append("Program: " + "; ".join(f"{p.name_en} → {data.queues[p.queue].name_en}" for p in programs) + ".")
    if fired:
        ja.append("手がかり語: " + "、".join(f"{data.cues[name].label_ja}「{phrase}」" for name, phrase in fired.items()) + "。")
        en.append("Cues: " + "; ".join(f"{data.cues[name].label_en} \"{phrase}\"" for name, phrase in fired.items()) + ".")
    if vote.neighbours:
        shown = vote.neighbours[:SHOWN_NEIGHBOURS]
        ja.append("類似例: " + "、".join(f"「{_clip(n.example.question)}」({n.example.kind}, 類似度 {n.similarity:.2f})" for n in shown) + "。")
        en.append("Similar examples: " + "; ".join(f"\"{_clip(n.example.question)}\" ({n.example.kind}, similarity {n.similarity:.2f})" for n in shown) + ".")
    return " ".join(ja), " ".join(en)
