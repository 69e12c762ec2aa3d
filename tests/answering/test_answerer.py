"""Answer composition on the real corpus and index: units, citations, declining, routing, languages."""
from __future__ import annotations

from pathlib import Path

import pytest

from helpdesk.answering import markup
from helpdesk.answering.compose import without_originals
from helpdesk.answering.language import detect_lang, latin_share
from helpdesk.answering.sentences import blocks_of, split_sentences
from helpdesk.answering.wording import NOTICE
from helpdesk.evaluation.metrics import first_hit


def test_sentences_split_on_japanese_stops_but_not_inside_quotes():
    assert split_sentences("本手順書は指針である。「例。」と述べた！次へ") == ["本手順書は指針である。", "「例。」と述べた！", "次へ"]


class _P:  # the fields of a Passage that blocks read
    def __init__(self, text, heading="h"):
        self.text, self.heading = text, heading


def test_blocks_keep_a_list_with_the_sentence_introducing_it_and_never_quote_captions_or_headings():
    text = ("図: リスクマネジメントのプロセス\n(1) ガイドラインとしての位置づけ\n本手順書は指針である。\n"
            "・一般論としては以下のような措置が考えられる\n  ✓ 研修受講\n  ✓ サイバー攻撃への対策の強化\n"
            "（第3回有識者会議資料 P.14）\nはい。")
    blocks = blocks_of(_P(text))
    assert [b.text for b in blocks] == ["本手順書は指針である。",
                                       "一般論としては以下のような措置が考えられる\n研修受講\nサイバー攻撃への対策の強化"]
    assert blocks[0].label == "(1) ガイドラインとしての位置づけ"  # a label, not a statement
    assert blocks_of(_P("構成員\n天谷 雅行 教授", heading="(3) ご協力頂いた有識者")) == ()  # acknowledgements


@pytest.mark.parametrize(
    ("question", "lang"),
    [("ASPIREって何？", "ja"), ("研究セキュリティ 手順書", "ja"), ("What does 研究セキュリティ mean?", "en"),
     ("Can we exclude a candidate because of nationality?", "en")],
)
def test_language_of_the_question(question, lang):
    assert detect_lang(question) == lang


def test_quoted_source_text_stays_literal_and_rendering_is_sanitised():
    md = markup.escape("*強調* <script>alert(1)</script> [x](javascript:alert(1))") + " " + markup.citation(1, "/docs/g#g/1")
    html = markup.to_html(md)
    assert "<script" not in html
    assert "javascript:" not in html.replace("[x](javascript:alert(1))", "")
    assert "&lt;script&gt;" in html
    assert "*強調*" in html
    assert '<a href="/docs/g#g/1"' in html


@pytest.fixture
def answerer(app, search_service):
    from helpdesk.answering.answerer import get_answerer

    with app.app_context():
        yield get_answerer()


def _corpus(answerer):
    return answerer.corpus


def test_in_scope_japanese_answer_cites_the_rule_and_ends_with_the_notice(answerer):
    answer = answerer.respond("相談窓口は研究機関に代わって最終的な判断をしてくれますか？", "ja")
    assert answer.answerable
    assert answer.route["kind"] == "desk"
    assert answer.markdown.rstrip().endswith(f"*{markup.escape(NOTICE['ja'])}*")
    cited = [_corpus(answerer).get(s["id"]) for s in answer.sources]
    assert all(cited), "every citation is a real passage"
    assert any(first_hit([p.text], ("相談機関に代わって判断するものではない",)) for p in cited)
    for number, source in enumerate(answer.sources, start=1):
        assert f"[\\[{number}\\]]({source['url']})" in answer.markdown
        assert source["url"] == f"/docs/{source['doc']}#{source['id']}"
    assert len(markup.to_text(answer.markdown)) < 900  # short: a lead and a few blocks


@pytest.mark.parametrize("question", [
    "研究者はどんな情報を申告する必要がありますか",
    "デューデリで外部の調査会社を使ってもいいですか",
    "How should a university follow up after the project has started?",
    # The top passage is FAQ Q3.10, whose answer shares no word with this question: its sentences
    # match through the question they answer.
    "「適切なリスク軽減策」とは具体的に何を指しますか",
])
def test_a_composed_answer_opens_with_the_passage_retrieval_ranks_first(answerer, question):
    top = answerer.service.search(question, k=1)[0].passage.id
    answer = answerer.respond(question, "en" if question.isascii() else "ja")
    assert answer.route["kind"] == "desk"
    assert answer.answerable
    assert answer.sources[0]["id"] == top
    # The passages follow in retrieval order.
    order = [h.passage.id for h in answerer.service.search(question, k=8)]
    cited = [s["id"] for s in answer.sources]
    assert cited == sorted(cited, key=order.index)


