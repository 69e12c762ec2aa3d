"""The built corpus: documents and retrieval-sized passages (see docs/CONTRACTS.md).

Only reading lives here, so search and chat import nothing of the parsers.
`helpdesk corpus build` (helpdesk.corpus.build) writes the files this module reads.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import yaml

DOCUMENTS_FILE = "documents.json"
PASSAGES_DIR = "passages"
# Curated, not built: questions each passage answers (see the file's header).
ANTICIPATED_FILE = "anticipated_questions.yaml"
MAX_ANTICIPATED_CHARS = 200
# Curated, not built: provisional English translations, one YAML file per document (see the files' header).
TRANSLATIONS_DIR = "translations"


class CorpusError(ValueError):
    """A corpus file is malformed or names a passage the corpus does not have."""


def source_hash(text: str) -> str:
    """The hash a translation records of the Japanese text it translates (sha256 of the UTF-8 text)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class PassageTranslation:
    """A provisional (unofficial) English translation of one passage; the Japanese text is authoritative.

    `stale` is true when the Japanese text changed after the translation was written
    (its recorded source hash no longer matches): it still loads, and `corpus build` names it for review.
    """

    heading: str
    text: str
    source_sha256: str
    stale: bool = False
    # FAQ passages
    question: str | None = None
    answer: str | None = None
    # checklist passages: one translation per item of `Passage.items`, in order
    items: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Passage:
    id: str
    doc: str
    type: str
    title: str
    heading: str
    text: str
    lines: tuple[int, int]
    order: int
    # FAQ passages
    number: str | None = None
    question: str | None = None
    answer: str | None = None
    # checklist passages: [{"text", "cites"}]
    items: tuple[dict, ...] = field(default=())
    # curated desk FAQ entries: other phrasings of `question`
    alternatives: tuple[str, ...] = field(default=())
    # curated desk FAQ entries: the document passages (ids) the answer rests on
    related: tuple[str, ...] = field(default=())
    # questions users would ask that this passage answers (ANTICIPATED_FILE); search indexes them too
    anticipated_questions: tuple[str, ...] = field(default=())
    # provisional English translation (TRANSLATIONS_DIR), None where there is none yet
    en: PassageTranslation | None = None

    @property
    def url(self) -> str:
        return f"/docs/{self.doc}#{self.id}"

    def en_line(self, line: str) -> str | None:
        """The English of one line of the Japanese text (translations keep its line structure), None if the
        passage is untranslated or has no such line."""
        if self.en is None:
            return None
        ja_lines, en_lines = self.text.split("\n"), self.en.text.split("\n")
        if line not in ja_lines or len(ja_lines) != len(en_lines):
            return None
        return en_lines[ja_lines.index(line)]

    @property
    def faq_phrasings(self) -> tuple[str, ...]:
        """A FAQ entry's own question and its alternative phrasings (none for other passages)."""
        return (self.question, *self.alternatives) if self.type == "faq" and self.question else ()

    @property
    def known_questions(self) -> tuple[str, ...]:
        """Every question this passage is known to answer: its FAQ phrasings and anticipated questions."""
        return (*self.faq_phrasings, *self.anticipated_questions)

    @classmethod
    def from_dict(cls, data: dict) -> Passage:
        return cls(
            id=data["id"],
            doc=data["doc"],
            type=data["type"],
            title=data["title"],
            heading=data["heading"],
            text=data["text"],
            lines=tuple(data["lines"]),
            order=data["order"],
            number=data.get("number"),
            question=data.get("question"),
            answer=data.get("answer"),
            items=tuple(data.get("items", ())),
        )


@dataclass(frozen=True)
class Corpus:
    documents: list[dict]
    passages: list[Passage]
    _by_id: dict[str, Passage] = field(repr=False)
    _by_doc: dict[str, list[Passage]] = field(repr=False)

    def get(self, passage_id: str) -> Passage | None:
        return self._by_id.get(passage_id)

    def by_doc(self, doc: str) -> list[Passage]:
        return self._by_doc.get(doc, [])

    def document(self, doc: str) -> dict | None:
        return next((d for d in self.documents if d["id"] == doc), None)


def load_corpus(corpus_dir: str | Path | None = None) -> Corpus:
    """The corpus in `corpus_dir` (default: the app's HELPDESK_CORPUS_DIR), read once per process.

    The cache key includes the files' modification times, so a rebuild is picked up
    without a restart while repeated calls cost only a few stat() calls.
    """
    if corpus_dir is None:
        from flask import current_app

        corpus_dir = current_app.config["HELPDESK_CORPUS_DIR"]
    root = Path(corpus_dir).resolve()
    files = [root / DOCUMENTS_FILE, *sorted((root / PASSAGES_DIR).glob("*.jsonl"))]
    try:
        signature: tuple[tuple[str, int | None], ...] = tuple((str(f), f.stat().st_mtime_ns) for f in files)
    except FileNotFoundError as exc:
        raise FileNotFoundError(f"corpus not built in {root}: run `helpdesk corpus build`") from exc
    anticipated = root / ANTICIPATED_FILE
    signature += ((str(anticipated), anticipated.stat().st_mtime_ns if anticipated.exists() else None),)
    signature += tuple((str(f), f.stat().st_mtime_ns) for f in sorted((root / TRANSLATIONS_DIR).glob("*.yaml")))
    return _load(root, signature)


