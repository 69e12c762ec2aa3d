"""From a question to a composed, cited answer: retrieval, triage, confidence, sentence choice.

One `Answerer` per search service (so per process): it tokenises the corpus, embeds the FAQ
questions and calibrates the confidence once, then answers in a few milliseconds plus two query
embeddings (one inside search, one shared by triage and the FAQ match).
"""
from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from operator import attrgetter

from flask import current_app

from ..corpus import load_corpus
from ..curation import search_sync
from ..observability.metrics import StageClock
from ..search import get_search
from ..search.text import tokenize
from ..triage import classify
from . import calibration, evidence, extract, followup, markup
from .compose import Citations, Writer
from .faq_match import FaqMatcher
from .question_index import QuestionIndex
from .terms import TermStats, query_terms, terms_of, topic_terms
from .wording import words

SEARCH_K = 8
QUOTE_PASSAGES = SEARCH_K  # passages a composed answer may quote from
MAX_QUOTES = 5
FAQ_SUPPORT_QUOTES = 2  # other sentences shown after a FAQ answer
ROUTE_RULE_QUOTES = 2
TOPIC_QUOTES_WHEN_ROUTED = 3
# Confidence needed to answer from the documents. The calibration puts 0 at the ceiling of
# off-topic evidence and 1 at typical in-domain evidence; researchers' real questions are chattier
# than the in-domain probes and often sit low in that range, so the bar asks only for a clear margin
# above the off-topic ceiling. Triage's out_of_scope verdict is the second, independent guard.
ANSWERABLE_THRESHOLD = 0.1
ROUTED_KINDS = ("emergency", "fa", "ministry")
_KNOWN = attrgetter("known_questions")  # the questions a passage is known to answer


@dataclass
class Answer:
    markdown: str
    answerable: bool
    confidence: float
    sources: list[dict]
    route: dict
    handoff: dict


@dataclass(frozen=True)
class LiveTexts:
    """Word statistics and FAQ questions of what the live index holds: the corpus plus the desk FAQ
    entries curation has applied (`marker` says which)."""

    marker: object
    passage_terms: dict[str, frozenset[str]]
    term_stats: TermStats
    faq: FaqMatcher
    known: QuestionIndex  # every question the live passages are known to answer