def test_quotes_do_not_repeat(answerer):
    answer = answerer.respond("研究者はどんな情報を申告する必要がありますか", "ja")
    bullets = [line for line in answer.markdown.splitlines() if line.lstrip("> ").startswith("- ")]
    assert len(bullets) == len(set(bullets))


def test_a_list_question_shows_every_item_of_its_list(answerer):
    answer = answerer.respond("リスク軽減措置にはどんな例がありますか", "ja")
    measures = ["研修受講", "データ等の情報へのアクセス権限のレベル分け", "建屋・設備へのアクセス権限のレベル分け",
                "取り扱う機微情報のレベルに応じたミーティング等への参加者の考慮", "オフキャンパス等の研究場所の変更",
                "サイバー攻撃への対策の強化", "雇用関係を持つことによるガバナンスの強化"]
    body = answer.markdown.split("\n---\n")[0]
    assert all(f"- {m}" in body for m in measures), body


@pytest.mark.parametrize(("question", "word"), [
    ("相談窓口は研究機関に代わって最終的な判断をしてくれますか？", "いいえ。"),
    ("ASPIREでは全ての研究提案が研究セキュリティ・アンケートの対象ですか？", "はい。"),
    ("Does the ASPIRE call ask every proposal for the research security questionnaire?", "Yes."),
])
def test_a_yes_no_question_is_answered_yes_or_no_first(answerer, question, word):
    answer = answerer.respond(question, detect_lang(question))
    assert answer.answerable
    assert markup.to_text(answer.markdown).startswith(word), answer.markdown


def test_answers_quote_no_captions_placeholders_or_stray_yes(answerer):
    for question in ("研究機関が行うリスクマネジメントの手順は？", "ASPIREの研究体制を変更したらアンケートを出し直すの？",
                     "重要技術領域にはどんな分野がありますか"):
        body = answerer.respond(question, "ja").markdown.split("\n---\n")[0]
        for line in body.splitlines():
            text = line.lstrip("> -*")
            assert not text.startswith(("図:", "表:", "図●", "（第")), line
            assert text.strip() not in ("はい。", "いいえ。"), line


@pytest.mark.parametrize(("question", "pointer"), [
    ("e-Radのログインパスワードを再発行したいのですが", "e-Rad のヘルプデスク"),
    ("オランダの共同研究先に半年滞在するのですが、ビザの申請はどうすればいいですか", "出入国在留管理庁"),
    ("Could you check the English grammar of my research proposal?", "proofreading"),
])
def test_a_near_domain_question_is_declined_with_a_pointer(answerer, question, pointer):
    answer = answerer.respond(question, detect_lang(question))
    assert not answer.answerable
    assert answer.sources == []
    assert pointer in answer.markdown
    assert answer.handoff["offered"]
    assert answer.handoff["reason"] == "out_of_scope"


def test_near_domain_file_has_both_languages_and_a_pointer_per_group(app):
    from helpdesk.answering.near_domain import NEAR_DOMAIN_FILE, read_groups

    groups = read_groups(Path(app.config["HELPDESK_CORPUS_DIR"]) / NEAR_DOMAIN_FILE)
    questions = [q for _, qs in groups for q in qs]
    assert len(questions) >= 40
    assert {detect_lang(q) for q in questions} == {"ja", "en"}
    assert all(g.pointer_ja and g.pointer_en for g, _ in groups)


def test_an_english_question_quotes_english_each_followed_by_its_japanese_original(answerer):
    answer = answerer.respond("What risk mitigation measures does the guideline give as examples?", "en")
    assert answer.answerable
    body = answer.markdown.split("\n---\n")[0]
    blocks = body.split("\n\n")
    originals = [i for i, b in enumerate(blocks) if b.startswith('<details class="original">')]
    assert originals, body
    for i in originals:
        quote = blocks[i - 1]
        assert latin_share(quote) > 0.8, quote  # the English quote …
        assert latin_share(blocks[i].split("</summary>")[1]) < 0.2  # … then its Japanese original
    assert "provisional" in body
    assert "?lang=en#" in answer.markdown
    assert latin_share(without_originals(body)) > 0.9


@pytest.mark.parametrize("question", ["研究室の忘年会におすすめの居酒屋を教えて", "What's the best pizza place in Osaka?"])
def test_out_of_scope_is_declined_without_citations_and_offers_a_person(answerer, question):
    answer = answerer.respond(question, detect_lang(question))
    assert not answer.answerable
    assert answer.sources == []
    assert "](" not in answer.markdown  # cites nothing
    assert answer.handoff["offered"] is True


