"""The search service: hybrid (BM25 + dense) retrieval over the corpus, updatable in place."""
from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import numpy as np

from . import store
from .dense_index import DenseIndex
from .embed_cache import EmbeddingCache
from .embedders import Embedder
from .fusion import ENGLISH_DENSE_WEIGHT, english_weight, fuse, lexical_reach, lexical_weight, with_feedback
from .glossary import NO_TRANSLATION, Glossary, Translation
from .lexical_index import LexicalIndex
from .passage_text import SEGMENTER_VERSION, english_segments, english_text, lexical_text, segments
from .text import japanese_share, names_only, tokenize, tokenize_english

Mode = Literal["hybrid", "lexical", "dense"]
MODES: tuple[Mode, ...] = ("hybrid", "lexical", "dense")
# How deep each side's ranking goes into the fusion.
CANDIDATES = 50
# A question with a smaller share of Japanese letters is treated as an English question.
ENGLISH_BELOW = 0.5
_EMPTY = (np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32))


@dataclass
class Hit:
    passage: Any
    score: float
    lexical_score: float
    dense_score: float | None  # cosine; None when the query was not embedded (lexical mode)

    def to_dict(self) -> dict:
        p = self.passage
        return {"id": p.id, "doc": p.doc, "title": p.title, "text": p.text, "score": round(self.score, 6), "url": p.url}


@dataclass
class BuildReport:
    passages: int
    segments: int  # distinct texts embedded for the passages
    embedded: int  # of those, the ones whose vectors were not in the embedding cache
    seconds: float
    loaded: bool  # True when an unchanged index was read from disk
    kind: str


