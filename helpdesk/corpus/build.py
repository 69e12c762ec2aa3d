"""`helpdesk corpus build`: raw sources in corpus/raw/ -> the committed, structured corpus."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from . import DOCUMENTS_FILE, PASSAGES_DIR, TRANSLATIONS_DIR, read_translations, source_hash
from .checklists import checklist_passages
from .chunking import passages as guideline_passages
from .faq import parse_faq
from .guideline import parse_guideline

GUIDELINE_RAW = "raw/guideline.txt"
FAQ_RAW = "raw/faq-aspire.txt"
SOURCES_FILE = "SOURCES.md"

# What the files themselves do not say (publisher of the guideline, English titles, provenance).
GUIDELINE_META = {
    "id": "guideline",
    "type": "guideline",
    "title_en": "Procedures for Ensuring Research Security (draft): guidelines for preventing the outflow of critical technologies",
    "publisher": "内閣府 科学技術・イノベーション推進事務局",
    "date": "2025",
    "url": None,
    "source": GUIDELINE_RAW,
    "origin": "000_b1677823e224806b.txt",
}
FAQ_META = {
    "id": "faq-aspire",
    "type": "faq",
    "title_en": "ASPIRE Japan–Netherlands joint call: FAQ on research security",
    "publisher": "JST 国際部先端国際共同研究推進室",
    "date": "2025-05-20",
    "url": None,
    "source": FAQ_RAW,
    "origin": "004_af75db6bd8680e24.txt",
}
CHECKLIST_META = {
    "id": "checklists",
    "type": "checklist",
    "title": "研究セキュリティ確保のためのチェックリスト（手順書（原案）より抽出）",
    "title_en": "Checklists extracted from the research-security guideline (draft)",
    "publisher": "内閣府 科学技術・イノベーション推進事務局（手順書（原案）より本窓口が抽出）",
    "date": "2025",
    "url": None,
    "source": f"derived from {GUIDELINE_RAW}",
}


class BuildError(Exception):
    """The raw sources are missing or no longer parse as expected."""


def build(corpus_dir: Path) -> dict[str, str]:
    """Every built file as {relative path: content}; nothing is written."""
    try:
        guideline_raw = (corpus_dir / GUIDELINE_RAW).read_text(encoding="utf-8")
        faq_raw = (corpus_dir / FAQ_RAW).read_text(encoding="utf-8")
    except OSError as exc:
        raise BuildError(f"cannot read raw source: {exc}") from exc
    try:
        guideline = parse_guideline(guideline_raw)
        g_passages, passage_of = guideline_passages(guideline)
        faq_passages, faq_title = parse_faq(faq_raw)
        checklists = checklist_passages(guideline, passage_of)
    except (ValueError, StopIteration, KeyError) as exc:
        raise BuildError(f"raw sources did not parse: {exc!r}") from exc

    documents = [
        {**_public(GUIDELINE_META), "title": guideline.title},
        {**_public(FAQ_META), "title": faq_title},
        CHECKLIST_META,
    ]
    order = ["id", "type", "title", "title_en", "publisher", "date", "url", "source"]
    documents = [{k: d[k] for k in order} for d in documents]
    files = {DOCUMENTS_FILE: json.dumps(documents, ensure_ascii=False, indent=2) + "\n"}
    for doc, rows in (("guideline", g_passages), ("faq-aspire", faq_passages), ("checklists", checklists)):
        files[f"{PASSAGES_DIR}/{doc}.jsonl"] = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    files[SOURCES_FILE] = _sources_md(documents, {"guideline": g_passages, "faq-aspire": faq_passages})
    return files


def _public(meta: dict) -> dict:
    return {k: v for k, v in meta.items() if k != "origin"}


def write(corpus_dir: Path, files: dict[str, str]) -> None:
    (corpus_dir / PASSAGES_DIR).mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        (corpus_dir / rel).write_text(content, encoding="utf-8")


def differences(corpus_dir: Path, files: dict[str, str]) -> list[str]:
    """Built files whose committed copy is missing or differs."""
    stale = []
    for rel, content in files.items():
        path = corpus_dir / rel
        if not path.exists() or path.read_text(encoding="utf-8") != content:
            stale.append(rel)
    built = {f"{PASSAGES_DIR}/{p.name}" for p in (corpus_dir / PASSAGES_DIR).glob("*.jsonl")}
    stale += sorted(built - files.keys())  # leftovers of documents no longer built
    return stale


def _texts(contents) -> dict[str, str]:
    """Passage id → text, from the contents of passage files."""
    rows = (json.loads(line) for content in contents for line in content.splitlines() if line.strip())
    return {row["id"]: row["text"] for row in rows}


def _built_texts(files: dict[str, str]) -> dict[str, str]:
    return _texts(content for rel, content in files.items() if rel.startswith(f"{PASSAGES_DIR}/"))


def changed_passages(corpus_dir: Path, files: dict[str, str]) -> list[str]:
    """Ids of the committed passages whose text the fresh build `files` changes or drops."""
    committed = _texts(path.read_text(encoding="utf-8") for path in sorted((corpus_dir / PASSAGES_DIR).glob("*.jsonl")))
    fresh = _built_texts(files)
    return [pid for pid, text in committed.items() if fresh.get(pid) != text]


def translations_to_review(corpus_dir: Path, files: dict[str, str]) -> tuple[list[str], list[str]]:
    """(stale, untranslated) against the fresh build `files`: ids of the translations whose recorded source hash
    is not that of their passage's Japanese text (changed, or the passage is gone), and ids of the passages
    with no translation. Comparing hashes, not the previous build, also names a translation left stale earlier.
    Raises CorpusError for a malformed translation file."""
    fresh = _built_texts(files)
    entries = read_translations(corpus_dir / TRANSLATIONS_DIR)
    stale = [pid for pid, entry in entries.items()
             if pid not in fresh or entry.get("source_sha256") != source_hash(fresh[pid])]
    return stale, [pid for pid in fresh if pid not in entries]


def stats(passages) -> list[str]:
    """Report lines: passages and characters per document and per type."""
    by_doc: Counter[str] = Counter()
    by_type: Counter[str] = Counter()
    chars: Counter[str] = Counter()
    for p in passages:
        by_doc[p.doc] += 1
        by_type[p.type] += 1
        chars[p.doc] += len(p.text)
    lines = ["document          passages    chars  avg chars"]
    for doc, n in by_doc.items():
        lines.append(f"{doc:<16} {n:>9} {chars[doc]:>8} {chars[doc] // n:>10}")
    lines.append("type              passages")
    lines += [f"{t:<16} {n:>9}" for t, n in by_type.items()]
    total = sum(chars.values())
    lines.append(f"total            {sum(by_doc.values()):>9} {total:>8}")
    return lines


def _sources_md(documents: list[dict], built: dict[str, list[dict]]) -> str:
    meta = {"guideline": GUIDELINE_META, "faq-aspire": FAQ_META}
    out = [
        "# Sources of the corpus",
        "",
        "Generated by `helpdesk corpus build` from the raw files in `corpus/raw/` (do not edit by hand;",
        "`helpdesk corpus build --check` fails when this file or the built corpus is stale).",
        "",
    ]
    for doc in documents:
        out.append(f"## {doc['title']}")
        out.append("")
        out.append(f"- id: `{doc['id']}`; English: {doc['title_en']}")
        out.append(f"- publisher: {doc['publisher']}")
        out.append(f"- date: {doc['date']}")
        if doc["id"] in meta:
            m = meta[doc["id"]]
            out.append("- URL: none given in the source file; not recorded here")
            out.append(f"- raw file: `corpus/{m['source']}` (copied from `{m['origin']}`)")
            out.append(f"- passages: {len(built[doc['id']])}")
        else:
            out.append(f"- {doc['source']}: lists the guideline's enumerated requirements; every item cites its guideline passage")
        if doc["id"] == "guideline":
            out.append("- a draft (原案) of 2025; the links it cites were checked by the publisher in 2025-07 (確認日 2025/7/2–2025/7/16)")
        out.append("")
    return "\n".join(out)
