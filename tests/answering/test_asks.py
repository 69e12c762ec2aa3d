"""Questions that ask several things: each ask found, each ask answered by a quote of its own."""
from __future__ import annotations

import pytest

from helpdesk.answering.asking import asks_of


@pytest.mark.parametrize(("question", "asks"), [
    ("研究者から同意書をもらう必要がありますか。また、宣誓書には何を書きますか？",
     ["研究者から同意書をもらう必要がありますか。", "また、宣誓書には何を書きますか？"]),
    ("アンケートは全員分必要？軽減策にはどんな例がある？", ["アンケートは全員分必要？", "軽減策にはどんな例がある？"]),
    # 「…のか、…のか」: two embedded questions; a single 「…のか、教えて」 is one.
    ("外部に委託していいのか、費用は誰が負担するのか教えてください。",
     ["外部に委託していいのか", "費用は誰が負担するのか教えてください。"]),
    ("なぜ研究セキュリティが必要なのか、背景を教えてください", ["なぜ研究セキュリティが必要なのか、背景を教えてください"]),
    ("Who designates the programs, and what must the institution check?",
     ["Who designates the programs", "and what must the institution check?"]),
])
def test_a_question_is_split_into_its_asks(question, asks):
    assert asks_of(question) == asks


@pytest.mark.parametrize(("question", "asks"), [
    # An alternative, or a bare option, belongs to the ask before it.
    ("窓口は内閣府が運営するの？それとも委託？", ["窓口は内閣府が運営するの？ それとも委託？"]),
    ("リスクマネジメントはいつやるの？申請前？採択後？", ["リスクマネジメントはいつやるの？ 申請前？ 採択後？"]),
    # A statement gives the context of the ask after it.
    ("うちは小さな大学です。外部の調査会社を使ってもいいですか",
     ["うちは小さな大学です。 外部の調査会社を使ってもいいですか"]),
    ("What is a specified R&D program?", ["What is a specified R&D program?"]),
])
def test_alternatives_options_and_context_stay_with_their_ask(question, asks):
    assert asks_of(question) == asks


@pytest.fixture
def answerer(app, search_service):
    from helpdesk.answering.answerer import get_answerer

    with app.app_context():
        yield get_answerer()


def test_a_two_part_question_quotes_the_passage_of_each_part(answerer):
    first = "特定研究開発プログラムは誰が指定するのですか？"
    second = "研究者が提出する宣誓書では何を誓うのですか？"
    pledge, designation = "guideline/II-1-1-step1-p2", "guideline/I-3-2"  # consent and pledge; who designates
    alone = [s["id"] for s in answerer.respond(first, "ja").sources]
    both = [s["id"] for s in answerer.respond(f"{first}また、{second}", "ja").sources]
    assert designation in alone
    assert pledge not in alone
    assert designation in both
    assert pledge in both  # each ask answered by its own passage
