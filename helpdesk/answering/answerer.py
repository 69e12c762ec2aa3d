"""From a question to a composed, cited answer: retrieval, triage, confidence, sentence choice.

One `Answerer` per search service (so per process): it tokenises the corpus, embeds the FAQ
questions and calibrates the confidence once, then answers in a few milliseconds plus two query
embeddings (one inside search, one shared by triage and the FAQ match).
"""
from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, replace
from operator import attrgetter

import numpy as np
from flask import current_app

from ..corpus import Passage, load_corpus
from ..curation import search_sync
from ..observability.metrics import StageClock
from ..search import get_search
from ..search.text import tokenize
from ..triage import classify
from . import asking, calibration, evidence, extract, followup, markup
from .compose import Citations, Writer, render
from .faq_match import FaqMatcher, read_desk_match
from .near_domain import NearDomain
from .question_index import QuestionIndex
from .routing_words import routing_words
from .sentences import lines_mentioning
from .terms import TermStats, query_terms, terms_of, topic_terms
from .wording import words

DESK_FAQ_DOC = "faq-desk"  # curated desk FAQ entries (helpdesk.curation)

SEARCH_K = 8
ASK_K = 4  # retrieval depth for each ask of a question that asks several things
ASK_PASSAGES = 2  # … whose first document passages may answer it
ASK_CONTEXT_WEIGHT = 0.5  # the whole question's words, in choosing the block that answers one of its asks
QUOTE_PASSAGES = 4  # passages a composed answer may quote from
# A desk entry leads only when a passage it rests on is among the question's first document passages.
RELATED_WINDOW = 3
# Confidence needed to answer from the documents. The calibration puts 0 at the ceiling of
# off-topic evidence and 1 at typical in-domain evidence; researchers' real questions are chattier
# than the in-domain probes and often sit low in that range, so the bar asks only for a clear margin
# above the off-topic ceiling. Triage's out_of_scope verdict and the near-domain match are the
# other guards.
ANSWERABLE_THRESHOLD = 0.1
ROUTED_KINDS = ("emergency", "fa", "ministry")
EMERGENCY_TOPIC = "緊急"
_KNOWN = attrgetter("known_questions")  # the questions a passage is known to answer


