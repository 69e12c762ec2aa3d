"""Provisional English translations: complete, in step with the Japanese, and named by `corpus build` when not."""
from __future__ import annotations

import re
import shutil

import pytest
import yaml

from helpdesk import paths
from helpdesk.corpus import TRANSLATIONS_DIR, CorpusError, load_corpus, source_hash


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(paths.CORPUS_DIR)


@pytest.fixture
def corpus_dir(tmp_path):
    """A copy of the whole corpus folder (raw sources, build, curated files) to change."""
    root = tmp_path / "corpus"
    shutil.copytree(paths.CORPUS_DIR, root)
    return root


def test_every_passage_has_a_translation_with_a_matching_source_hash(corpus):
    untranslated = [p.id for p in corpus.passages if p.en is None]
    stale = [p.id for p in corpus.passages if p.en is not None and p.en.source_sha256 != source_hash(p.text)]
    assert not untranslated, f"{len(untranslated)} passages have no translation: {untranslated}"
    assert not stale, f"translations of a changed Japanese text: {stale}"


def test_translations_keep_the_line_structure_of_the_japanese(corpus):
    for p in corpus.passages:
        if p.en is None:
            continue
        assert p.en.text.count("\n") == p.text.count("\n"), p.id
        if p.type == "faq":
            assert p.en.text == f"Q: {p.en.question}\nA: {p.en.answer}", p.id
            assert p.en.heading == f"{p.number} {p.en.question}", p.id
        if p.type == "checklist":
            marked = [line[1:] for line in p.en.text.split("\n") if line.startswith("・")]
            assert list(p.en.items) == marked, p.id
            assert len(marked) == len(p.items), p.id


def test_english_text_is_english_but_for_the_documents_line_markers(corpus):
    japanese = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
    marker = re.compile(r"^\s*(・|注\d+: |図: )", re.M)  # list item, footnote, figure: kept as the Japanese has them
    for p in corpus.passages:
        if p.en is not None:
            assert not japanese.search(marker.sub("", "\n".join([p.en.heading, p.en.text, *p.en.items]))), p.id


def _rewrite(path, edit) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize(("edit", "message"), [
    (lambda d: d.update({"faq-aspire/Q99": d["faq-aspire/Q1.1"]}), "no passage 'faq-aspire/Q99'"),
    (lambda d: d["faq-aspire/Q1.1"].pop("answer"), "needs question and answer"),
    (lambda d: d["faq-aspire/Q1.1"].update(text=""), "needs non-empty source_sha256, heading and text"),
])
def test_a_bad_faq_translation_fails_naming_the_entry(corpus_dir, edit, message):
    _rewrite(corpus_dir / TRANSLATIONS_DIR / "faq-aspire.yaml", edit)
    with pytest.raises(CorpusError, match=re.escape(message)):
        load_corpus(corpus_dir)


def test_a_checklist_translation_needs_every_item(corpus_dir):
    _rewrite(corpus_dir / TRANSLATIONS_DIR / "checklists.yaml", lambda d: d["checklists/institution-pi"]["items"].pop())
    with pytest.raises(CorpusError, match=r"checklists/institution-pi: needs one translated item for each of the passage's 7"):
        load_corpus(corpus_dir)


def test_a_translation_of_an_older_text_loads_marked_stale(corpus_dir):
    _rewrite(corpus_dir / TRANSLATIONS_DIR / "faq-aspire.yaml",
             lambda d: d["faq-aspire/Q1.3"].update(source_sha256=source_hash("古い原文")))
    loaded = load_corpus(corpus_dir)
    assert loaded.get("faq-aspire/Q1.3").en.stale
    assert not loaded.get("faq-aspire/Q1.4").en.stale


def _review_lines(output: str) -> tuple[str, str]:
    stale = next((line for line in output.splitlines() if line.startswith("review the translations")), "")
    untranslated = next((line for line in output.splitlines() if line.startswith("passages with no English")), "")
    return stale, untranslated


def test_build_names_the_translations_whose_japanese_text_changed(app, corpus_dir, revise_faq_q11_answer):
    runner = app.test_cli_runner()
    unchanged = runner.invoke(args=["corpus", "build", "--dir", str(corpus_dir)])
    assert unchanged.exit_code == 0, unchanged.output
    assert not _review_lines(unchanged.output)[0]
    revise_faq_q11_answer(corpus_dir)

    result = runner.invoke(args=["corpus", "build", "--dir", str(corpus_dir)])
    assert result.exit_code == 0, result.output
    stale, _ = _review_lines(result.output)
    assert "translations/" in stale
    assert "faq-aspire/Q1.1" in stale
    assert "faq-aspire/Q1.2" not in stale
    assert load_corpus(corpus_dir).get("faq-aspire/Q1.1").en.stale
    # still named after the build that changed it, until the translation is reviewed
    again = runner.invoke(args=["corpus", "build", "--check", "--dir", str(corpus_dir)])
    assert again.exit_code == 0
    assert "faq-aspire/Q1.1" in _review_lines(again.output)[0]


def test_build_and_check_name_the_passages_with_no_translation(app, corpus_dir):
    _rewrite(corpus_dir / TRANSLATIONS_DIR / "checklists.yaml", lambda d: d.pop("checklists/fa-review"))
    runner = app.test_cli_runner()
    for args in (["corpus", "build", "--check"], ["corpus", "build"]):
        result = runner.invoke(args=[*args, "--dir", str(corpus_dir)])
        assert result.exit_code == 0, result.output
        stale, untranslated = _review_lines(result.output)
        assert "checklists/fa-review" in untranslated
        assert "checklists/fa-mitigation" not in untranslated
        assert not stale


def test_a_malformed_translation_file_is_a_warning_of_the_build_not_a_traceback(app, corpus_dir):
    (corpus_dir / TRANSLATIONS_DIR / "checklists.yaml").write_text("checklists/fa-review: [unclosed\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["corpus", "build", "--dir", str(corpus_dir)])
    assert result.exit_code == 0
    assert "warning:" in result.output
    assert "not valid YAML" in result.output
    assert "Traceback" not in result.output
