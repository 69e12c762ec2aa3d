"""Routing section of `helpdesk eval`: how often questions reach the right route kind and queue."""
from __future__ import annotations

from collections import Counter

from ..evaluation.questions import Question
from ..evaluation.tables import Table
from .classifier import classify
from .route import KINDS, Route

ANY_MINISTRY = ("cao", "mext")  # `ministry:any`: the desk may forward a concrete case to either


def route_matches(expected: str, route: Route) -> bool:
    """Whether `route` satisfies an expected route as written in question files (`fa:jst`, `ministry:any` …)."""
    kind, _, queue = expected.partition(":")
    if route.kind != kind:
        return False
    if queue == "any":
        return route.queue in ANY_MINISTRY
    return not queue or route.queue == queue


def routing_report(questions: list[Question]) -> dict:
    """Classify every question and compare with its expected `route`."""
    confusion: Counter = Counter()
    kind_hits = queue_hits = emergency_to_desk = 0
    misses = []
    for q in questions:
        route = classify(q.question, q.lang)
        expected_kind = q.route.partition(":")[0]
        confusion[(expected_kind, route.kind)] += 1
        kind_hits += route.kind == expected_kind
        matched = route_matches(q.route, route)
        queue_hits += matched
        emergency_to_desk += expected_kind == "emergency" and route.kind == "desk"
        if not matched:
            misses.append({"id": q.id, "expected": q.route, "got": f"{route.kind}:{route.queue}", "question": q.question})
    n = len(questions)
    return {
        "n": n,
        "kind_accuracy": kind_hits / n if n else 0.0,
        "queue_accuracy": queue_hits / n if n else 0.0,
        "emergency_to_desk": emergency_to_desk,
        "confusion": {gold: {got: confusion[(gold, got)] for got in KINDS} for gold in KINDS},
        "misses": misses,
    }


def routing_section(questions: list[Question]) -> list[Table]:
    report = routing_report(questions)
    summary = Table(
        "Routing",
        ["questions", "route-kind accuracy", "queue accuracy", "emergency → desk"],
        [[report["n"], report["kind_accuracy"], report["queue_accuracy"], report["emergency_to_desk"]]],
    )
    confusion = Table(
        "Routing confusion (rows: expected kind, columns: routed kind)",
        ["expected", *KINDS],
        [[gold, *(row[got] for got in KINDS)] for gold, row in report["confusion"].items()],
    )
    misses = Table(
        "Routing misses",
        ["id", "expected", "got", "question"],
        [[m["id"], m["expected"], m["got"], m["question"]] for m in report["misses"]],
    )
    return [summary, confusion, misses]