@dataclass
class Answer:
    markdown: str
    answerable: bool
    confidence: float
    sources: list[dict]
    route: dict
    handoff: dict
    led_by: str | None = None  # the published desk FAQ entry (passage id) whose answer led, if any


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
        extract.remember_terms(corpus.passages)
        self._next_in_section = _next_in_section(corpus)
        self._corpus_faq = FaqMatcher.calibrated(corpus.passages, service.embed_known_questions)
        self._corpus_known = QuestionIndex.build(corpus.passages, _KNOWN, service.embed_known_questions)
        different = read_desk_match(current_app.config["HELPDESK_CORPUS_DIR"])["different"]
        self._not_desk_questions = np.asarray(service.embed_known_questions(different), dtype=np.float32) \
            if different else None
        self._live_lock = threading.Lock()
        self._live = self._texts_for(*search_sync.applied(service))
        self.calibration = self._calibrate()
        self.near_domain = NearDomain.load(current_app.config["HELPDESK_CORPUS_DIR"], service.embed_known_questions,
                                           self._known_similarity)

    def _known_similarity(self, vector) -> float:
        known = self.live().known.similarities(vector)
        return float(known.max()) if len(known) else 0.0

    # --- following the live index ----------------------------------------------------------------

    def _texts_for(self, marker, desk_passages: tuple) -> LiveTexts:
        terms = {**self._corpus_terms, **{p.id: terms_of(p.text) for p in desk_passages}}
        embed = self.service.embed_known_questions
        faq = self._corpus_faq.with_entries(list(desk_passages), embed, self._not_desk_questions)
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
        asked_as = question
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
        # A forwarding cue (an agency's programme, export control) or an emergency outranks the resemblance.
        near = self.near_domain_match(vector) if route.kind in ("desk", "out_of_scope") else None
        if near is not None:
            confidence = 0.0  # nearer to a question the documents do not answer than to any they do
        supported = confidence >= ANSWERABLE_THRESHOLD and route.kind != "out_of_scope"
        citations = Citations({h.passage.id: h.score for h in hits}, lang)
        writer = Writer(lang, citations)
        led_by = None

        if route.kind in ROUTED_KINDS and near is None:
            self._write_destination(writer, route)
            # An emergency gets the emergency-contact provisions only: what to do now comes with the report form.
            if route.kind != "emergency":
                # The forwarding rule is what routed questions most often need, so it comes first, unless a
                # FAQ item (or desk entry) asks this very question: then its answer is what was asked.
                first_ids = {h.passage.id for h in hits[:QUOTE_PASSAGES]}
                asked_before = supported and self.faq.best(vector, first_ids) is not None
                if not asked_before:
                    self._write_forwarding_rule(writer, route)
                if supported:
                    writer.line("route.topic")
                    led_by = self._write_from_documents(writer, asked_as, lexical[0], lang, hits, vector)
                if asked_before:
                    self._write_forwarding_rule(writer, route)
            handoff = _handoff(True, "emergency" if route.kind == "emergency" else "routed", lang)
            answerable = True
        elif supported:
            led_by = self._write_from_documents(writer, asked_as, lexical[0], lang, hits, vector)
            handoff = _handoff(False)
            answerable = True
        elif near is not None or route.kind == "out_of_scope" or confidence <= 0.0:
            writer.line("declined")
            if near is not None:
                writer.text(markup.escape(near.group.pointer(lang)))
            handoff = _handoff(True, "weak" if near is None and route.kind != "out_of_scope" else "out_of_scope", lang)
            answerable = False
        else:
            # Some evidence, not enough: say what the documents do say, and offer a person.
            writer.line("weak")
            self._write_from_documents(writer, asked_as, lexical[0], lang, hits, vector, support=False)
            handoff = _handoff(True, "weak", lang)
            answerable = False
        writer.close_english()
        clock.lap("composition")
        return Answer(writer.markdown(), answerable, round(confidence, 3), citations.sources(), route.to_dict(),
                      handoff, led_by)

    def near_domain_match(self, vector, leave_out: int | None = None):
        """The near-domain group the question (its query vector) belongs to, or None."""
        return self.near_domain.match(vector, self._known_similarity(vector), leave_out)

    def _write_from_documents(self, writer: Writer, question: str, terms: list[str], lang: str, hits: list, vector,
                              support: bool = True) -> str | None:
        """The lead and the blocks that support it; returns the desk FAQ entry that led, if one did.
        Without `support`, only the closest document passage's best block."""
        documents = [h.passage for h in hits if h.passage.doc != DESK_FAQ_DOC]
        kind = asking.kind_of(question, lang)
        entry = self._leading_entry(vector, hits, documents) if support else None
        if entry is not None:
            return self._write_desk_led(writer, entry, question, terms, lang, documents, kind)
        passages = documents[:QUOTE_PASSAGES if support else 1]
        faq = self.faq.best(vector, {p.id for p in passages})
        if faq is not None:
            # A FAQ item asking the user's question leads with its answer, the others support it.
            passages = [faq.passage, *[p for p in passages if p.id != faq.passage.id]]
        weights = self._quote_weights(terms, lang, passages)
        pool = extract.picks(passages, weights, kind)
        first = extract.lead(pool, weights, kind)
        if first is None:
            return None
        writer.quote(first, as_lead=True, opening=_opening(kind, question, first, lang))
        asked = self._answers_to_each_ask(question, terms, lang, passages) if support else ()
        following = self._next_in_section.get(first.passage.id)
        for pick in extract.support(pool, first, weights, asked=asked, following=following) if support else []:
            writer.quote(pick)
        return None

    def _leading_entry(self, vector, hits: list, documents: list) -> Passage | None:
        """The published desk FAQ entry that asks the question, if one does and search agrees: an entry
        resting on passages leads only when one of them is among the question's first document passages
        (else its resemblance is weaker than what search clearly found)."""
        found = self.faq.best(vector, {h.passage.id for h in hits[:QUOTE_PASSAGES]})
        if found is None or found.passage.doc != DESK_FAQ_DOC:
            return None
        related = set(found.passage.related)
        if related and not related & {p.id for p in documents[:RELATED_WINDOW]}:
            return None
        return found.passage

    def _write_desk_led(self, writer: Writer, entry: Passage, question: str, terms: list[str], lang: str,
                        documents: list, kind) -> str | None:
        """The entry's plain-words answer leads; the document passages support it in the order of the
        question's own retrieval, those the entry rests on first among the first few, so the first
        citation is the document passage that best answers this question. Never another entry."""
        related = set(entry.related)
        near = [p for p in documents[:RELATED_WINDOW] if p.id in related]
        ordered = (near + [p for p in documents if p not in near])[:QUOTE_PASSAGES]
        weights = self._quote_weights(terms, lang, ordered)
        pool = extract.picks([entry, *ordered], weights, kind)
        first = extract.lead([p for p in pool if p.passage is entry], weights, kind)
        if first is None:
            return None
        pool = [p for p in pool if p.passage is not entry or p is first]  # the entry is the lead, never a quote
        writer.desk_lead(first, opening=_opening(kind, question, first, lang))
        rests_on = {p.id for p in ordered if p.id in related}
        asked = self._answers_to_each_ask(question, terms, lang, ordered)
        for pick in extract.support(pool, first, weights, rests_on, anchor=ordered[0] if ordered else None,
                                    asked=asked):
            writer.quote(pick)
        return entry.id

    def _answers_to_each_ask(self, question: str, terms: list[str], lang: str, passages: list
                             ) -> tuple[extract.Pick, ...]:
        """For a question that asks several things, the block that best answers each ask: found in the
        ask's own first document passages (an ask that refers back is searched after the one before it)
        or the question's, scored by the ask's own words and, at half weight, the question's (an ask is
        read in the context of the whole question). A question with one ask costs nothing here."""
        asks = asking.asks_of(question)
        if len(asks) < 2:
            return ()
        context = {t: w * ASK_CONTEXT_WEIGHT for t, w in self._quote_weights(terms, lang, passages).items()}
        found: list[extract.Pick] = []
        for previous, ask in zip([None, *asks], asks, strict=False):
            ask_terms = self.service.lexical_query(ask)[0]
            own_terms = topic_terms(ask_terms)
            if not own_terms:
                continue
            text = followup.search_text(ask, previous, len(own_terms))
            hits = self.service.search(text, k=ASK_K)
            documents = [h.passage for h in hits if h.passage.doc != DESK_FAQ_DOC][:ASK_PASSAGES]
            candidates = [*documents, *[p for p in passages if p not in documents]]
            weights = {**context, **self._quote_weights(ask_terms, lang, documents)}
            kind = asking.kind_of(ask, lang)
            # Each ask its own block: one an earlier ask chose already answers that ask, not this one.
            best = max((p for p in extract.picks(candidates, weights, kind)
                        if p.relevance > extract.RANK_PRIOR and not extract.quoted(p, found)),
                       key=lambda p: p.relevance, default=None)
            if best is not None:
                rank = passages.index(best.passage) if best.passage in passages else len(passages)
                found.append(replace(best, rank=rank))
        return tuple(found)

    def _write_destination(self, writer: Writer, route) -> None:
        """Where the question goes and why, in plain words (an emergency: with its contact provisions)."""
        names = routing_words(route, writer.lang)
        writer.line(f"route.{route.kind}", destination=names.destination)
        writer.text(markup.escape(names.reason))
        if route.kind == "emergency":
            # Only the emergency-contact provisions of those passages (緊急事態 … 連絡体制), nothing beside them:
            # what to do now comes with the emergency report form.
            for rank, passage in enumerate(self._rule_passages(route)):
                for block in lines_mentioning(passage, EMERGENCY_TOPIC):
                    writer.quote(extract.Pick(passage, rank, block, 1.0, frozenset()))

    def _write_forwarding_rule(self, writer: Writer, route) -> None:
        """The guideline's rule on forwarding, the basis of the route."""
        weights = self.term_stats.weights(query_terms(route.reason_ja))
        rule = extract.lead(extract.picks(self._rule_passages(route), weights), weights)
        if rule is not None:
            writer.quote(rule)

    def _rule_passages(self, route) -> list:
        return [p for p in (self.corpus.get(pid) for pid in route.cites) if p is not None]

    def _quote_weights(self, lexical_terms: list[str], lang: str, passages: list) -> dict[str, float]:
        """Query terms for choosing blocks: the question's BM25 terms (`service.lexical_query`; for an
        English question, the Japanese terms the glossary found) and, for English, the headings of the
        passages retrieval found cross-lingually, which stand in for what the glossary did not carry."""
        terms = topic_terms(lexical_terms)
        if lang == "en":
            terms += [t for p in passages[:2] for t in tokenize(p.heading or p.title)]
        return self.term_stats.weights(terms)


