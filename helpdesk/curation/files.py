"""Desk FAQ entries as Markdown files with YAML front matter, so the content can live in git.

    ---
    id: visiting-researcher-check        # the slug; the entry is cited as faq-desk/<id>
    question: …
    alternatives: [...]
    question_en: …                       # optional: the English version of a Japanese entry
    alternatives_en: [...]
    related: [guideline/I-2-4, ...]
    tags: [...]
    lang: ja
    status: published
    ---
    The answer, in Markdown.

    <!-- en -->

    The English answer, in Markdown (only with question_en).

Export writes each entry's current revision; importing that directory into an empty database and
exporting again gives the same files byte for byte. Import creates the entries whose id the
database does not have yet and leaves the others as they are (a curator may have edited them
since), unless asked to update them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import frontmatter
import yaml

from helpdesk.audit import record
from helpdesk.corpus import Corpus
from helpdesk.extensions import db

from . import workflow
from .content import Content, check_content, check_slug
from .models import STATUSES, FaqEntry

SUFFIX = ".md"
MAX_FILE_BYTES = 256 * 1024
FIELDS = ("id", "question", "alternatives", "question_en", "alternatives_en", "related", "tags", "lang", "status")
ENGLISH_FIELDS = ("question_en", "alternatives_en")
# The line between the Japanese and the English answer in a file's body (an HTML comment: invisible
# if a Markdown viewer shows the file).
ENGLISH_MARK = "<!-- en -->"
_ENGLISH_SPLIT = re.compile(rf"^{re.escape(ENGLISH_MARK)}[ \t]*$", re.MULTILINE)


def to_text(slug: str, content: Content, status: str) -> str:
    meta = {"id": slug, **content.as_dict(), "status": status}
    keys = [k for k in FIELDS if k not in ENGLISH_FIELDS or content.answer_en]
    body = f"{content.answer}\n\n{ENGLISH_MARK}\n\n{content.answer_en}" if content.answer_en else content.answer
    return frontmatter.dumps(frontmatter.Post(body, **{k: meta[k] for k in keys}), sort_keys=False) + "\n"


def export_entries(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for entry in db.session.scalars(db.select(FaqEntry).order_by(FaqEntry.slug)):
        path = directory / f"{entry.slug}{SUFFIX}"
        path.write_text(to_text(entry.slug, Content.of(entry.current), entry.status), encoding="utf-8")
        written.append(path)
    record("faq.exported", "faq_entry", None, {"entries": len(written)})
    return written


@dataclass(frozen=True)
class Parsed:
    path: Path
    slug: str
    content: Content
    status: str


def parse_file(path: Path, corpus: Corpus) -> Parsed:
    """One file's entry, or ValueError saying what is wrong with it (in English, for the CLI)."""
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ValueError(f"larger than {MAX_FILE_BYTES // 1024} KiB")
    try:
        post = frontmatter.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ValueError("not UTF-8 text") from None
    except yaml.YAMLError as exc:
        raise ValueError(f"front matter is not valid YAML: {exc}".splitlines()[0]) from None
    meta = post.metadata
    unknown = sorted(set(meta) - set(FIELDS))
    if unknown:
        raise ValueError(f"unknown front-matter keys: {', '.join(map(str, unknown))}")
    status = meta.get("status", "draft")
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}")
    for key in ("alternatives", "alternatives_en", "related", "tags"):
        if not isinstance(meta.get(key, []), list):
            raise ValueError(f"{key} must be a list")
    answers = _ENGLISH_SPLIT.split(post.content)
    if len(answers) > 2:
        raise ValueError(f"the answer has more than one {ENGLISH_MARK} line")
    answer, answer_en = answers if len(answers) == 2 else (answers[0], None)
    if answer_en is not None and meta.get("question_en") is None:
        raise ValueError(f"an English answer after {ENGLISH_MARK} needs question_en")
    # Their ContentError is a ValueError whose text (str) is the English message.
    slug = check_slug(str(meta.get("id", "")))
    content = check_content(question=meta.get("question"), alternatives=meta.get("alternatives", []),
                            answer=answer, related=meta.get("related", []), tags=meta.get("tags", []),
                            lang=meta.get("lang", "ja"), corpus=corpus, question_en=meta.get("question_en"),
                            alternatives_en=meta.get("alternatives_en", []), answer_en=answer_en)
    return Parsed(path, slug, content, status)


@dataclass
class ImportReport:
    applied: list[Parsed] = field(default_factory=list)
    skipped: list[Parsed] = field(default_factory=list)  # already in the database, left as they are
    errors: dict[Path, str] = field(default_factory=dict)  # invalid files, which changed nothing


def import_directory(directory: Path, corpus: Corpus, *, origin: str = "import", update: bool = False) -> ImportReport:
    """Create the entries of every valid file whose id the database lacks; with `update`, also make
    existing entries say what their file says. `origin` marks the revisions made ("seed" for the
    desk's shipped, reviewed content). Audited with no actor: the command does it, not a person."""
    report = ImportReport()
    seen: dict[str, Path] = {}
    for path in sorted(directory.glob(f"*{SUFFIX}")):
        try:
            parsed = parse_file(path, corpus)
        except ValueError as exc:
            report.errors[path] = str(exc)
            continue
        if parsed.slug in seen:
            report.errors[path] = f"id {parsed.slug!r} is also used by {seen[parsed.slug].name}"
            continue
        seen[parsed.slug] = path
        if not update and workflow.slug_taken(parsed.slug):
            report.skipped.append(parsed)
            continue
        _apply(parsed, origin)
        report.applied.append(parsed)
    return report


def _apply(parsed: Parsed, origin: str) -> None:
    entry = db.session.scalar(db.select(FaqEntry).where(FaqEntry.slug == parsed.slug))
    if entry is None:
        entry = workflow.create_entry(parsed.content, None, slug=parsed.slug, origin=origin)
    elif Content.of(entry.current) != parsed.content:
        if entry.status == "archived":
            workflow.reopen(entry, None)  # archived entries are read-only until reopened
        workflow.save(entry, parsed.content, None, origin=origin)
    workflow.set_status_from_import(entry, parsed.status)
    record("faq.imported", "faq_entry", entry.id, {"slug": entry.slug, "status": entry.status,
                                                   "revision": entry.current.number, "origin": origin})
