"""Bilingual glossary: the committed file is valid against the real corpus, and English queries use it."""
import numpy as np
import pytest

from helpdesk.corpus import load_corpus
from helpdesk.search import GLOSSARY_FILE, Glossary, GlossaryError, settings
from helpdesk.search.fusion import LEXICAL_WEIGHT, lexical_weight
from helpdesk.search.passage_text import lexical_text


@pytest.fixture
def corpus_texts(app):
    return [lexical_text(p) for p in load_corpus(settings(app).corpus_dir).passages]


def test_committed_glossary_loads_and_every_japanese_term_is_in_the_corpus(app, corpus_texts):
    glossary = Glossary.load(settings(app).corpus_dir / GLOSSARY_FILE)
    assert len(glossary) >= 100
    glossary.check_against(corpus_texts)  # raises naming any term the sources do not use


def test_a_term_missing_from_the_corpus_fails_loudly(tmp_path, corpus_texts):
    path = tmp_path / "glossary.yaml"
    path.write_text("- en: [due diligence]\n  ja: [デュー・ディリジェンス]\n"
                    "- en: [teleportation]\n  ja: [瞬間移動装置]\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match="瞬間移動装置"):
        Glossary.load(path).check_against(corpus_texts)


@pytest.mark.parametrize(("text", "message"), [
    ("- en: due diligence\n  ja: [デュー・ディリジェンス]\n", "entry 1: `en`"),
    ("- en: [false]\n  ja: []\n", "entry 1: `en`"),  # YAML reads an unquoted false as a boolean
    ("- en: [\"x\"]\n  ja: []\n", "entry 1: `ja`"),
    ("en: [x]\n", "expected a list"),
    ("- en: [x\n", "not valid YAML"),
])
def test_malformed_glossary_is_rejected_with_the_entry_named(tmp_path, text, message):
    path = tmp_path / "glossary.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GlossaryError, match=message):
        Glossary.load(path)


def test_translate_matches_whole_words_longest_first_and_plurals():
    glossary = Glossary([(["risk"], ["リスク"]), (["risk assessment"], ["リスク評価"]),
                         (["funding agency"], ["資金配分機関"]), (["ai"], ["AI"])])
    translation = glossary.translate("Who does Risk Assessments — the funding agency?")
    assert translation.terms == ("リスク評価", "資金配分機関")
    assert translation.entries == 2
    assert glossary.translate("Is a chair available?").entries == 0  # `ai` inside a word does not match


def test_lexical_weight_follows_japanese_share_and_glossary_coverage():
    assert lexical_weight(1.0, 0) == pytest.approx(LEXICAL_WEIGHT)
    assert lexical_weight(0.0, 0) == 0.0
    assert 0.0 < lexical_weight(0.0, 1) < lexical_weight(0.0, 3) == pytest.approx(LEXICAL_WEIGHT) == lexical_weight(0.0, 7)
    assert lexical_weight(0.5, 1) < lexical_weight(0.5, 3) == pytest.approx(LEXICAL_WEIGHT)


def test_english_question_reaches_the_japanese_passage_through_the_glossary(search_service):
    question = "Does due diligence on foreign collaborators allow discrimination by nationality?"
    hits = search_service.search(question, k=5, mode="lexical")
    assert hits, "BM25 found nothing: the glossary terms were not added to the English query"
    assert any("国籍" in h.passage.text and "差別" in h.passage.text for h in hits)


def test_search_with_vector_returns_the_vector_it_used_and_accepts_it_back(search_service):
    question = "What must the funding agency check in the questionnaire?"
    hits, vector = search_service.search_with_vector(question, k=5)
    assert np.allclose(vector, search_service.embed_query(question))
    assert np.isclose(np.linalg.norm(vector), 1.0, atol=1e-3)
    again = search_service.search(question, k=5, query_vector=vector)
    assert [h.passage.id for h in again] == [h.passage.id for h in hits]
    assert search_service.search_with_vector(question, k=5, mode="lexical")[1] is None


def test_lexical_query_of_an_english_question_is_its_glossary_japanese_and_names(search_service):
    terms, reach = search_service.lexical_query("Must the JST funding agency check our due diligence results?")
    assert "jst" in terms
    assert "資金" in terms
    assert "must" not in terms
    assert "check" not in terms
    assert 0.0 < reach <= 1.0
    japanese_terms, japanese_reach = search_service.lexical_query("資金配分機関はデュー・ディリジェンスの結果を確認しますか")
    assert japanese_reach == 1.0
    assert "資金" in japanese_terms
    assert search_service.lexical_query("What is the weather like today?") == ([], 0.0)


def test_overlapping_glossary_terms_reach_bm25_once_each(search_service):
    # company → 民間事業者, 企業, 民間企業: 民間 and 企業 twice over, and BM25 would count each again.
    terms, _ = search_service.lexical_query("Does the procedure apply to companies?")
    assert "民間" in terms
    assert "企業" in terms
    assert len(terms) == len(set(terms))
