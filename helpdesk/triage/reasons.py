"""Human-readable reasons for a route, in Japanese and English, naming every signal that fired.

A reason goes to whoever asked, so it names programs, cue groups (with the asker's own words that
matched) and how the similar examples voted, route by route: never an example's text, since staff
reroutes turn other people's tickets into examples.
"""
from __future__ import annotations

from .neighbours import Vote
from .routing_data import Program, RoutingData

SHOWN_NEIGHBOURS = 3
KIND_NAMES = {
    "desk": ("相談窓口", "desk"),
    "fa": ("資金配分機関", "funding agency"),
    "ministry": ("関係省庁", "ministry"),
    "emergency": ("緊急", "emergency"),
    "out_of_scope": ("対象外", "out of scope"),
}


def _vote_by_kind(vote: Vote) -> list[tuple[str, int]]:
    """The routes of the closest examples with how many of them took each, most first."""
    counts: dict[str, int] = {}
    for neighbour in vote.neighbours[:SHOWN_NEIGHBOURS]:
        counts[neighbour.example.kind] = counts.get(neighbour.example.kind, 0) + 1
    return sorted(counts.items(), key=lambda item: -item[1])


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
        kinds = _vote_by_kind(vote)
        closest = vote.top_similarity
        ja.append("類似例の振り分け: " + "、".join(f"{KIND_NAMES[k][0]} {n}件" for k, n in kinds)
                  + f"（最も近い例の類似度 {closest:.2f}）。")
        en.append("Similar examples went to: " + "; ".join(f"{KIND_NAMES[k][1]} ({n})" for k, n in kinds)
                  + f" (closest similarity {closest:.2f}).")
    return " ".join(ja), " ".join(en)
