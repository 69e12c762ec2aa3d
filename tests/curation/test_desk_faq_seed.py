"""The desk's seed FAQ (corpus/desk-faq): well-formed, bilingual, grounded in the corpus, and loaded
once — published, searchable and audited as the desk's reviewed content, never over a curator's edit."""
from __future__ import annotations

from pathlib import Path

import pytest

from helpdesk import paths
from helpdesk.corpus import load_corpus
from helpdesk.curation.files import SUFFIX, parse_file, to_text
from helpdesk.extensions import db

SEED_DIR = paths.CORPUS_DIR / "desk-faq"
SEED_FILES = sorted(SEED_DIR.glob(f"*{SUFFIX}"))


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(paths.CORPUS_DIR)


def _japanese_share(text: str) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    return sum("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in letters) / len(letters)


def test_there_are_at_least_forty_entries():
    assert len(SEED_FILES) >= 40


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.stem)
def test_every_seed_file_parses_cites_real_passages_and_has_both_languages(path: Path, corpus):
    parsed = parse_file(path, corpus)  # raises on any problem (YAML, unknown passage, empty field …)
    content = parsed.content
    assert parsed.slug == path.stem
    assert parsed.status == "published"
    assert content.languages == ("ja", "en")
    assert content.related
    assert all(corpus.get(pid) is not None for pid in content.related)
    assert all(pid.split("/")[0] in {"guideline", "faq-aspire", "checklists"} for pid in content.related)
    for lang in ("ja", "en"):
        version = content.version(lang)
        assert 2 <= len(version.alternatives) <= 4, (lang, version.alternatives)
    # Each language in its own script (an English answer may gloss a term in Japanese, no more).
    assert _japanese_share(content.answer) > 0.5
    assert _japanese_share(content.question) > 0.5
    assert _japanese_share(content.answer_en) < 0.05
    assert _japanese_share(content.question_en) == 0
    # Written in the exporter's own format, so an export of an untouched seed entry reproduces its file.
    assert to_text(parsed.slug, content, parsed.status) == path.read_text(encoding="utf-8")


def test_seed_questions_are_distinct(corpus):
    questions = [q for path in SEED_FILES for content in [parse_file(path, corpus).content]
                 for q in (content.question, *content.alternatives, content.question_en, *content.alternatives_en)]
    assert len(questions) == len(set(questions))


def _seed(app):
    return app.test_cli_runner().invoke(args=["faq", "import", "--seed", str(SEED_DIR)])


def _faq_events(app) -> list:
    from helpdesk.audit import AuditEvent

    with app.app_context():
        return db.session.scalars(db.select(AuditEvent).where(AuditEvent.action.like("faq.%"))
                                  .order_by(AuditEvent.seq)).all()


def test_seed_import_publishes_audits_and_is_found_at_once(app, search_service, corpus):
    from helpdesk.curation.models import FaqEntry

    result = _seed(app)
    assert result.exit_code == 0, result.output
    assert f"imported {len(SEED_FILES)} entries, 0 files with errors" in result.output
    with app.app_context():
        entries = db.session.scalars(db.select(FaqEntry)).all()
        assert len(entries) == len(SEED_FILES)
        assert {e.status for e in entries} == {"published"}
        assert {(e.published.origin, e.published.author_id, e.published.number) for e in entries} == {("seed", None, 1)}
    imported = [e for e in _faq_events(app) if e.action == "faq.imported"]
    assert len(imported) == len(SEED_FILES)
    assert all(e.actor_id is None and e.details["origin"] == "seed" and e.details["status"] == "published"
               for e in imported)

    # Searchable at once: the first request syncs this database's published entries into the index.
    entry = parse_file(SEED_DIR / "mitigation-measures.md", corpus).content
    results = app.test_client().get("/api/v1/search", query_string={"q": entry.question, "k": 3}).get_json()
    assert results["results"][0]["id"] == "faq-desk/mitigation-measures"
    passage = next(h.passage for h in search_service.search(entry.question, k=3)
                   if h.passage.id == "faq-desk/mitigation-measures")
    assert passage.en.question == entry.question_en
    assert "off campus" in passage.en.answer
    assert entry.question_en in passage.known_questions  # English phrasings count as known questions
    page = app.test_client().get("/docs/faq-desk").get_data(as_text=True)
    assert 'id="faq-desk/mitigation-measures"' in page
    assert app.test_cli_runner().invoke(args=["audit", "verify"]).exit_code == 0


