"""Answering section of `helpdesk eval`: does the desk answer what it should, citing the right passage?

- precision / recall of `answerable`: every question whose route is not `out_of_scope` should be
  answered (routed ones by explaining the forwarding), out-of-scope ones declined;
- first citation: among answered in-scope questions with gold phrases, the share whose first cited
  passage contains one (NFKC, whitespace removed, as in the retrieval section). Citations are document
  passages only (guideline, ASPIRE FAQ, checklists): a desk FAQ entry that leads an answer is the
  desk's own wording, linked but never a numbered source, so the first citation is the first cited
  document passage;
Answers are composed exactly as for the API, without storing conversations.

The answers section scores what the answer itself states against answer keys
(`helpdesk.evaluation.answer_keys`).
"""
from __future__ import annotations

import numpy as np

from ..evaluation import answer_keys
from ..evaluation.metrics import first_hit
from ..evaluation.questions import Question, load_questions
from ..evaluation.tables import Table
from ..paths import ROOT
from .answerer import get_answerer
from .compose import without_originals
from .language import latin_share

DEFAULT_ANSWER_KEYS = ROOT / "tests" / "data" / "answer_keys_dev.jsonl"


def _ratio(hits: int, total: int) -> float:
    return hits / total if total else 0.0


def answering_section(questions: list[Question]) -> list[Table]:
    answerer = get_answerer()
    true_pos = false_pos = false_neg = cited = citable = desk_led = 0
    misses = []
    for q in questions:
        answer = answerer.respond(q.question, q.lang)
        expected = q.route != "out_of_scope"
        true_pos += answer.answerable and expected
        false_pos += answer.answerable and not expected
        false_neg += expected and not answer.answerable
        desk_led += answer.led_by is not None
        first = answerer.corpus.get(answer.sources[0]["id"]) if answer.sources else None
        gold_first = None
        if expected and answer.answerable and q.gold_any:
            citable += 1
            gold_first = bool(first and first_hit([first.text], q.gold_any))
            cited += gold_first
        if answer.answerable != expected or gold_first is False:
            misses.append([q.id, q.route, answer.route["kind"], answer.answerable, answer.confidence,
                           first.id if first else "-", answer.led_by or "-", q.question[:50]])
    summary = Table(
        "Answering",
        ["questions", "answerable precision", "answerable recall", "first citation (a document passage) is gold",
         "n (cited, with gold)", "led by a desk FAQ entry"],
        [[len(questions), _ratio(true_pos, true_pos + false_pos), _ratio(true_pos, true_pos + false_neg),
          _ratio(cited, citable), citable, desk_led]],
    )
    wrong = Table(
        "Answering — wrongly declined/answered, or first citation not gold",
        ["id", "expected route", "routed", "answerable", "confidence", "first citation", "led by", "question"],
        misses,
    )
    return [summary, wrong, near_domain_table(answerer)]


def near_domain_table(answerer) -> Table:
    """How many of the written near-domain questions are declined, each checked with itself left out of
    the near-domain questions it is compared with (so it must be caught by the others)."""
    near = answerer.near_domain
    declined = 0
    for row, question in enumerate(near.questions):
        vector = answerer.service.search_with_vector(question, k=1)[1]
        declined += answerer.near_domain_match(vector, leave_out=row) is not None
    return Table("Near-domain questions declined (corpus/calibration/near_domain.yaml, each left out of the set)",
                 ["questions", "declined", "share", "margin"],
                 [[len(near), declined, _ratio(declined, len(near)), near.margin]])


def answers_section(questions: list[Question]) -> list[Table]:
    """Key-point recall, complete answers and body length on answer keys (the file's own key points,
    else tests/data/answer_keys_dev.jsonl), and the share of Latin letters in English bodies."""
    keys = [q for q in questions if q.must] or load_questions(DEFAULT_ANSWER_KEYS)
    answerer = get_answerer()
    scored = []  # (key, points present, body length, latin share or None)
    for key in keys:
        answer = answerer.respond(key.question, key.lang)
        text = answer_keys.body(answer.markdown)
        present = answer_keys.points_present(key, text, declined=not answer.answerable)
        latin = latin_share(without_originals(text)) if key.lang == "en" else None
        scored.append((key, present, answer_keys.body_length(text), latin))
    rows = []
    for subset, lang in (("all", None), ("lang=ja", "ja"), ("lang=en", "en")):
        chosen = [s for s in scored if lang is None or s[0].lang == lang]
        if not chosen:
            continue
        points = [p for _, present, _, _ in chosen for p in present]
        lengths = [length for _, _, length, _ in chosen]
        rows.append([subset, len(chosen), _ratio(sum(points), len(points)),
                     _ratio(sum(all(present) for _, present, _, _ in chosen), len(chosen)),
                     float(np.median(lengths)), float(np.percentile(lengths, 90))])
    summary = Table("Answers — key points stated in the body",
                    ["subset", "n", "key-point recall", "complete answers", "body median", "body p90"], rows)
    shares = [latin for *_, latin in scored if latin is not None]
    english = Table("Answers — English bodies (Japanese originals left out)",
                    ["n", "Latin share, mean", "Latin share, lowest"],
                    [[len(shares), float(np.mean(shares)), float(min(shares))]] if shares else [])
    misses = Table("Answers — key points missing",
                   ["id", "lang", "missing (1-based)", "body length", "question"],
                   [[k.id, k.lang, ",".join(str(i + 1) for i, p in enumerate(present) if not p), length, k.question[:50]]
                    for k, present, length, _ in scored if not all(present)])
    return [summary, english, misses]
