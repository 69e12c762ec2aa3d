"""`helpdesk eval`: metrics, question files, and the command on the real dev set and index."""
import json
from pathlib import Path

import pytest

from helpdesk.evaluation.metrics import first_hit, mrr_at, recall_at, squash
from helpdesk.evaluation.questions import QuestionFileError, load_questions

DEV = Path(__file__).parents[1] / "data" / "dev_questions.jsonl"


def test_gold_matching_ignores_width_and_whitespace():
    assert squash("ＡＢＣ　１ ２\n3") == "ABC123"
    texts = ["関係のない文章", "最終的な判断は\n研究機関が 実施する"]
    assert first_hit(texts, ("最終的な判断は研究機関が実施",)) == 2
    assert first_hit(texts, ("存在しない句",)) is None


def test_recall_and_mrr():
    ranks = [1, 3, None, 7]
    assert recall_at(ranks, 1) == 0.25
    assert recall_at(ranks, 5) == 0.5
    assert mrr_at(ranks, 10) == pytest.approx((1 + 1 / 3 + 1 / 7) / 4)
    assert mrr_at(ranks, 5) == pytest.approx((1 + 1 / 3) / 4)


def test_dev_file_loads_with_out_of_scope_questions_unanswerable():
    questions = load_questions(DEV)
    assert {q.lang for q in questions} == {"ja", "en"}
    assert all(q.answerable == bool(q.gold_any) for q in questions)
    assert any(not q.answerable for q in questions)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "no questions"),
        ("{not json\n", ":1:"),
        ('{"id": "a", "lang": "fr", "question": "q"}\n', "lang must be"),
        ('{"id": "a", "lang": "ja", "question": "q"}\n{"id": "a", "lang": "ja", "question": "r"}\n', "duplicate id"),
        ('{"lang": "ja", "question": "q"}\n', ":1:"),
    ],
)
def test_malformed_question_files_are_rejected_with_the_line(tmp_path, content, message):
    path = tmp_path / "q.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(QuestionFileError, match=message):
        load_questions(path)


