"""Answering section of `helpdesk eval`: does the desk answer what it should, citing the right passage?

- precision / recall of `answerable`: every question whose route is not `out_of_scope` should be
  answered (routed ones by explaining the forwarding), out-of-scope ones declined;
- first citation: among answered in-scope questions with gold phrases, the share whose first cited
  passage contains one (NFKC, whitespace removed, as in the retrieval section).
Answers are composed exactly as for the API, without storing conversations.
"""
from __future__ import annotations

from ..evaluation.metrics import first_hit
from ..evaluation.questions import Question
from ..evaluation.tables import Table
from .answerer import get_answerer


def _ratio(hits: int, total: int) -> float:
    return hits / total if total else 0.0


def answering_section(questions: list[Question]) -> list[Table]:
    answerer = get_answerer()
    true_pos = false_pos = false_neg = cited = citable = 0
    misses = []
    for q in questions:
        answer = answerer.respond(q.question, q.lang)
        expected = q.route != "out_of_scope"
        true_pos += answer.answerable and expected
        false_pos += answer.answerable and not expected
        false_neg += expected and not answer.answerable
        first = answer.sources[0]["id"] if answer.sources else None
        gold_first = None
        if expected and answer.answerable and q.gold_any:
            citable += 1
            passage = answerer.corpus.get(first) if first else None
            gold_first = bool(passage and first_hit([passage.text], q.gold_any))
            cited += gold_first
        if answer.answerable != expected or gold_first is False:
            misses.append([q.id, q.route, answer.route["kind"], answer.answerable, answer.confidence,
                           first or "-", q.question[:50]])
    summary = Table(
        "Answering",
        ["questions", "answerable precision", "answerable recall", "first citation is gold", "n (cited, with gold)"],
        [[len(questions), _ratio(true_pos, true_pos + false_pos), _ratio(true_pos, true_pos + false_neg),
          _ratio(cited, citable), citable]],
    )
    wrong = Table(
        "Answering — wrongly declined/answered, or first citation not gold",
        ["id", "expected route", "routed", "answerable", "confidence", "first citation", "question"],
        misses,
    )
    return [summary, wrong]
