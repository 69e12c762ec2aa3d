"""Index lifecycle on the real corpus: persistence by fingerprint, embedding cache, live updates."""
import uuid
from dataclasses import replace
from pathlib import Path

import pytest

from helpdesk.corpus import load_corpus
from helpdesk.evaluation.metrics import squash
from helpdesk.search import get_embedder, get_search, settings
from helpdesk.search.embed_cache import EmbeddingCache
from helpdesk.search.service import SearchService


class CountingEmbedder:
    """The real embedder, counting the passage texts it is asked to embed."""

    def __init__(self, inner):
        self._inner, self.model_id, self.dim, self.embedded = inner, inner.model_id, inner.dim, 0

    def embed_queries(self, texts):
        return self._inner.embed_queries(texts)

    def embed_passages(self, texts):
        self.embedded += len(texts)
        return self._inner.embed_passages(texts)


@pytest.fixture
def env(app, search_service):
    """A private service over the real corpus (so updates don't leak into other tests), same cache."""
    config = settings(app)
    return config, load_corpus(config.corpus_dir).passages, EmbeddingCache(config.embed_cache)


def open_service(passages, index_dir, cache, embedder=None):
    return SearchService.open(passages, index_dir, embedder or get_embedder("e5"), cache, 20_000)


def test_every_passage_type_is_indexed(search_service, app):
    passages = load_corpus(settings(app).corpus_dir).passages
    assert len(search_service) == len(passages)
    assert {p.type for p in passages} >= {"guideline", "faq", "checklist"}


def test_service_is_shared_by_every_app_in_the_process(search_service, app):
    with app.app_context():
        assert get_search() is search_service


def index_key(index_dir: Path) -> str:
    """The fingerprint directory of the one index persisted in `index_dir`."""
    (key,) = [d.name for d in index_dir.iterdir() if d.is_dir()]
    return key


def test_unchanged_corpus_loads_from_disk_without_embedding(env, tmp_path):
    config, passages, cache = env
    built = open_service(passages, tmp_path, cache)
    counting = CountingEmbedder(get_embedder("e5"))
    reopened = open_service(passages, tmp_path, cache, counting)
    assert not built.report.loaded
    assert reopened.report.loaded
    assert counting.embedded == 0
    assert index_key(tmp_path)
    query = "研究インテグリティとは"
    assert [h.passage.id for h in reopened.search(query)] == [h.passage.id for h in built.search(query)]


def test_an_edit_re_embeds_only_the_changed_passage_and_replaces_the_old_index(env, tmp_path):
    config, passages, cache = env
    open_service(passages, tmp_path, cache)
    before = index_key(tmp_path)
    edited = list(passages)
    # A fresh sentence each run, so that the persistent embedding cache cannot already hold it.
    edited[0] = replace(edited[0], text=edited[0].text + f"\n追記：共有窓口{uuid.uuid4().hex}を新設した。")
    counting = CountingEmbedder(get_embedder("e5"))
    service = open_service(edited, tmp_path, cache, counting)
    assert not service.report.loaded
    assert 1 <= counting.embedded <= 2  # only the edited passage's last segment(s)
    assert index_key(tmp_path) != before


def test_upsert_and_remove_update_the_live_index(env, tmp_path):
    config, passages, cache = env
    service = open_service(passages, tmp_path, cache)
    curated = replace(passages[0], id="curated/1", doc="curated", type="faq", title="よくある質問 > 学会発表",
                      heading="学会発表", text="Q: 未発表データを学会で発表してよいか\nA: 量子コンピュータ用の冷凍機の設計図は共有前に相談窓口へ。",
                      question="未発表データを学会で発表してよいか", answer="量子コンピュータ用の冷凍機の設計図は共有前に相談窓口へ。")
    assert service.upsert([curated]) == 1
    assert service.search("冷凍機の設計図を共有してよいか", k=1)[0].passage.id == "curated/1"
    changed = replace(curated, text="Q: 学会発表\nA: 超伝導マグネットの試験データは事前に届け出る。",
                      question="学会発表", answer="超伝導マグネットの試験データは事前に届け出る。")
    service.upsert([changed])
    assert len(service) == len(passages) + 1
    hit = service.search("超伝導マグネットの試験データ", k=1)[0]
    assert hit.passage.id == "curated/1"
    assert "超伝導" in hit.passage.text
    assert service.remove(["curated/1", "no/such-id"]) == 1
    assert all(h.passage.id != "curated/1" for h in service.search("超伝導マグネットの試験データ", k=50))
    assert len(service) == len(passages)


def test_removing_most_passages_compacts_and_keeps_answers_right(env, tmp_path):
    config, passages, cache = env
    service = open_service(passages, tmp_path, cache)
    faq = [p for p in passages if p.doc == "faq-aspire"]
    service.remove([p.id for p in passages if p.doc != "faq-aspire"])
    assert len(service) == len(faq)
    hits = service.search("オランダ側のNWOにも体制変更の届出が必要ですか", k=len(faq))
    assert {h.passage.id for h in hits} == {p.id for p in faq}
    assert all(h.dense_score is not None for h in hits)


@pytest.mark.parametrize("mode", ["lexical", "dense", "hybrid"])
def test_each_mode_ranks_best_first(search_service, mode):
    hits = search_service.search("ドイツのファンディング機関は申請者に何を提出させていますか", k=5, mode=mode)
    assert len(hits) == 5
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert any("自己評価" in squash(h.passage.text) for h in hits)
    assert (hits[0].dense_score is None) == (mode == "lexical")


def test_a_passage_is_found_by_the_questions_it_is_known_to_answer(search_service):
    # They are segments of their passage (dense) and part of its BM25 text.
    asked = [p for p in search_service._passages if p is not None and p.anticipated_questions]
    assert len(asked) >= 60
    for mode, depth in (("dense", 1), ("hybrid", 3)):  # hybrid: sibling passages may share a question's words
        found = [p.id in {h.passage.id for h in search_service.search(p.anticipated_questions[0], depth, mode)}
                 for p in asked]
        assert sum(found) >= 0.95 * len(asked), mode


def test_bm25_matches_a_question_written_in_everyday_spelling(search_service):
    # FAQ Q1.1 asks 「研究セキュリティの確保に取組むねらいは何でしょうか？」.
    hits = search_service.search("研究セキュリティに取り組む狙いを教えて", k=1, mode="lexical")
    assert hits[0].passage.id == "faq-aspire/Q1.1"
