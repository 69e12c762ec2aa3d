"""Desk FAQ entries as Markdown files with YAML front matter, so the content can live in git.

    ---
    id: visiting-researcher-check        # the slug; the entry is cited as faq-desk/<id>
    question: …
    alternatives: [...]
    related: [guideline/I-2-4, ...]
    tags: [...]
    lang: ja
    status: published
    ---
    The answer, in Markdown.

Export writes each entry's current revision; importing that directory into an empty database and
exporting again gives the same files byte for byte.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import frontmatter
import yaml

from helpdesk.audit import record
from helpdesk.corpus import Corpus
from helpdesk.extensions import db

from . import workflow
from .content import Content, ContentError, check_content, check_slug
from .messages import describe
from .models import STATUSES, FaqEntry

SUFFIX = ".md"
MAX_FILE_BYTES = 256 * 1024
FIELDS = ("id", "question", "alternatives", "related", "tags", "lang", "status")


def to_text(slug: str, content: Content, status: str) -> str:
    meta = {"id": slug, **{k: v for k, v in content.as_dict().items() if k != "answer"}, "status": status}
    return frontmatter.dumps(frontmatter.Post(content.answer, **{k: meta[k] for k in FIELDS}), sort_keys=False) + "\n"


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
    for key in ("alternatives", "related", "tags"):
        if not isinstance(meta.get(key, []), list):
            raise ValueError(f"{key} must be a list")
    try:
        slug = check_slug(str(meta.get("id", "")))
        content = check_content(question=meta.get("question"), alternatives=meta.get("alternatives", []),
                                answer=post.content, related=meta.get("related", []), tags=meta.get("tags", []),
                                lang=meta.get("lang", "ja"), corpus=corpus)
    except ContentError as exc:
        raise ValueError(describe(exc, "en")) from None
    return Parsed(path, slug, content, status)


def import_directory(directory: Path, corpus: Corpus) -> tuple[list[Parsed], dict[Path, str]]:
    """Apply every valid file; return (applied, {path: error}). Invalid files change nothing."""
    applied: list[Parsed] = []
    errors: dict[Path, str] = {}
    seen: dict[str, Path] = {}
    for path in sorted(directory.glob(f"*{SUFFIX}")):
        try:
            parsed = parse_file(path, corpus)
        except ValueError as exc:
            errors[path] = str(exc)
            continue
        if parsed.slug in seen:
            errors[path] = f"id {parsed.slug!r} is also used by {seen[parsed.slug].name}"
            continue
        seen[parsed.slug] = path
        _apply(parsed)
        applied.append(parsed)
    return applied, errors


def _apply(parsed: Parsed) -> None:
    entry = db.session.scalar(db.select(FaqEntry).where(FaqEntry.slug == parsed.slug))
    if entry is None:
        entry = workflow.create_entry(parsed.content, None, slug=parsed.slug, origin="import")
    elif Content.of(entry.current) != parsed.content:
        if entry.status == "archived":
            workflow.reopen(entry, None)  # archived entries are read-only until reopened
        workflow.save(entry, parsed.content, None, origin="import")
    workflow.set_status_from_import(entry, parsed.status)
    record("faq.imported", "faq_entry", entry.id, {"slug": entry.slug, "status": entry.status,
                                                   "revision": entry.current.number})
