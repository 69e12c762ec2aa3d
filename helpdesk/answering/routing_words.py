"""A route in the words a requester reads: the destination's display name and the reason in plain
words (routing/queues.yaml names, routing/rules.yaml summaries). The route's signals, similarities and
queue ids stay in the JSON fields and the staff view."""
from __future__ import annotations

from dataclasses import dataclass

from ..triage.classifier import current_routing


@dataclass(frozen=True)
class RoutingWords:
    destination: str
    reason: str


def routing_words(route, lang: str) -> RoutingWords:
    data = current_routing().data
    queue = data.queues.get(route.queue)
    rule = data.kinds[route.kind]
    if lang == "en":
        return RoutingWords(queue.name_en if queue else route.queue, rule.summary_en)
    return RoutingWords(queue.name_ja if queue else route.queue, rule.summary_ja)
