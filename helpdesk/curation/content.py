"""What an FAQ entry says, checked once for the editor, the importer and the ticket/gap drafts."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from .models import LANGS

MAX_QUESTION = 2000  # as long as a chat question may be, so a ticket's question always fits
MAX_ALTERNATIVES = 20
MAX_ANSWER = 20_000
MAX_RELATED = 20
MAX_TAGS = 20
MAX_TAG = 40
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
# Control characters other than tab and newline carry no meaning in text people write.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class ContentError(ValueError):
    """Invalid content: `errors` maps a field name to UI message keys (with format values)."""

    def __init__(self, errors: dict[str, list[tuple[str, dict]]]) -> None:
        super().__init__("; ".join(f"{field}: {key}" for field, items in errors.items() for key, _ in items))
        self.errors = errors


@dataclass(frozen=True)
class Content:
    question: str
    alternatives: tuple[str, ...]
    answer: str  # Markdown
    related: tuple[str, ...]
    tags: tuple[str, ...]
    lang: str

    def as_dict(self) -> dict:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    @classmethod
    def of(cls, revision) -> "Content":
        return cls(revision.question, tuple(revision.alternatives), revision.answer, tuple(revision.related),
                   tuple(revision.tags), revision.lang)


def _clean(text: object) -> str:
    return _CONTROL.sub("", text).replace("\r\n", "\n").strip() if isinstance(text, str) else ""


def _items(value: object) -> list[str]:
    """A list from a list, or from text with one item per line or comma (what forms send)."""
    if isinstance(value, str):
        value = re.split(r"[\n,、]", value)
    if not isinstance(value, (list, tuple)):
        return []
    seen = dict.fromkeys(_clean(v) for v in value if isinstance(v, (str, int, float)) and _clean(str(v)))
    return [v for v in seen if v]


def check_content(*, question, alternatives, answer, related, tags, lang, corpus) -> Content:
    """The content to store, or ContentError naming every problem at once (so nothing is retyped twice)."""
    errors: dict[str, list[tuple[str, dict]]] = {}

    def fail(field: str, key: str, **values) -> None:
        errors.setdefault(field, []).append((key, values))

    question_text, answer_text = _clean(question), _clean(answer)
    alternative_list, related_list, tag_list = _items(alternatives), _items(related), _items(tags)
    if not question_text:
        fail("question", "curation.error.required")
    elif len(question_text) > MAX_QUESTION:
        fail("question", "curation.error.too_long", limit=MAX_QUESTION)
    if not answer_text:
        fail("answer", "curation.error.required")
    elif len(answer_text) > MAX_ANSWER:
        fail("answer", "curation.error.too_long", limit=MAX_ANSWER)
    if len(alternative_list) > MAX_ALTERNATIVES or any(len(a) > MAX_QUESTION for a in alternative_list):
        fail("alternatives", "curation.error.alternatives", count=MAX_ALTERNATIVES, limit=MAX_QUESTION)
    if len(related_list) > MAX_RELATED:
        fail("related", "curation.error.too_many", limit=MAX_RELATED)
    unknown = [pid for pid in related_list if corpus.get(pid) is None]
    if unknown:
        fail("related", "curation.error.unknown_passages", ids=", ".join(unknown[:5]))
    if len(tag_list) > MAX_TAGS or any(len(t) > MAX_TAG for t in tag_list):
        fail("tags", "curation.error.tags", count=MAX_TAGS, limit=MAX_TAG)
    if lang not in LANGS:
        fail("lang", "curation.error.lang")
    if errors:
        raise ContentError(errors)
    return Content(question_text, tuple(alternative_list), answer_text, tuple(related_list), tuple(tag_list), lang)


def check_slug(slug: object) -> str:
    value = _clean(slug).lower() if isinstance(slug, str) else ""
    if not SLUG.match(value):
        raise ContentError({"slug": [("curation.error.slug", {})]})
    return value