def _next_in_section(corpus) -> dict[str, Passage]:
    """Each passage's next one in its document when both are under the same heading (the chunker cut a
    section in two)."""
    found = {}
    for doc in {p.doc for p in corpus.passages}:
        ordered = sorted(corpus.by_doc(doc), key=attrgetter("order"))
        found.update({p.id: n for p, n in zip(ordered, ordered[1:], strict=False) if p.title == n.title})
    return found


def _opening(kind, question: str, first, lang: str) -> str:
    """"Yes." or "No." before a yes/no question's lead that does not open with its answer."""
    lead_text = render(first, "ja").japanese  # what the lead shows of its block, as written
    if kind is asking.Kind.YES_NO and not asking.opens_with_answer(lead_text):
        return words("yes" if asking.says_yes(question, lead_text, lang) else "no", lang)
    return ""


def _handoff(offered: bool, reason: str | None = None, lang: str = "ja") -> dict:
    if not offered:
        return {"offered": False, "reason": None, "message": None}
    key = {"emergency": "handoff.emergency", "routed": "handoff.routed",
           "out_of_scope": "handoff.out_of_scope"}.get(reason or "", "handoff.weak")
    return {"offered": True, "reason": reason, "message": words(key, lang)}


_lock = threading.Lock()
_answerers: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def get_answerer() -> Answerer:
    """The answerer for the current app's search service, built on first use."""
    service = get_search()
    with _lock:
        answerer = _answerers.get(service)
        if answerer is None:
            answerer = _answerers[service] = Answerer(service, load_corpus(current_app.config["HELPDESK_CORPUS_DIR"]))
        return answerer
