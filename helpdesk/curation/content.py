"""What an FAQ entry says, checked once for the editor, the importer and the ticket/gap drafts."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from ..control_characters import strip_control
from .errors import CurationError
from .messages import error_text
from .models import LANGS

MAX_QUESTION = 2000  # as long as a chat question may be, so a ticket's question always fits
MAX_ALTERNATIVES = 20
MAX_ANSWER = 20_000
MAX_RELATED = 20
MAX_TAGS = 20
MAX_TAG = 40
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


class ContentError(CurationError):
    """Invalid content: `errors` maps a field name to its problems, each a UI message key with its format values;
    the message names every one."""

    def __init__(self, errors: dict[str, list[tuple[str, dict]]]) -> None:
        self.errors = errors
        super().__init__("invalid_content")

    def message(self, lang: str | None = None) -> str:
        return "; ".join(f"{field}: {error_text(key, lang, **values)}" for field, items in self.errors.items()
                         for key, values in items)


@dataclass(frozen=True)
class Version:
    """An entry in one language: the question, other phrasings of it, and the answer (Markdown)."""

    question: str
    alternatives: tuple[str, ...]
    answer: str


@dataclass(frozen=True)
class Content:
    """What one revision says. The main fields are in `lang`: Japanese, or English for an entry
    written only in English; a Japanese entry may carry its English version in the `_en` fields."""

    question: str
    alternatives: tuple[str, ...]
    answer: str  # Markdown
    related: tuple[str, ...]
    tags: tuple[str, ...]
    lang: str
    question_en: str | None = None
    alternatives_en: tuple[str, ...] = ()
    answer_en: str | None = None

    def as_dict(self) -> dict:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    @classmethod
    def of(cls, revision) -> Content:
        return cls(revision.question, tuple(revision.alternatives), revision.answer, tuple(revision.related),
                   tuple(revision.tags), revision.lang, revision.question_en or None,
                   tuple(revision.alternatives_en or ()), revision.answer_en or None)

    @property
    def main(self) -> Version:
        """The entry in its own language, `lang`."""
        return Version(self.question, self.alternatives, self.answer)

    def version(self, lang: str) -> Version | None:
        """The entry in `lang` ("ja" or "en"), or None when it has no such version."""
        if lang == self.lang:
            return self.main
        if lang == "en" and self.question_en and self.answer_en:  # check_content sets both or neither
            return Version(self.question_en, self.alternatives_en, self.answer_en)
        return None

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(lang for lang in LANGS if self.version(lang) is not None)


def _clean(text: object) -> str:
    return strip_control(text).strip() if isinstance(text, str) else ""


def _items(value: object) -> list[str]:
    """A list from a list, or from text with one item per line or comma (what forms send)."""
    if isinstance(value, str):
        value = re.split(r"[\n,、]", value)
    if not isinstance(value, (list, tuple)):
        return []
    seen = dict.fromkeys(_clean(v) for v in value if isinstance(v, (str, int, float)) and _clean(str(v)))
    return [v for v in seen if v]


_ENGLISH_FIELDS = {"question": "question_en", "alternatives": "alternatives_en", "answer": "answer_en"}


def check_content(*, question, alternatives, answer, related, tags, lang, corpus,
                  question_en=None, alternatives_en=(), answer_en=None) -> Content:
    """The content to store, or ContentError naming every problem at once (so nothing is retyped twice)."""
    errors: dict[str, list[tuple[str, dict]]] = {}

    def fail(field: str, key: str, **values) -> None:
        errors.setdefault(field, []).append((key, values))

    def check_version(question, alternatives, answer, names: dict[str, str]) -> tuple[str, list[str], str]:
        question_text, answer_text, alternative_list = _clean(question), _clean(answer), _items(alternatives)
        if not question_text:
            fail(names["question"], "curation.error.required")
        elif len(question_text) > MAX_QUESTION:
            fail(names["question"], "curation.error.too_long", limit=MAX_QUESTION)
        if not answer_text:
            fail(names["answer"], "curation.error.required")
        elif len(answer_text) > MAX_ANSWER:
            fail(names["answer"], "curation.error.too_long", limit=MAX_ANSWER)
        if len(alternative_list) > MAX_ALTERNATIVES or any(len(a) > MAX_QUESTION for a in alternative_list):
            fail(names["alternatives"], "curation.error.alternatives", count=MAX_ALTERNATIVES, limit=MAX_QUESTION)
        return question_text, alternative_list, answer_text

    question_text, alternative_list, answer_text = check_version(
        question, alternatives, answer, {name: name for name in _ENGLISH_FIELDS})
    english = None
    if any((_clean(question_en), _items(alternatives_en), _clean(answer_en))):
        if lang == "en":
            fail("question_en", "curation.error.english_twice")
        english = check_version(question_en, alternatives_en, answer_en, _ENGLISH_FIELDS)
    related_list, tag_list = _items(related), _items(tags)
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
    en_question, en_alternatives, en_answer = english or (None, [], None)
    return Content(question_text, tuple(alternative_list), answer_text, tuple(related_list), tuple(tag_list), lang,
                   en_question, tuple(en_alternatives), en_answer)


def check_columns(*, ja: dict, en: dict, related, tags, corpus) -> Content:
    """Content from the editor's two columns (each {question, alternatives, answer}).

    An entry written only in English (the Japanese column left empty) is stored with lang "en";
    otherwise the Japanese column is the entry and the English one its English version. Errors
    name the column's fields (`question`, `question_en` …) either way.
    """
    def written(column: dict) -> bool:
        return any(_clean(column.get(k)) for k in ("question", "answer"))

    if written(en) and not written(ja):
        try:
            return check_content(**en, related=related, tags=tags, lang="en", corpus=corpus)
        except ContentError as exc:
            raise ContentError({_ENGLISH_FIELDS.get(f, f): items for f, items in exc.errors.items()}) from None
    return check_content(**ja, related=related, tags=tags, lang="ja", corpus=corpus,
                         **{_ENGLISH_FIELDS[k]: v for k, v in en.items()})


def check_slug(slug: object) -> str:
    value = _clean(slug).lower() if isinstance(slug, str) else ""
    if not SLUG.match(value):
        raise ContentError({"slug": [("curation.error.slug", {})]})
    return value
