"""Nearest-neighbour vote over the labelled example questions."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from .routing_data import Example


@dataclass(frozen=True)
class Neighbour:
    example: Example
    similarity: float
    weight: float


@dataclass(frozen=True)
class Vote:
    shares: dict[str, float]  # route kind → share of the neighbours' weight (sums to 1)
    neighbours: tuple[Neighbour, ...]  # most similar first

    def shares_from(self, source: str) -> dict[str, float]:
        """The part of `shares` contributed by examples of one source (e.g. staff "reroute")."""
        total = sum(n.weight for n in self.neighbours)
        shares: dict[str, float] = defaultdict(float)
        for n in self.neighbours:
            if n.example.source == source:
                shares[n.example.kind] += n.weight / total
        return dict(shares)

    @property
    def top_similarity(self) -> float:
        return self.neighbours[0].similarity if self.neighbours else 0.0

    def queue_shares(self, kind: str) -> dict[str, float]:
        """Among neighbours of `kind` that name a queue (staff reroutes, `ministry:meti` …): queue → share."""
        weights: dict[str, float] = defaultdict(float)
        for n in self.neighbours:
            if n.example.kind == kind and n.example.queue:
                weights[n.example.queue] += n.weight
        total = sum(n.weight for n in self.neighbours if n.example.kind == kind)
        return {queue: w / total for queue, w in weights.items()} if total else {}


def vote(query: np.ndarray, matrix: np.ndarray, examples: list[Example], k: int, temperature: float) -> Vote:
    """The k most similar examples vote for their kind, weighted by exp((sim - best) / temperature).

    The exponential lets a near-duplicate (a question staff already rerouted) outvote a crowd of
    loosely similar examples, while several equally close examples still share the vote.
    """
    if not examples:
        return Vote({}, ())
    similarities = matrix @ query
    top = np.argsort(-similarities)[: int(k)]
    best = float(similarities[top[0]])
    neighbours = tuple(
        Neighbour(examples[i], float(similarities[i]), float(np.exp((similarities[i] - best) / temperature)))
        for i in top
    )
    total = sum(n.weight for n in neighbours)
    shares: dict[str, float] = defaultdict(float)
    for n in neighbours:
        shares[n.example.kind] += n.weight / total
    return Vote(dict(shares), neighbours)