def test_emergency_is_routed_with_the_guideline_rule_and_a_handoff(answerer):
    answer = answerer.respond("共同研究者が試作品の設計データを無断で国外に持ち出したのを今朝見つけました。どうすればいいですか", "ja")
    assert answer.route["kind"] == "emergency"
    assert answer.answerable
    assert answer.handoff == {**answer.handoff, "offered": True, "reason": "emergency"}
    assert answer.markdown.startswith("**")  # the forwarding notice comes first
    assert answer.sources
    assert all(_corpus(answerer).get(s["id"]) for s in answer.sources)


def test_a_signal_that_cannot_tell_covered_from_off_topic_vouches_for_nothing():
    from helpdesk.answering.calibration import Range

    assert Range(0.5, 0.9).scale(0.7) == pytest.approx(0.5)
    assert Range(0.5, 0.9).scale(0.95) == 1.0
    assert Range(0.5, 0.9).scale(0.4) == 0.0
    # In-domain median below the off-topic ceiling (e5's English-to-Japanese passage cosines once).
    assert Range(0.84, 0.83).scale(0.99) == 0.0


def test_confidence_scales_separate_covered_from_off_topic_questions(answerer):
    calibration = answerer.calibration
    for scale in (calibration.asked_ja, calibration.asked_en, calibration.dense_ja, calibration.lexical):
        assert scale.high > scale.low


@pytest.mark.parametrize("question", [
    "What must researchers disclose about foreign appointments?",
    "Who checks the partner institution before a joint project starts?",
    "Is there a list of technologies that need extra care?",
])
def test_english_questions_the_documents_cover_are_answered(answerer, question):
    # An English question's cosine with the Japanese passages hardly tells covered from off-topic;
    # its cosine with the questions the passages are known to answer does.
    answer = answerer.respond(question, "en")
    assert answer.answerable, answer.confidence
    assert answer.sources, answer.confidence


def test_known_questions_are_embedded_once_and_cached(app, answerer):
    from helpdesk.search import settings
    from helpdesk.search.embed_cache import EmbeddingCache

    questions = [q for p in answerer.corpus.passages for q in p.known_questions]
    assert len(questions) >= 450
    assert len(answerer.live().known) >= len(questions)
    cache = EmbeddingCache(settings(app).embed_cache)
    assert cache.count_missing(f"{answerer.service.embedder.model_id}/query", questions) == 0


def test_faq_entry_leads_when_it_asks_the_same_question(answerer):
    faq = next(p for p in answerer.corpus.passages if p.type == "faq" and p.question)
    answer = answerer.respond(faq.question, "ja")
    assert answer.sources[0]["id"] == faq.id
    assert answer.markdown.startswith(markup.escape(faq.answer)[:20])  # its answer is the lead


@pytest.mark.parametrize(("question", "previous", "expected"), [
    ("それはいつやるの？", "デュー・ディリジェンスでは何を確認しますか", True),
    ("What about the funding agency?", "What must researchers disclose?", True),
    ("その場合、研究機関は何をしますか", "リスクが見つかったら？", True),
    ("研究インテグリティの研修教材は誰が作りますか", "デュー・ディリジェンスでは何を確認しますか", False),
    ("それはいつやるの？", None, False),
])
def test_follow_up_questions_borrow_the_previous_topic_only_when_they_lack_their_own(answerer, question, previous,
                                                                                   expected):
    from helpdesk.answering import followup
    from helpdesk.answering.terms import topic_terms

    count = len(topic_terms(answerer.service.lexical_query(question)[0]))
    searched = followup.search_text(question, previous, count)
    assert (searched == f"{previous}\n{question}") is expected
    assert searched.endswith(question)


# A routed answer quotes the guideline's forwarding rule first, unless a FAQ item asks the very question:
# then that item's answer is what the asker needs first, and the rule follows it.
ROUTED_AS_A_FAQ_ITEM = ("日本側研究体制の一部に「非居住者」にあたる研究者がいますが、リスク軽減が必要な対象になるのでしょうか？"
                        "当方の個別の案件として、経済産業省に輸出管理上の判断をしていただきたいです。")
ROUTED_WITHOUT_A_FAQ_ITEM = "AMEDの公募事業の応募書類の様式について、AMEDの担当部署に問い合わせたいです。"


def test_a_routed_question_a_faq_item_asks_opens_with_that_items_answer(answerer):
    answer = answerer.respond(ROUTED_AS_A_FAQ_ITEM, "ja")
    assert answer.route["kind"] == "ministry"
    ids = [s["id"] for s in answer.sources]
    assert ids[0] == "faq-aspire/Q3.12"
    assert set(answer.route["cites"]) & set(ids[1:])  # the forwarding rule still cited, after it


def test_a_routed_question_no_faq_item_asks_opens_with_the_forwarding_rule(answerer):
    answer = answerer.respond(ROUTED_WITHOUT_A_FAQ_ITEM, "ja")
    assert answer.route["kind"] == "fa"
    assert answer.sources[0]["id"] in answer.route["cites"]
