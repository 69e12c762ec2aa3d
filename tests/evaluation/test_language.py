"""`helpdesk eval --section language`: the Latin share of the answer to every English question of a file."""
import json
from pathlib import Path

DEV_EN = Path(__file__).parents[1] / "data" / "dev_questions_en.jsonl"


def test_language_section_scores_every_english_question_and_no_japanese_one(app, search_service, tmp_path):
    rows = [json.loads(line) for line in DEV_EN.read_text(encoding="utf-8").splitlines()[:2]]
    rows.append({"id": "ja1", "lang": "ja", "question": "ASPIREのアンケートは審査に影響しますか", "doc": "faq"})
    path = tmp_path / "q.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["eval", "--section", "language", "--json", str(path)])
    assert result.exit_code == 0, result.output
    (table,) = json.loads(result.output)["sections"]["language"]
    ((n, mean, lowest, lowest_id),) = table["rows"]
    assert n == 2
    assert lowest_id in {r["id"] for r in rows[:2]}
    assert 0.9 < lowest <= mean <= 1.0  # English answers, once the Japanese originals are left out

    japanese_only = tmp_path / "ja.jsonl"
    japanese_only.write_text(json.dumps(rows[-1], ensure_ascii=False) + "\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["eval", "--section", "language", "--json", str(japanese_only)])
    assert result.exit_code == 0
    assert json.loads(result.output)["sections"]["language"] == []
