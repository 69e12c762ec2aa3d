"""The document viewer and the corpus commands, through the real app and CLI."""
from __future__ import annotations

import re
import shutil
from html import unescape

import pytest

from helpdesk import paths
from helpdesk.corpus import load_corpus


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(paths.CORPUS_DIR)


def _anchor_ids(html: str) -> list[str]:
    return [unescape(m) for m in re.findall(r'<article class="passage" id="([^"]+)"', html)]


def test_index_lists_every_document_with_its_passage_count(client, corpus):
    html = client.get("/docs/").get_data(as_text=True)
    for doc in corpus.documents:
        row = re.search(rf'href="/docs/{doc["id"]}"[^<]*>{re.escape(doc["title"])}</a>.*?</tr>', html, re.S)
        assert row, doc["id"]
        assert doc["publisher"] in row.group()
        assert doc["date"] in row.group()
        assert f"<td>{len(corpus.by_doc(doc['id']))}</td>" in row.group()


@pytest.mark.parametrize("doc", ["guideline", "faq-aspire", "checklists"])
def test_every_passage_renders_in_order_under_its_own_anchor(client, corpus, doc):
    response = client.get(f"/docs/{doc}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert _anchor_ids(html) == [p.id for p in corpus.by_doc(doc)]
    for p in corpus.by_doc(doc):
        shown = p.answer if p.type == "faq" else p.items[0]["text"] if p.type == "checklist" else p.text.split("\n")[-1]
        assert shown in unescape(html), p.id


def test_breadcrumb_headings_are_shown_once_per_section(client):
    html = unescape(client.get("/docs/guideline").get_data(as_text=True))
    assert html.count(">2-4. リスクマネジメントの範囲<") == 1
    assert html.count('class="doc-heading">Ⅰ 研究セキュリティの確保に係る取組の基本的な枠組み<') == 1


def test_checklist_citations_link_to_existing_anchors(client, corpus):
    checklists = unescape(client.get("/docs/checklists").get_data(as_text=True))
    guideline_anchors = set(_anchor_ids(client.get("/docs/guideline").get_data(as_text=True)))
    links = re.findall(r'class="cites" href="/docs/guideline#([^"]+)"', checklists)
    assert len(links) == sum(len(p.items) for p in corpus.by_doc("checklists"))
    assert set(links) <= guideline_anchors


def test_unknown_document_is_404(client):
    assert client.get("/docs/nope").status_code == 404
    assert client.get("/docs/..%2Fcorpus").status_code == 404


def test_viewer_escapes_text(client, corpus):
    html = client.get("/docs/guideline").get_data(as_text=True)
    assert "&lt;特定研究開発プログラムの公募要領に必ず記載すべき事項&gt;" in html


def test_english_interface(client):
    html = client.get("/docs/?lang=en").get_data(as_text=True)
    assert "Documents" in html
    assert "ASPIRE Japan–Netherlands joint call" in html


# ---------------------------------------------------------------- CLI


def test_build_check_passes_on_the_committed_corpus(app):
    result = app.test_cli_runner().invoke(args=["corpus", "build", "--check"])
    assert result.exit_code == 0, result.output
    assert "up to date" in result.output


def test_build_check_fails_on_a_stale_corpus_and_build_repairs_it(app, tmp_path):
    root = tmp_path / "corpus"
    shutil.copytree(paths.CORPUS_DIR, root)
    stale = root / "passages" / "faq-aspire.jsonl"
    stale.write_text(stale.read_text(encoding="utf-8").replace("Q1.1", "Q1.01"), encoding="utf-8")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["corpus", "build", "--check", "--dir", str(root)])
    assert result.exit_code == 1
    assert "passages/faq-aspire.jsonl" in result.output
    assert runner.invoke(args=["corpus", "build", "--dir", str(root)]).exit_code == 0
    assert runner.invoke(args=["corpus", "build", "--check", "--dir", str(root)]).exit_code == 0


def test_build_without_raw_sources_is_a_clear_error(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["corpus", "build", "--dir", str(tmp_path)])
    assert result.exit_code != 0
    assert "cannot read raw source" in result.output
    assert "Traceback" not in result.output


def test_build_of_a_mangled_source_is_a_clear_error(app, tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "guideline.txt").write_text("no structure here\n", encoding="utf-8")
    (tmp_path / "raw" / "faq-aspire.txt").write_text("", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["corpus", "build", "--dir", str(tmp_path)])
    assert result.exit_code != 0
    assert "did not parse" in result.output
    assert not (tmp_path / "documents.json").exists()


def test_stats_reports_counts_per_document_and_type(app, corpus):
    result = app.test_cli_runner().invoke(args=["corpus", "stats"])
    assert result.exit_code == 0, result.output
    assert re.search(r"^faq-aspire\s+29\s", result.output, re.M)
    assert re.search(rf"^checklist\s+{len(corpus.by_doc('checklists'))}$", result.output, re.M)
    total = sum(len(p.text) for p in corpus.passages)
    assert re.search(rf"^total\s+{len(corpus.passages)}\s+{total}$", result.output, re.M)


def test_stats_on_an_unbuilt_corpus_is_a_clear_error(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["corpus", "stats", "--dir", str(tmp_path)])
    assert result.exit_code != 0
    assert "corpus build" in result.output


def test_build_names_passages_whose_text_changed_under_their_anticipated_questions(app, tmp_path,
                                                                                   revise_faq_q11_answer):
    root = tmp_path / "corpus"
    shutil.copytree(paths.CORPUS_DIR, root)
    runner = app.test_cli_runner()
    unchanged = runner.invoke(args=["corpus", "build", "--dir", str(root)])
    assert unchanged.exit_code == 0
    assert "review the questions" not in unchanged.output
    revise_faq_q11_answer(root)
    result = runner.invoke(args=["corpus", "build", "--dir", str(root)])
    assert result.exit_code == 0, result.output
    assert "review the questions in anticipated_questions.yaml" in result.output
    assert "faq-aspire/Q1.1" in result.output
    assert "faq-aspire/Q1.2" not in result.output
