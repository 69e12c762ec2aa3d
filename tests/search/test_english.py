"""English questions against the provisional translations: the English analyser and its BM25 index, and the
translations' dense segments."""
from __future__ import annotations

import uuid
from dataclasses import replace

import numpy as np
import pytest

from helpdesk.corpus import PassageTranslation, load_corpus
from helpdesk.search import get_embedder, settings
from helpdesk.search.dense_index import DenseIndex
from helpdesk.search.embed_cache import EmbeddingCache
from helpdesk.search.fusion import ENGLISH_DENSE_WEIGHT, fuse
from helpdesk.search.passage_text import english_segments, english_text
from helpdesk.search.service import SearchService
from helpdesk.search.text import tokenize_english


def test_english_analyser_stems_and_drops_stop_words_and_question_words():
    assert tokenize_english("Who decides whether the institutions' mitigation measures are adequate?") == \
        tokenize_english("decide whether institution mitigation measure adequate")
    assert tokenize_english("What do we have to do, and when?") == []
    assert tokenize_english("ＡＳＰＩＲＥ checks") == ["aspir", "check"]  # full width folded like the Japanese side


def test_a_passage_is_indexed_by_its_translation_heading_and_text(app):
    with app.app_context():
        passage = load_corpus(app.config["HELPDESK_CORPUS_DIR"]).get("guideline/I-2-4")
    assert passage.en.heading in english_text(passage)
    assert passage.en.text in english_text(passage)
    assert english_text(replace(passage, en=None)) == ""


@pytest.fixture
def private_service(app, search_service, tmp_path):
    """A service of its own over the real corpus (changes stay out of other tests), same embedding cache."""
    config = settings(app)
    passages = load_corpus(config.corpus_dir).passages
    cache = EmbeddingCache(config.embed_cache)

    def open_service(changed=passages):
        return SearchService.open(changed, tmp_path, get_embedder("e5"), cache, 20_000)
    return passages, open_service


def _with_english(passage, text: str):
    return replace(passage, en=PassageTranslation(heading=passage.en.heading, text=text,
                                                  source_sha256=passage.en.source_sha256))


def test_an_english_question_reaches_a_passage_through_its_translation_only(private_service, search_service):
    passages, open_service = private_service
    word = f"zeppelin{uuid.uuid4().hex[:6]}"  # in no Japanese text and no glossary entry
    row = next(i for i, p in enumerate(passages) if p.id == "guideline/I-2-4")
    changed = list(passages)
    changed[row] = _with_english(passages[row], passages[row].en.text + f"\nHangars for {word}s are out of scope.")
    service = open_service(changed)
    assert service.search(f"Is a {word} hangar in scope?", k=1, mode="lexical")[0].passage.id == "guideline/I-2-4"
    assert "guideline/I-2-4" in [h.passage.id for h in service.search(f"Is a {word} hangar in scope?", k=3)]
    # A Japanese question does not use the English index, whatever Latin words it contains.
    japanese = f"{word}の格納庫はリスクマネジメントの対象範囲に入りますか"
    assert [(h.passage.id, h.score) for h in service.search(japanese, k=5, mode="lexical")] == \
        [(h.passage.id, h.score) for h in search_service.search(japanese, k=5, mode="lexical")]
    service.remove(["guideline/I-2-4"])
    assert all(h.passage.id != "guideline/I-2-4" for h in service.search(f"Is a {word} hangar in scope?", k=10))


def test_a_changed_translation_changes_the_index_fingerprint(private_service, tmp_path):
    passages, open_service = private_service
    assert not open_service().report.loaded
    assert open_service().report.loaded
    changed = [_with_english(p, p.en.text + " (revised)") if p.id == "faq-aspire/Q1.1" else p for p in passages]
    assert not open_service(changed).report.loaded


def test_upserted_translations_are_searched_in_english(private_service):
    passages, open_service = private_service
    service = open_service()
    base = next(p for p in passages if p.id == "faq-aspire/Q1.1")
    word = f"quokka{uuid.uuid4().hex[:6]}"
    curated = replace(_with_english(base, f"Q: May {word} data leave the lab?\nA: Ask the desk first."),
                      id="faq-desk/english-entry", doc="faq-desk")
    service.upsert([curated])
    assert service.search(f"can {word} data leave?", k=1, mode="lexical")[0].passage.id == "faq-desk/english-entry"


def test_a_translated_passage_is_embedded_as_windows_of_its_english_under_its_heading(app):
    with app.app_context():
        corpus = load_corpus(app.config["HELPDESK_CORPUS_DIR"])
    for passage in corpus.passages:
        cut = english_segments(passage)
        assert cut
        assert all(s.startswith(passage.en.heading + "\n") for s in cut)
        # every English sentence is in some window (the two sizes overlap; a long sentence stays whole)
        body = "\n".join(s.removeprefix(passage.en.heading + "\n") for s in cut)
        assert all(word in body for word in (passage.en.answer or passage.en.text).split()[-3:])
    assert english_segments(replace(corpus.passages[0], en=None)) == []


