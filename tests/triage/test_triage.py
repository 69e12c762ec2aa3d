"""Triage on the real routing data, real embeddings and a real migrated database.

The questions below are written for these tests: none is in routing/examples.yaml or the dev set.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from helpdesk.evaluation.questions import load_questions
from helpdesk.extensions import db
from helpdesk.triage import classify
from helpdesk.triage.embedding import current_embedder
from helpdesk.triage.evaluate import routing_report
from helpdesk.triage.learning import add_example

DEV_QUESTIONS = Path(__file__).parents[1] / "data" / "dev_questions.jsonl"

ROUTED = [
    ("手順書でいうリスクマネジメントのフォローアップって、具体的に何をすることですか？", "desk", "desk"),
    ("Does the guideline treat researchers with dual nationality any differently?", "desk", "desk"),
    ("ASPIREの研究提案に、海外の企業を協力機関として入れる場合の一般的な注意点は？", "desk", "desk"),
    ("ASPIREに出した私たちの提案のアンケートを差し替えたいので、JSTの担当者に連絡を取りたいです", "fa", "jst"),
    ("We need a few more days for the security questionnaire of our AMED application. Could the deadline be extended?", "fa", "amed"),
    ("学振の国際共同研究の事業に今度応募する予定ですが、その公募が指定対象かどうか担当部署に確認したい", "fa", "jsps"),
    # The English cues say what the Japanese ones say (applying soon, is it designated, the office in charge).
    ("We are applying to a NEDO program next month and want to check with the office in charge whether it is "
     "designated.", "fa", "nedo"),
    ("A co-investigator holds a visiting post at a foreign defence university. Please advise individually whether we "
     "can include him in our team.", "ministry", None),
    ("来年度招へいする予定の研究者に、海外の軍関係研究所での勤務歴がありました。この人を受け入れてよいか個別に相談したいです", "ministry", None),
    ("We plan to separate this visiting engineer's account from our project server. "
     "Could you assess whether that mitigation is sufficient in our case?", "ministry", None),
    ("共同研究先の海外企業が外国ユーザーリストに載っていました。この会社に当研究室の計測データを渡してよいか判断してほしい", "ministry", "meti"),
    ("Would explaining our laser design to a non-resident student be a deemed export? Please check this specific case.", "ministry", "meti"),
    ("今朝、研究室のサーバーから設計ファイルが外部に転送されていたことが発覚しました。今すぐ何をすべきですか", "emergency", "emergency"),
    ("研究室の打ち上げ、20人くらい入れる焼肉屋さんを教えて", "out_of_scope", "none"),
    ("Which train line goes from Shinjuku to the Hongo campus?", "out_of_scope", "none"),
]

EMERGENCIES = [
    "見学者が実験室の装置をスマホで撮っているのをさっき見つけました。どうすればいいですか",
    "退職予定の研究員が、試作品の設計データを私物のUSBメモリにコピーしていたことが今日わかりました",
    "共同研究先の社員が、持ち出し禁止の試料を無断で持ち帰っていたと連絡がありました。至急対応したい",
    "研究用サーバーに不正アクセスされた痕跡が見つかりました。未公開データが流出したかもしれません",
    "実験ノートと試作チップが保管庫から盗まれたようです。今どう動くべきですか",
    "A postdoc uploaded our confidential process data to a personal cloud account last night. We just found out.",
    "Someone broke into our lab this morning and the prototype boards are missing.",
    "We just caught a visitor photographing the wafer layouts in our cleanroom. What should we do right now?",
    "Unpublished results from our designated project leaked to a foreign company yesterday. Urgent help needed.",
    "ASPIREの研究で扱っている重要データが、帰国した留学生によって持ち出されていたことが発覚しました",
]


def test_routes_each_kind_and_queue(app):
    with app.app_context():
        for question, kind, queue in ROUTED:
            route = classify(question)
            assert route.kind == kind, (question, route.reason)
            if queue:
                assert route.queue == queue, (question, route.reason)
            else:
                assert route.queue in ("cao", "mext"), (question, route.reason)


def test_emergencies_are_never_sent_to_the_desk(app):
    with app.app_context():
        for question in EMERGENCIES:
            route = classify(question)
            assert route.kind == "emergency", (question, route.reason)
            assert route.queue == "emergency"
            assert "cao" in route.notify


def test_emergency_notifies_the_programs_agency(app):
    with app.app_context():
        aspire = classify(EMERGENCIES[-1])
        unknown = classify(EMERGENCIES[0])
    assert aspire.program == "aspire"
    assert aspire.notify == ["jst", "cao"]
    assert unknown.program is None
    assert unknown.notify == ["fa-triage", "cao"]


def test_a_general_question_about_emergencies_stays_with_the_desk(app):
    with app.app_context():
        route = classify("技術流出などの緊急事態に備えて、大学はどんな連絡体制を作っておくべきですか")
    assert route.kind == "desk", route.reason


@pytest.mark.parametrize("question", ["How should I store lab chemicals safely?", "Where should we keep lab notebooks?"])
def test_a_question_about_lab_routines_is_not_an_emergency(app, question):
    # In English these sit near the emergency examples; with no incident or urgency named they are no event.
    with app.app_context():
        route = classify(question)
    assert route.kind != "emergency", route.reason


@pytest.mark.parametrize(
    ("question", "program", "queue"),
    [
        ("ASPIREの自分の提案の締切を延ばしてもらえますか", "aspire", "jst"),
        ("ＡＳＰＩＲＥの私の申請書類の提出期限を延長したい", "aspire", "jst"),  # full-width letters
        ("学振の二国間交流事業で、私の応募の締切を延ばしてほしい", "jsps-bilateral", "jsps"),
        ("学振に出した自分の申請の締め切りを延長してもらえますか", "jsps", "jsps"),
        ("AMED-CRESTの私たちの課題の提出期限を延ばしたい", "amed-crest", "amed"),
        ("ひまわり財団の助成事業で、私の申請の締切を延ばしてもらえますか", None, "fa-triage"),
    ],
)
def test_program_detection_picks_the_agency(app, question, program, queue):
    with app.app_context():
        route = classify(question)
    assert (route.kind, route.program, route.queue) == ("fa", program, queue), route.reason


def test_latin_aliases_match_whole_words_only(app):
    with app.app_context():
        route = classify("How should we adjust our lab's visitor policy under the guideline?")
    assert route.program is None  # "adjust" contains "jst"


def test_reason_names_the_signals_in_the_questions_language(app):
    with app.app_context():
        ja = classify("ASPIREのうちの提案の締切を延ばしてもらえますか")
        en = classify("Can JST extend the deadline of our ASPIRE proposal?")
    assert "ASPIRE" in ja.reason
    assert "「うちの提案」" in ja.reason
    assert "類似例" in ja.reason
    assert ja.reason == ja.reason_ja
    assert "類似度" in ja.reason
    assert en.reason == en.reason_en
    assert "Program: ASPIRE" in en.reason
    assert "similarity" in en.reason
    assert set(ja.to_dict()) == {"kind", "queue", "reason", "cites", "notify", "program"}


def test_cites_name_the_guidelines_forwarding_rules(app):
    with app.app_context():
        fa = classify("ASPIREのうちの提案の締切を延ばしてもらえますか")
        emergency = classify(EMERGENCIES[0])
    assert "guideline/II-2-p2" in fa.cites
    assert emergency.cites
    assert all(cite.startswith("guideline/I-3-") for cite in emergency.cites)


def test_a_precomputed_query_vector_gives_the_same_route(app):
    question = ROUTED[3][0]
    with app.app_context():
        vector = current_embedder().embed_queries([question])[0]
        assert classify(question, query_vector=vector).to_dict() == classify(question).to_dict()
        with pytest.raises(ValueError, match="dimensions"):
            classify(question, query_vector=np.zeros(7))


def test_empty_question_is_refused(app):
    with app.app_context(), pytest.raises(ValueError, match="empty"):
        classify("   ")


def test_a_staff_reroute_changes_the_next_classification(app):
    question = "研究室の入退室記録は、どのくらいの期間保管しておけばよいでしょうか"
    with app.app_context():
        before = classify(question)
        assert before.kind == "desk", before.reason
        add_example(question, "ministry", "mext", user=None)
        db.session.commit()
        after = classify(question)
    assert (after.kind, after.queue) == ("ministry", "mext"), after.reason
    assert "類似例の振り分け: 関係省庁" in after.reason
    assert "入退室記録" not in after.reason


def test_add_example_rejects_a_queue_of_another_kind(app):
    with app.app_context():
        with pytest.raises(ValueError, match="does not serve"):
            add_example("質問", "fa", "meti", user=None)
        with pytest.raises(ValueError, match="unknown route kind"):
            add_example("質問", "urgent", "emergency", user=None)


def test_dev_set_meets_the_routing_targets(app):
    with app.app_context():
        report = routing_report(load_questions(DEV_QUESTIONS))
    assert report["kind_accuracy"] >= 0.90, report["misses"]
    assert report["queue_accuracy"] >= 0.85, report["misses"]
    assert report["emergency_to_desk"] == 0


def test_triage_warm_embeds_ahead_and_names_a_missing_database(app, databases, search_service):
    from helpdesk import create_app

    result = app.test_cli_runner().invoke(args=["triage", "warm"])
    assert result.exit_code == 0
    assert "routing examples embedded" in result.output
    bare = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": databases.new("empty")})
    result = bare.test_cli_runner().invoke(args=["triage", "warm"])
    assert result.exit_code == 1
    assert "run `helpdesk init-db` first" in result.output
    assert "Traceback" not in result.output