def test_a_second_import_changes_nothing_and_keeps_a_curators_edit(app, two_curators, edit):
    from helpdesk.curation.models import FaqEntry

    assert _seed(app).exit_code == 0
    author, _ = two_curators(app)
    with app.app_context():
        entry_id = db.session.scalar(db.select(FaqEntry.id).where(FaqEntry.slug == "desk-role"))
    assert edit(author, entry_id, question="この窓口の役割は？", answer="窓口が書き直した回答です。").status_code == 303
    before = len(_faq_events(app))

    again = _seed(app)
    assert again.exit_code == 0, again.output
    assert "imported 0 entries, 0 files with errors" in again.output
    assert f"skipped {len(SEED_FILES)} entries already in the database" in again.output
    assert len(_faq_events(app)) == before  # no event, no revision, no index bump
    with app.app_context():
        kept = db.session.get(FaqEntry, entry_id)
        assert (kept.current.answer, kept.current.origin, len(kept.revisions)) == ("窓口が書き直した回答です。", "edit", 2)
        assert kept.published.origin == "seed"  # readers keep the seed version until someone reviews the edit
        assert db.session.scalar(db.select(db.func.count(FaqEntry.id))) == len(SEED_FILES)

    # --update is the explicit way back to the files' version.
    updated = app.test_cli_runner().invoke(args=["faq", "import", "--seed", "--update", str(SEED_DIR)])
    assert updated.exit_code == 0
    assert f"imported {len(SEED_FILES)} entries" in updated.output
    with app.app_context():
        restored = db.session.get(FaqEntry, entry_id)
        assert restored.current.origin == "seed"
        assert restored.current.number == 3
        assert restored.published_revision_id == restored.current_revision_id


def test_a_question_asking_an_entry_in_other_words_is_led_by_it_and_its_sources(app, search_service):
    """The desk-match threshold is set by the written questions no entry answers (none of them matches),
    and a question in other words on an entry's topic gets the entry's answer, then its own sources."""
    import yaml

    from helpdesk.answering.answerer import get_answerer
    from helpdesk.answering.faq_match import DESK_MATCH_FILE
    from helpdesk.curation import search_sync

    assert _seed(app).exit_code == 0
    calibration = yaml.safe_load((paths.CORPUS_DIR / DESK_MATCH_FILE).read_text(encoding="utf-8"))
    with app.app_context():
        search_sync.sync(search_service)
        answerer = get_answerer()
        desk = {p.id for p in search_sync.applied(search_service)[1]}
        vectors = search_service.embed_known_questions(calibration["different"])
        assert all(answerer.faq.best(v, desk) is None for v in vectors)
        answer = answerer.respond("リスクを減らすために取れる対策の例を知りたい", "ja")
    assert answer.led_by == "faq-desk/mitigation-measures"
    lead = answer.markdown.split("\n\n")[0]
    assert "(/docs/faq-desk#faq-desk/mitigation-measures)" in lead
    assert "\\[1\\]" not in lead
    cited = [s["id"] for s in answer.sources]
    # The citations are document passages, led by one the entry rests on, never an entry's rewording.
    assert cited[0] in {"guideline/II-1-1-step3-p2", "checklists/mitigation-measures", "faq-aspire/Q3.10"}
    assert not any(pid.startswith("faq-desk/") for pid in cited)