class SearchService:
    def __init__(self, embedder: Embedder, cache: EmbeddingCache, passages: list, lexical: LexicalIndex,
                 dense: DenseIndex, hnsw_threshold: int, glossary: Glossary | None = None,
                 english: LexicalIndex | None = None, english_dense: DenseIndex | None = None,
                 report: BuildReport | None = None) -> None:
        self.embedder = embedder
        self.glossary = glossary or Glossary([])
        self._cache = cache
        self._hnsw_threshold = hnsw_threshold
        self._passages: list = passages  # by row; None once removed
        self._row_of = {p.id: row for row, p in enumerate(passages)}
        self._lexical = lexical
        self._english = english if english is not None else LexicalIndex({})  # BM25 over the translations
        self._dense = dense
        # dense segments of the translations (rows of translated passages)
        self._english_dense = english_dense if english_dense is not None else _no_vectors(dense.dim, hnsw_threshold)
        self._lock = threading.Lock()
        self.report = report or BuildReport(len(passages), 0, 0, 0.0, False, dense.kind)  # built elsewhere

    # --- construction -------------------------------------------------------------------------

    @classmethod
    def open(cls, passages: list, index_dir: Path, embedder: Embedder, cache: EmbeddingCache,
             hnsw_threshold: int, progress: bool = False, glossary: Glossary | None = None) -> SearchService:
        """Load the persisted index for exactly these passages and this model, else build and persist it."""
        started = time.perf_counter()
        texts = [lexical_text(p) for p in passages]
        if glossary is not None:
            glossary.check_against(texts)
        segment_lists = [segments(p) for p in passages]
        english = [english_text(p) for p in passages]
        english_segment_lists = [english_segments(p) for p in passages]
        key = store.fingerprint(
            [(p.id, "\0".join([t, en, *segs, "\0", *en_segs]))
             for p, t, en, segs, en_segs in zip(passages, texts, english, segment_lists, english_segment_lists, strict=False)],
            f"{embedder.model_id}/{SEGMENTER_VERSION}", hnsw_threshold,
        )
        stored = store.load(index_dir, key, hnsw_threshold)
        loaded, embedded = stored is not None, 0
        distinct = len({s for segs in segment_lists + english_segment_lists for s in segs})
        if stored is None:
            flat = [s for segs in segment_lists + english_segment_lists for s in segs]
            embedded = cache.count_missing(embedder.model_id, flat)
            vectors, owners = _embed(embedder, cache, segment_lists, progress)
            english_vectors, english_owners = _embed(embedder, cache, english_segment_lists, progress)
            tokens = {row: tokenize(t) for row, t in enumerate(texts)}
            stored = store.StoredIndex([p.id for p in passages], LexicalIndex(tokens),
                                       DenseIndex(vectors, owners, hnsw_threshold), LexicalIndex(_english_tokens(english)),
                                       DenseIndex(english_vectors, english_owners, hnsw_threshold))
            store.save(index_dir, key, stored)
        by_id = {p.id: p for p in passages}
        report = BuildReport(len(passages), distinct, embedded, time.perf_counter() - started, loaded, stored.dense.kind)
        return cls(embedder, cache, [by_id[i] for i in stored.ids], stored.lexical, stored.dense, hnsw_threshold,
                   glossary, stored.english, stored.english_dense, report)

    # --- queries ------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._row_of)

    def _translate(self, query: str) -> Translation:
        return _translation(self.glossary, query)

    def embed_query(self, text: str) -> np.ndarray:
        """The normalised query vector search uses for `text`."""
        return self._embed_translated(text, self._translate(text))

    def _embed_translated(self, text: str, translation: Translation) -> np.ndarray:
        if translation.terms and japanese_share(text) >= ENGLISH_BELOW:
            # A Japanese question with a few Latin words (e-Rad, ASPIRE): e5 reads the glossary's
            # Japanese for them as a gloss. A question mostly in English is embedded as it is: its
            # glossary terms reach BM25, and appended to the text they doubled its tokens (the forward
            # pass costs ~1 ms a token) without improving dense recall on the English question sets.
            text = f"{text} ({'、'.join(translation.terms)})"
        return self.embedder.embed_queries([text])[0]

    def embed_known_questions(self, texts: list[str], progress: bool = False) -> np.ndarray:
        """Query-role vectors of questions the documents are known to answer (FAQ questions,
        anticipated questions), for comparing a user's question with them. Through the embedding
        cache: every process start needs the same few hundred."""
        return self._cache.embed(f"{self.embedder.model_id}/query", self.embedder.dim, list(texts),
                                 self.embedder.embed_queries, progress, "known questions")

    def lexical_query(self, query: str) -> tuple[list[str], float]:
        """The BM25 terms search uses for `query`, and how much of the question they stand for
        (1.0 for Japanese; for English, as far as the glossary carried it: `fusion.lexical_reach`)."""
        translation = self._translate(query)
        return _lexical_terms(query, translation), lexical_reach(japanese_share(query), translation.entries)

    def search(self, query: str, k: int = 10, mode: Mode = "hybrid",
               query_vector: np.ndarray | None = None) -> list[Hit]:
        """The `k` best passages for `query`, best first.

        `query_vector`: `embed_query(query)` when the caller already has it (saves the forward pass).
        """
        return self.search_with_vector(query, k, mode, query_vector)[0]

    def search_with_vector(self, query: str, k: int = 10, mode: Mode = "hybrid",
                           query_vector: np.ndarray | None = None) -> tuple[list[Hit], np.ndarray | None]:
        """`search`, also returning the query vector it used (None in lexical mode), for reuse by callers."""
        translation = self._translate(query)
        vector = None
        if mode != "lexical":
            vector = query_vector if query_vector is not None else self._embed_translated(query, translation)
        terms = _lexical_terms(query, translation) if mode != "dense" else []
        share = japanese_share(query)
        # An English question also meets the translations in its own words: by BM25 as far as the glossary
        # did not carry it into Japanese (`english_weight`), and by their dense segments; a Japanese
        # question never does.
        english_question = share < ENGLISH_BELOW
        weight_english = english_weight(share, translation.entries) if english_question else 0.0
        english_terms = tokenize_english(query) if mode != "dense" and weight_english > 0 else []
        weight_english_dense = ENGLISH_DENSE_WEIGHT if english_question and mode != "lexical" else 0.0
        with self._lock:
            lex_rows, lex_scores = self._lexical.scores(terms) if terms else _EMPTY
            lexical_of = np.zeros(len(self._passages), dtype=np.float32)  # by row; 0 = no match
            lexical_of[lex_rows] = lex_scores
            en_rows, en_scores = self._english.scores(english_terms) if english_terms else _EMPTY
            english_of = np.zeros(len(self._passages), dtype=np.float32)
            english_of[en_rows] = en_scores
            cosine_of = None  # by row, once computed
            if vector is None:  # lexical mode
                rows = np.union1d(lex_rows, en_rows)
                scores = lexical_of[rows]
                if len(en_rows):  # the two BM25 sides, weighted as in hybrid mode
                    scores = fuse(scores, None, lexical_weight(share, translation.entries), english_of[rows],
                                  weight_english)
                rows, scores = _best(rows, scores, k)
            elif mode == "dense" and not weight_english_dense:
                rows, scores = self._dense.search(vector, k)
                cosine_of = dict(zip(rows.tolist(), scores.tolist(), strict=True))
            else:
                def ranked(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
                    rows = self._dense.search(v, CANDIDATES)[0]
                    if weight_english_dense:
                        rows = np.union1d(rows, self._english_dense.search(v, CANDIDATES)[0])
                    if mode == "hybrid":
                        rows = np.union1d(np.union1d(_best(lex_rows, lex_scores, CANDIDATES)[0], rows),
                                          _best(en_rows, en_scores, CANDIDATES)[0])
                    english_cosines = self._english_dense.similarity(v, rows) if weight_english_dense else None
                    fused = fuse(lexical_of[rows] if mode == "hybrid" else None, self._dense.similarity(v, rows),
                                 lexical_weight(share, translation.entries), english_of[rows], weight_english,
                                 english_cosines, weight_english_dense)
                    return _best(rows, fused, k)

                rows, scores = ranked(vector)
                if english_question and len(rows):
                    # Cross-lingual feedback: the first passage's Japanese segment nearest the question,
                    # added to it, carries the question into the sources' language for a second ranking.
                    rows, scores = ranked(with_feedback(vector, self._dense.nearest_segment(int(rows[0]), vector)))
                # Hits report the cosine to the question itself, whatever vector ranked them.
                cosine_of = dict(zip(rows.tolist(), self._dense.similarity(vector, rows).tolist(), strict=True))
            hits = [
                Hit(self._passages[row], float(score), float(lexical_of[row]),
                    None if cosine_of is None else float(cosine_of[row]))
                for row, score in zip(rows.tolist(), scores.tolist(), strict=True)
            ]
        return hits, vector

    # --- live updates (curation) --------------------------------------------------------------

    def upsert(self, passages: Iterable) -> int:
        """Add passages, or replace those whose id is already indexed; only changed text is re-embedded."""
        latest = {p.id: p for p in passages}  # the last version wins if an id repeats
        if not latest:
            return 0
        items = list(latest.values())
        segment_lists = [segments(p) for p in items]
        vectors, positions = _embed(self.embedder, self._cache, segment_lists)
        english_vectors, english_positions = _embed(self.embedder, self._cache, [english_segments(p) for p in items])
        tokens = [tokenize(lexical_text(p)) for p in items]
        english = [english_text(p) for p in items]
        with self._lock:
            replaced = {self._row_of[p.id] for p in items if p.id in self._row_of}
            self._forget(replaced)
            first = len(self._passages)
            rows = list(range(first, first + len(items)))
            self._passages.extend(items)
            self._row_of.update((p.id, row) for p, row in zip(items, rows, strict=True))
            self._dense.add(vectors, positions + first)
            self._english_dense.add(english_vectors, english_positions + first)
            self._lexical = self._lexical.with_changes(dict(zip(rows, tokens, strict=False)), replaced)
            self._english = self._english.with_changes(_english_tokens(english, first), replaced)
            self._compact_if_sparse()
        return len(items)

    def remove(self, ids: Iterable[str]) -> int:
        """Remove passages by id; unknown ids are ignored. Returns how many were removed."""
        with self._lock:
            rows = {self._row_of.pop(pid) for pid in set(ids) if pid in self._row_of}
            if rows:
                self._forget(rows)
                self._lexical = self._lexical.with_changes({}, rows)
                self._english = self._english.with_changes({}, rows)
                self._compact_if_sparse()
            return len(rows)

    def _forget(self, rows: set[int]) -> None:
        for row in rows:
            self._passages[row] = None
        self._dense.drop(rows)
        self._english_dense.drop(rows)

    def _compact_if_sparse(self) -> None:
        """Renumber live passages once a quarter of the vectors are dead (searches skip dead ones)."""
        if self._dense.dead * 4 <= len(self._dense):
            return
        live = [row for row, p in enumerate(self._passages) if p is not None]
        new_row = np.full(len(self._passages), -1, dtype=np.int64)
        new_row[live] = np.arange(len(live))
        vectors, owners = self._dense.live()
        english_vectors, english_owners = self._english_dense.live()
        self._passages = [self._passages[row] for row in live]
        self._row_of = {p.id: row for row, p in enumerate(self._passages)}
        self._dense = DenseIndex(vectors, new_row[owners], self._hnsw_threshold)
        self._english_dense = DenseIndex(english_vectors, new_row[english_owners], self._hnsw_threshold)
        self._lexical = self._lexical.renumbered(new_row)
        self._english = self._english.renumbered(new_row)


@lru_cache(maxsize=1024)  # an ask translates its question for the embedding, the BM25 terms and the search
def _translation(glossary: Glossary, query: str) -> Translation:
    # Japanese questions already use the sources' words; only the non-Japanese part needs carrying over.
    return glossary.translate(query) if japanese_share(query) < 1.0 else NO_TRANSLATION


def _lexical_terms(query: str, translation: Translation) -> list[str]:
    """BM25 terms of a question: its own words (only the names, when it is mostly not Japanese)
    followed by the Japanese terms the glossary found for it."""
    terms = tokenize(query if japanese_share(query) >= ENGLISH_BELOW else names_only(query))
    if translation.terms:
        # Once each: the glossary's terms overlap (民間事業者, 民間企業), and a repeated query term
        # counts again in BM25.
        terms += [t for t in dict.fromkeys(tokenize(" ".join(translation.terms))) if t not in terms]
    return terms


def _english_tokens(texts: list[str], first_row: int = 0) -> dict[int, list[str]]:
    """Row → English BM25 terms, for the passages that have a translation."""
    return {row: tokenize_english(text) for row, text in enumerate(texts, start=first_row) if text}


def _no_vectors(dim: int, hnsw_threshold: int) -> DenseIndex:
    return DenseIndex(np.empty((0, dim), dtype=np.float32), np.empty(0, dtype=np.int64), hnsw_threshold)


def _best(rows: np.ndarray, scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The `k` best (rows, scores), best first."""
    if len(rows) > k:
        keep = np.argpartition(-scores, k)[:k]
        rows, scores = rows[keep], scores[keep]
    order = np.argsort(-scores, kind="stable")
    return rows[order], scores[order]


def _embed(embedder: Embedder, cache: EmbeddingCache, segment_lists: list[list[str]],
           progress: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Vectors of all segments, and the position in `segment_lists` of the passage each belongs to."""
    flat = [s for segs in segment_lists for s in segs]
    vectors = cache.embed(embedder.model_id, embedder.dim, flat, embedder.embed_passages, progress)
    owners = np.repeat(np.arange(len(segment_lists)), [len(segs) for segs in segment_lists])
    return vectors, owners