@lru_cache(maxsize=4)
def _load(root: Path, signature: tuple) -> Corpus:
    documents = json.loads((root / DOCUMENTS_FILE).read_text(encoding="utf-8"))
    passages: list[Passage] = []
    for doc in documents:
        path = root / PASSAGES_DIR / f"{doc['id']}.jsonl"
        with path.open(encoding="utf-8") as fh:
            passages.extend(Passage.from_dict(json.loads(line)) for line in fh if line.strip())
    passages = _with_anticipated_questions(passages, root / ANTICIPATED_FILE)
    passages = _with_translations(passages, root / TRANSLATIONS_DIR)
    by_doc: dict[str, list[Passage]] = {}
    for p in passages:
        by_doc.setdefault(p.doc, []).append(p)
    return Corpus(documents, passages, {p.id: p for p in passages}, by_doc)


def read_anticipated_questions(path: Path) -> dict:
    """The mapping in `path` (passage id → questions), empty if there is no such file; CorpusError if it is
    not a YAML mapping. Entries are checked against the corpus when it loads."""
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise CorpusError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise CorpusError(f"{path}: expected a mapping of passage id to a list of questions")
    return data


def _with_anticipated_questions(passages: list[Passage], path: Path) -> list[Passage]:
    """`passages` with their anticipated questions from `path` (optional); fails naming a bad entry."""
    data = read_anticipated_questions(path)
    known = {p.id for p in passages}
    for pid, questions in data.items():
        if pid not in known:
            raise CorpusError(f"{path}: no passage {pid!r} in the corpus")
        if (not isinstance(questions, list) or not questions
                or not all(isinstance(q, str) and 0 < len(q.strip()) <= MAX_ANTICIPATED_CHARS for q in questions)):
            raise CorpusError(f"{path}: {pid}: expected a list of questions of 1-{MAX_ANTICIPATED_CHARS} characters")
    return [replace(p, anticipated_questions=tuple(q.strip() for q in data[p.id])) if p.id in data else p
            for p in passages]


def read_translations(directory: Path) -> dict[str, dict]:
    """Passage id → its translation entry, from every `<doc>.yaml` in `directory` (none: empty)."""
    entries: dict[str, dict] = {}
    for path in sorted(directory.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise CorpusError(f"{path}: not valid YAML: {exc}") from exc
        if not isinstance(data, dict):
            raise CorpusError(f"{path}: expected a mapping of passage id to its translation")
        for pid, entry in data.items():
            if pid in entries:
                raise CorpusError(f"{path}: {pid!r} is translated twice")
            entries[pid] = {"file": path, **entry} if isinstance(entry, dict) else {"file": path}
    return entries


def _translation(passage: Passage, entry: dict) -> PassageTranslation:
    where = f"{entry['file']}: {passage.id}"
    text, heading, recorded = entry.get("text", ""), entry.get("heading", ""), entry.get("source_sha256", "")
    if not all(isinstance(v, str) and v.strip() for v in (text, heading, recorded)):
        raise CorpusError(f"{where}: needs non-empty source_sha256, heading and text")
    items = entry.get("items", [])
    if passage.items and (not isinstance(items, list) or len(items) != len(passage.items)
                          or not all(isinstance(i, str) and i.strip() for i in items)):
        raise CorpusError(f"{where}: needs one translated item for each of the passage's {len(passage.items)}")
    if passage.type == "faq" and not all(isinstance(entry.get(k), str) and entry[k].strip()
                                         for k in ("question", "answer")):
        raise CorpusError(f"{where}: a FAQ translation needs question and answer")
    return PassageTranslation(
        heading=heading.strip(), text=text.strip(), source_sha256=recorded,
        stale=recorded != source_hash(passage.text),
        question=(entry.get("question") or "").strip() or None,
        answer=(entry.get("answer") or "").strip() or None,
        items=tuple(i.strip() for i in items) if passage.items else (),
    )


def _with_translations(passages: list[Passage], directory: Path) -> list[Passage]:
    """`passages` with their English translations from `directory` (optional); fails naming a bad entry."""
    entries = read_translations(directory)
    known = {p.id for p in passages}
    for pid, entry in entries.items():
        if pid not in known:
            raise CorpusError(f"{entry['file']}: no passage {pid!r} in the corpus")
    return [replace(p, en=_translation(p, entries[p.id])) if p.id in entries else p for p in passages]