class Answerer:
    def __init__(self, service, corpus) -> None:
        self.service = service
        self.corpus = corpus
        self._corpus_terms = {p.id: terms_of(p.text) for p in corpus.passages}
        self._corpus_faq = FaqMatcher.calibrated(corpus.passages, service.embed_known_questions)
        self._corpus_known = QuestionIndex.build(corpus.passages, _KNOWN, service.embed_known_questions)
        self._live_lock = threading.Lock()
        self._live = self._texts_for(*search_sync.applied(service))
        self.calibration = self._calibrate()

    # --- following the live index ----------------------------------------------------------------

    def _texts_for(self, marker, desk_passages: tuple) -> LiveTexts:
        terms = {**self._corpus_terms, **{p.id: terms_of(p.text) for p in desk_passages}}
        embed = self.service.embed_known_questions
        faq = self._corpus_faq.with_entries(list(desk_passages), embed)
        known = self._corpus_known.plus(QuestionIndex.build(desk_passages, _KNOWN, embed))
        return LiveTexts(marker, terms, TermStats(list(terms.values())), faq, known)

    def live(self) -> LiveTexts:
        """The statistics for the desk FAQ currently in the index, rebuilt when curation changed it."""
        marker, desk_passages = search_sync.applied(self.service)
        if self._live.marker != marker:
            with self._live_lock:
                if self._live.marker != marker:
                    self._live = self._texts_for(marker, desk_passages)
        return self._live

    @property
    def passage_terms(self) -> dict[str, frozenset[str]]:
        return self.live().passage_terms

    @property
    def term_stats(self) -> TermStats:
        return self.live().term_stats

    @property
    def faq(self) -> FaqMatcher:
        return self.live().faq

    # --- calibration ---------------------------------------------------------------------------

    def _calibrate(self) -> evidence.Calibration:
        def signals(probes):
            return [self._signals(q, hits, vector)
                    for q in probes for hits, vector in [self.service.search_with_vector(q, k=SEARCH_K)]]

        inside, outside = signals(calibration.IN_DOMAIN), signals(calibration.OFF_TOPIC)

        def between(signal, japanese: bool):
            def pick(measured):
                return [getattr(s, signal) for s in measured if (s.japanese > 0.5) == japanese]

            return calibration.Range.between(pick(outside), pick(inside))

        return evidence.Calibration(
            dense_ja=between("dense", True), dense_en=between("dense", False),
            asked_ja=between("asked", True), asked_en=between("asked", False), lexical=between("lexical", True),
        )

    def _signals(self, question: str, hits: list, vector, lexical: tuple[list[str], float] | None = None
                 ) -> evidence.Signals:
        """`vector`: the query vector search used; `lexical`: `service.lexical_query(question)` when the
        caller has it already."""
        terms, reach = lexical or self.service.lexical_query(question)
        weights = self.term_stats.weights(topic_terms(terms))
        live = self.live()
        asked = live.known.nearest(vector, {h.passage.id for h in hits})
        return evidence.measure(question, hits, weights, live.passage_terms, reach, asked[1] if asked else 0.0)

    # --- answering -----------------------------------------------------------------------------

    def respond(self, question: str, lang: str, previous: str | None = None) -> Answer:
        """Answer `question`; `previous` is the question before it in the same conversation, which
        gives a follow-up its topic (`followup.search_text`)."""
        if previous:
            own_terms = topic_terms(self.service.lexical_query(question)[0])
            question = followup.search_text(question, previous, len(own_terms))
        clock = StageClock()
        # One forward pass: the vector search uses also serves triage and FAQ matching.
        vector = self.service.embed_query(question)
        clock.lap("embedding")
        lexical = self.service.lexical_query(question)
        hits, _ = self.service.search_with_vector(question, k=SEARCH_K, query_vector=vector)
        clock.lap("search")
        route = classify(question, lang, query_vector=vector)
        clock.lap("triage")
        confidence = self.calibration.confidence(self._signals(question, hits, vector, lexical))
        supported = confidence >= ANSWERABLE_THRESHOLD and route.kind != "out_of_scope"
        citations = Citations({h.passage.id: h.score for h in hits})
        writer = Writer(lang, citations)

        if route.kind in ROUTED_KINDS:
            self._write_routed(writer, question, lexical[0], route, hits if supported else [])
            handoff = _handoff(True, "emergency" if route.kind == "emergency" else "routed", lang)
            answerable = True
        elif supported:
            self._write_from_documents(writer, lexical[0], lang, hits, vector)
            handoff = _handoff(False)
            answerable = True
        else:
            writer.line("declined")
            handoff = _handoff(True, "out_of_scope" if route.kind == "out_of_scope" else "weak", lang)
            answerable = False
        clock.lap("composition")
        return Answer(writer.markdown(), answerable, round(confidence, 3), citations.sources(), route.to_dict(), handoff)

    def _write_from_documents(self, writer: Writer, terms: list[str], lang: str, hits: list, vector) -> None:
        passages = [h.passage for h in hits[:QUOTE_PASSAGES]]
        weights = self._quote_weights(terms, lang, passages)
        faq = self.faq.best(vector, {p.id for p in passages})
        if faq is not None:
            lead = extract.candidates([faq.passage], weights)
            # The FAQ's answer leads in full order: its opening sentence always, then the most relevant.
            answer_quotes = extract.select(lead, MAX_QUOTES, required=lead[:1])
            others = extract.candidates([p for p in passages if p.id != faq.passage.id], weights)
            support = extract.select(others, FAQ_SUPPORT_QUOTES)
            number = faq.passage.number or faq.passage.id  # desk FAQ entries have no number
            writer.line("faq_lead", question=markup.escape(faq.passage.question), number=number)
            writer.quotes(sorted(answer_quotes, key=lambda q: q.position), as_block_quote=True)
            if support:
                writer.line("also")
                writer.quotes(extract.in_reading_order(support))
            return
        pool = extract.candidates(passages, weights)
        quotes = extract.select(pool, MAX_QUOTES, required=extract.best_of_top_passage(pool))
        writer.line("intro")
        writer.line("about", titles=self._titles(quotes))
        writer.quotes(extract.in_reading_order(quotes))

    def _write_routed(self, writer: Writer, question: str, terms: list[str], route, hits: list) -> None:
        writer.line(f"route.{route.kind}")
        writer.text(markup.escape(route.reason))
        rule_passages = [p for p in (self.corpus.get(pid) for pid in route.cites) if p is not None]
        # The rule's sentences are chosen for the question *and* the routing reason (in Japanese).
        weights = self.term_stats.weights(query_terms(question) + query_terms(route.reason_ja))
        rules = extract.select(extract.candidates(rule_passages, weights), ROUTE_RULE_QUOTES)
        if rules:
            writer.line("route.rule")
            writer.quotes(extract.in_reading_order(rules))
        cited = {p.id for p in rule_passages}
        topic_passages = [h.passage for h in hits[:QUOTE_PASSAGES] if h.passage.id not in cited]
        topic_weights = self._quote_weights(terms, writer.lang, topic_passages)
        topic = extract.select(extract.candidates(topic_passages, topic_weights), TOPIC_QUOTES_WHEN_ROUTED)
        if topic:
            writer.line("route.topic")
            writer.quotes(extract.in_reading_order(topic))

    def _quote_weights(self, lexical_terms: list[str], lang: str, passages: list) -> dict[str, float]:
        """Query terms for choosing sentences: the question's BM25 terms (`service.lexical_query`; for an
        English question, the Japanese terms the glossary found) and, for English, the headings of the
        passages retrieval found cross-lingually, which stand in for what the glossary did not carry."""
        terms = topic_terms(lexical_terms)
        if lang == "en":
            terms += [t for p in passages[:2] for t in tokenize(p.heading or p.title)]
        return self.term_stats.weights(terms)

    def _titles(self, quotes: list) -> str:
        seen: dict[str, str] = {}
        for quote in quotes:
            p = quote.passage
            document = self.corpus.document(p.doc) or {}
            seen.setdefault(p.id, f"{document.get('title_en', p.doc)}, 「{p.heading or p.title}」")
        return "; ".join(markup.escape(t) for t in seen.values())


def _handoff(offered: bool, reason: str | None = None, lang: str = "ja") -> dict:
    if not offered:
        return {"offered": False, "reason": None, "message": None}
    key = {"emergency": "handoff.emergency", "routed": "handoff.routed"}.get(reason, "handoff.weak")
    return {"offered": True, "reason": reason, "message": words(key, lang)}


_lock = threading.Lock()
_answerers: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def get_answerer() -> Answerer:
    """The answerer for the current app's search service, built on first use."""
    service = get_search()
    with _lock:
        answerer = _answerers.get(service)
        if answerer is None:
            answerer = _answerers[service] = Answerer(service, load_corpus(current_app.config["HELPDESK_CORPUS_DIR"]))
        return answerer
