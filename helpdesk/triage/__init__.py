"""Triage: routes each question to the desk, a funding agency, a ministry, the emergency line, or out of scope.

    from helpdesk.triage import classify, Route
    route = classify("ASPIREの締切を延ばせますか", lang="ja")   # → Route(kind="fa", queue="jst", …)
"""
from .classifier import classify, warm_up
from .route import KINDS, Route

__all__ = ["KINDS", "Route", "classify", "warm_up"]