def test_eval_command_reports_each_method_per_language_and_doc(app, search_service):
    result = app.test_cli_runner().invoke(args=["eval", "--section", "retrieval", "--json", str(DEV)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    desk, routed, misses = report["sections"]["retrieval"]
    assert desk["columns"] == ["subset", "n", "method", "R@1", "R@5", "MRR@10"]
    subsets = {row[0] for row in desk["rows"]}
    assert {"all", "lang=ja", "lang=en", "doc=guideline", "doc=faq"} <= subsets
    assert {row[2] for row in desk["rows"]} == {"BM25", "dense", "hybrid"}
    questions = load_questions(DEV)
    assert desk["rows"][0][1] == sum(q.desk and q.answerable for q in questions)
    assert routed["rows"][0][1] == sum(not q.desk and q.answerable for q in questions)
    hybrid = next(row for row in desk["rows"] if row[0] == "all" and row[2] == "hybrid")
    assert 0.5 < hybrid[4] <= 1.0  # the real index finds most desk questions' gold in the top 5


def test_eval_markdown_output_and_bad_file(app, search_service, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["eval", "--section", "retrieval", str(DEV)])
    assert result.exit_code == 0, result.output
    assert "| subset | n | method | R@1 | R@5 | MRR@10 |" in result.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    result = runner.invoke(args=["eval", str(bad)])
    assert result.exit_code == 1
    assert "bad.jsonl:1" in result.output
    assert "Traceback" not in result.output


def test_eval_on_an_unmigrated_database_names_the_fix_and_runs_the_other_sections(databases, search_service):
    from helpdesk import create_app

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": databases.new("empty")})
    result = app.test_cli_runner().invoke(
        args=["eval", "--section", "retrieval", "--section", "routing", str(DEV)])
    assert result.exit_code == 1
    assert "routing**: failed" in result.stderr
    assert "run `helpdesk init-db` first" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "| subset | n | method | R@1 | R@5 | MRR@10 |" in result.stdout  # retrieval still reported

    as_json = app.test_cli_runner().invoke(args=["eval", "--section", "routing", "--json", str(DEV)])
    assert as_json.exit_code == 1
    assert "helpdesk init-db" in json.loads(as_json.stdout)["sections"]["routing"]["error"]


def _key(must, must_en=()):
    from helpdesk.evaluation.questions import Question

    return Question(id="k", lang="ja", question="q", gold_any=(), doc="guideline", route="desk",
                    must=tuple(tuple(p) for p in must), must_en=tuple(tuple(p) for p in must_en))


def test_a_key_point_is_found_in_the_body_only_ignoring_width_space_and_case():
    from helpdesk.evaluation.answer_keys import body, points_present

    markdown = "研究体制を\n申告 （STRAC） [\\[1\\]](/docs/g#g/1)\n\nThe Japanese  Original\n\n---\n\n*その旨を文書で資金配分機関に提出*"
    key = _key([["研究体制を申告 (STRAC)"], ["その旨を文書で資金配分機関に提出"], ["存在しない"]],
               [["x"], ["y"], ["japanese original"]])
    assert body(markdown).endswith("Original\n")
    assert points_present(key, body(markdown)) == [True, False, True]  # the notice after the rule is not body
    assert points_present(key, body(markdown), declined=True) == [False, False, False]


def test_body_length_leaves_out_citation_links_and_whitespace():
    from helpdesk.evaluation.answer_keys import body_length

    assert body_length("あい う\n\n> えお [\\[12\\]](/docs/guideline?lang=en#guideline/I-2-6)") == 6


def test_answer_key_files_load_their_key_points_and_reject_mismatched_english(tmp_path):
    keys = load_questions(Path(__file__).parents[1] / "data" / "answer_keys_dev.jsonl")
    assert len(keys) >= 20
    assert all(k.must and len(k.must_en) == len(k.must) for k in keys)
    path = tmp_path / "k.jsonl"
    path.write_text('{"id": "a", "lang": "ja", "question": "q", "must": [["x"], ["y"]], "must_en": [["x"]]}\n',
                    encoding="utf-8")
    with pytest.raises(QuestionFileError, match="must_en"):
        load_questions(path)
    path.write_text('{"id": "a", "lang": "ja", "question": "q", "must": [[]]}\n', encoding="utf-8")
    with pytest.raises(QuestionFileError, match=":1:"):
        load_questions(path)


def test_eval_answers_section_reports_recall_per_language_and_lengths(app, search_service):
    keys = Path(__file__).parents[1] / "data" / "answer_keys_dev.jsonl"
    result = app.test_cli_runner().invoke(args=["eval", "--section", "answers", "--json", str(keys)])
    assert result.exit_code == 0, result.output
    summary, english, _ = json.loads(result.output)["sections"]["answers"]
    assert [row[0] for row in summary["rows"]] == ["all", "lang=ja", "lang=en"]
    assert all(0 <= row[2] <= 1 and 0 <= row[3] <= 1 and row[4] > 0 for row in summary["rows"])
    assert english["rows"][0][1] > 0.9  # English bodies are English once the originals are left out


def test_eval_measures_with_the_shipped_desk_faq_published(app, search_service):
    """An evaluation database without published desk FAQ entries gets the shipped seed, as `make serve`
    gives every served desk; a second run finds them and imports nothing."""
    from helpdesk.curation.search_sync import applied, published_entries

    first = app.test_cli_runner().invoke(args=["eval", "--section", "answering", "--json", str(DEV)])
    assert first.exit_code == 0, first.output
    seeded = json.loads(first.output)["seed_imported"]
    with app.app_context():
        assert seeded == len(published_entries()) >= 40
    assert len(applied(search_service)[1]) == seeded
    summary = json.loads(first.output)["sections"]["answering"][0]
    assert summary["rows"][0][summary["columns"].index("led by a desk FAQ entry")] > 0
    again = app.test_cli_runner().invoke(args=["eval", "--section", "routing", "--json", str(DEV)])
    assert json.loads(again.output)["seed_imported"] == 0