def test_an_english_question_meets_a_passage_through_its_english_segments(private_service, search_service):
    passages, open_service = private_service
    service = open_service()
    base = next(p for p in passages if p.id == "guideline/I-2-4")
    # English about something no Japanese text of the corpus mentions: only its English segment can find it.
    orchard = _with_english(base, "Honeybees pollinate the apple orchards each spring; beekeepers move the hives "
                                  "between farms.")
    question = "Which insects pollinate apple trees, and who moves their hives?"
    def dense_top10(searched):
        return [h.passage.id for h in searched.search(question, k=10, mode="dense")]

    assert "guideline/I-2-4" not in dense_top10(search_service)
    service.upsert([orchard])
    # Dense only, the English side (half the weight of the Japanese one) lifts it among the first ten; with
    # the English BM25 beside it, first.
    assert "guideline/I-2-4" in dense_top10(service)
    assert service.search(question, k=1)[0].passage.id == "guideline/I-2-4"
    # A Japanese question is not scored by the English segments: the same ranking as before the change.
    japanese = "リスクマネジメントの対象範囲はどこまでですか"
    for mode in ("dense", "hybrid"):
        assert [(h.passage.id, round(h.score, 5)) for h in service.search(japanese, k=5, mode=mode)] == \
            [(h.passage.id, round(h.score, 5)) for h in search_service.search(japanese, k=5, mode=mode)]
    service.remove(["guideline/I-2-4"])
    assert all(h.passage.id != "guideline/I-2-4" for h in service.search(question, k=10, mode="dense"))


def test_the_english_segments_are_persisted_with_the_index(private_service):
    passages, open_service = private_service
    built = open_service()
    loaded = open_service()
    assert not built.report.loaded
    assert loaded.report.loaded
    question = "Who is covered by the risk management when two universities do joint research?"
    assert [(h.passage.id, round(h.score, 5)) for h in loaded.search(question, k=5, mode="dense")] == \
        [(h.passage.id, round(h.score, 5)) for h in built.search(question, k=5, mode="dense")]


def test_passages_without_english_segments_count_as_the_farthest_on_that_side():
    index = DenseIndex(np.eye(3, dtype=np.float32)[:2], np.array([0, 2]), 20_000)
    cosines = index.similarity(np.array([0.6, 0.8, 0.0], dtype=np.float32), [0, 1, 2])
    assert cosines[0] == pytest.approx(0.6)
    assert np.isnan(cosines[1])
    assert cosines[2] == pytest.approx(0.8)
    fused = fuse(None, np.array([0.5, 0.5, 0.5]), 0.7, english_dense=cosines, weight_english_dense=ENGLISH_DENSE_WEIGHT)
    assert fused.tolist() == pytest.approx([1.0, 1.0, 1.0 + ENGLISH_DENSE_WEIGHT])


def test_feedback_moves_the_question_towards_the_segment_and_keeps_it_normalised():
    from helpdesk.search.fusion import with_feedback

    query, segment = np.array([1.0, 0.0], dtype=np.float32), np.array([0.0, 1.0], dtype=np.float32)
    moved = with_feedback(query, segment, 0.5)
    assert np.isclose(np.linalg.norm(moved), 1.0)
    assert 0 < moved @ segment < moved @ query  # nearer the segment than before, still nearer the question
    assert with_feedback(query, None) is query


def test_nearest_segment_is_the_passage_segment_closest_to_the_question():
    vectors = np.array([[1, 0], [0.6, 0.8], [0, 1]], dtype=np.float32)
    index = DenseIndex(vectors, np.array([0, 0, 1]), hnsw_threshold=1000)
    assert index.nearest_segment(0, np.array([0.0, 1.0], dtype=np.float32)).tolist() == pytest.approx([0.6, 0.8])
    assert index.nearest_segment(5, np.array([0.0, 1.0], dtype=np.float32)) is None


def test_an_english_question_reports_its_own_cosines_after_feedback(search_service):
    question = "Who decides whether our university may accept funding from a foreign company?"
    hits, vector = search_service.search_with_vector(question, k=5)
    assert vector is not None
    assert np.allclose(vector, search_service.embed_query(question))
    rows = [search_service._row_of[h.passage.id] for h in hits]
    # the ranking used the feedback vector; the hits still say how near each passage is to the question itself
    assert [h.dense_score for h in hits] == pytest.approx(search_service._dense.similarity(vector, rows).tolist())
