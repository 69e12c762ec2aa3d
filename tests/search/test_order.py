"""A question's ranking does not depend on what was asked before it, in any mode, nor on live updates undone."""
from __future__ import annotations

from dataclasses import replace

from helpdesk.search.service import MODES

QUESTIONS = [
    "Who decides whether a partner is trustworthy, the desk or our university?",
    "What must we disclose about researchers' concurrent positions abroad?",
    "Does the ASPIRE questionnaire apply to the Dutch side of the consortium?",
    "研究セキュリティの相談窓口はどこにありますか？",
    "Can JST extend the deadline for our research security form?",
    "外国の企業から研究資金を受け取るときに確認することは？",
]


def _rankings(service, questions):
    return {(q, mode): [(h.passage.id, round(h.score, 6)) for h in service.search(q, k=10, mode=mode)]
            for q in questions for mode in MODES}


def test_rankings_are_the_same_whatever_was_asked_before(search_service):
    first = _rankings(search_service, QUESTIONS)
    # Reversed, each mode of a question before the next question, and once more: every ranking the same.
    assert _rankings(search_service, QUESTIONS[::-1]) == first
    assert _rankings(search_service, QUESTIONS) == first


def test_an_update_undone_leaves_the_rankings_as_they_were(search_service):
    before = _rankings(search_service, QUESTIONS[:2])
    source = next(p for p in search_service._passages if p is not None and p.id == "guideline/I-2-4")
    extra = replace(source, id="test-order/extra", doc="test-order")
    try:
        search_service.upsert([extra])
        assert _rankings(search_service, QUESTIONS[:2]) != before  # the copy competes (and changes the statistics)
    finally:
        search_service.remove([extra.id])
    assert _rankings(search_service, QUESTIONS[:2]) == before
