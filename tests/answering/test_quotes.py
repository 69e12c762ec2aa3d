"""Which blocks an answer quotes after its lead: each ask its own block within the one budget, a section
quoted whole where the chunker cut it in two, figure pointers apart from the statements that mention a figure."""
from __future__ import annotations

import pytest

from helpdesk.answering import extract, markup
from helpdesk.answering.sentences import blocks_of
from helpdesk.answering.terms import terms_of
from helpdesk.corpus import load_corpus
from helpdesk.paths import ROOT


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(ROOT / "corpus")


@pytest.fixture
def answerer(app, search_service):
    from helpdesk.answering.answerer import get_answerer

    with app.app_context():
        yield get_answerer()


def _pool(corpus, ids: list[str], words: str) -> tuple[list[extract.Pick], dict[str, float]]:
    weights = dict.fromkeys(terms_of(words), 1.0)
    return extract.picks([corpus.get(pid) for pid in ids], weights), weights


def _size(picks) -> int:
    return sum(len(p.block.text) for p in picks)


def test_the_asks_quotes_count_in_the_budget(corpus):
    pool, weights = _pool(corpus, ["guideline/II-1-1-p3", "guideline/II-2-p2"], "民間企業 調査委託 インターネット 情報 信頼性")
    first = extract.lead(pool, weights)
    asked = tuple(p for p in pool if p.passage.id == "guideline/II-2-p2")[:2]
    budget = len(asked[0].block.text)  # room for the first ask's block only
    chosen = extract.support(pool, first, weights, budget=budget, asked=asked)
    assert extract.quoted(asked[0], chosen)
    assert not extract.quoted(asked[1], chosen)  # beyond the budget: not quoted on top of it
    assert _size(chosen) <= budget
    roomy = extract.support(pool, first, weights, budget=_size(asked), asked=asked)
    assert all(extract.quoted(p, roomy) for p in asked)


def test_two_own_blocks_leave_room_for_another_passage(corpus):
    pool, weights = _pool(corpus, ["guideline/I-2-5-p3", "guideline/I-2-1"],
                          "研究インテグリティ 研究セキュリティ チェックリスト 信頼できる相手方 資金配分機関 仕組み")
    first = extract.lead(pool, weights)
    chosen = extract.support(pool, first, weights)
    assert first.passage.id == "guideline/I-2-5-p3"
    assert len([p for p in chosen if p.passage is first.passage]) >= 2
    assert any(p.passage.id == "guideline/I-2-1" for p in chosen)


def test_each_ask_is_answered_by_a_block_of_its_own(answerer):
    answer = answerer.respond("同意書ではどんなことに同意するの？申告していない情報を後で求められたらどうなる？", "ja")
    body = answer.markdown.split("\n---\n")[0]
    consent = answerer.corpus.get("guideline/II-1-1-step1-p2").text.splitlines()
    assert consent[2].strip().lstrip("✓ ") in body  # what is consented to (the first ask)
    assert consent[6].strip().lstrip("・") in body  # separate consent for what was not declared (the second)


def test_a_section_cut_by_the_chunker_is_quoted_whole(corpus, answerer):
    head, rest = corpus.get("guideline/ref-2-p2"), corpus.get("guideline/ref-2-p3")
    pool, weights = _pool(corpus, [head.id], "欧米主要国 共通認識 研究セキュリティ")
    first = extract.lead(pool, weights)
    assert first.block.label is not None
    assert first.block.label.startswith("研究セキュリティへの欧米主要国")
    section = extract.section_of(first, pool, rest)
    assert [p.passage.id for p in section][-1] == rest.id
    assert section[-1].block == blocks_of(rest)[0]  # its last paragraph opens the next passage
    assert extract.section_of(first, pool, None) == section[:-1]
    answer = answerer.respond("G7の欧米主要国に共通する研究セキュリティの認識を教えてください", "ja")
    assert [s["id"] for s in answer.sources][:2] == [head.id, rest.id]
    assert markup.escape(blocks_of(rest)[0].text) in answer.markdown


def test_a_statement_pointing_at_a_figure_is_quotable_a_figure_text_is_not(corpus):
    framework = " ".join(b.text for b in blocks_of(corpus.get("guideline/I-2-1")))
    assert "資金配分機関が関与する仕組みを設けることとする" in framework  # «…下図●の通り、…» is a statement
    assert not any("図●" in b.text for b in blocks_of(corpus.get("guideline/I-2-4")))  # «図●では…» is the figure's
    assert not any("図●に示すとおり" in b.text for b in blocks_of(corpus.get("guideline/I-2-2")))  # a bare pointer
