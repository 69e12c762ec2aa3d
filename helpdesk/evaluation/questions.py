"""Evaluation question files: one JSON object a line (format in tests/data/README.md)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

LANGS = ("ja", "en")


class QuestionFileError(ValueError):
    """The file is not a readable question file; the message names the line."""


@dataclass(frozen=True)
class Question:
    id: str
    lang: str
    question: str
    gold_any: tuple[str, ...]
    doc: str
    route: str
    note: str = ""
    # answer-key files (tests/data/README.md): key points, each a tuple of alternative phrases
    must: tuple[tuple[str, ...], ...] = ()
    must_en: tuple[tuple[str, ...], ...] = ()

    @property
    def answerable(self) -> bool:
        """Has gold passages in the documents (out-of-scope questions have none)."""
        return bool(self.gold_any)

    @property
    def desk(self) -> bool:
        return self.route == "desk"


def load_questions(path: Path) -> list[Question]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise QuestionFileError(f"{path}: cannot read: {exc}") from exc
    questions, seen = [], set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            q = Question(
                id=str(row["id"]), lang=row["lang"], question=row["question"],
                gold_any=tuple(row.get("gold_any") or ()), doc=row.get("doc", "none"),
                route=row.get("route", "desk"), note=row.get("note", ""),
                must=_key_points(row.get("must")), must_en=_key_points(row.get("must_en")),
            )
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise QuestionFileError(f"{path}:{number}: not a question object ({exc!r})") from exc
        if q.lang not in LANGS or not isinstance(q.question, str) or not q.question.strip():
            raise QuestionFileError(f"{path}:{number}: lang must be ja/en and question non-empty")
        if q.must_en and len(q.must_en) != len(q.must):
            raise QuestionFileError(f"{path}:{number}: must_en needs one list per key point of must")
        if q.id in seen:
            raise QuestionFileError(f"{path}:{number}: duplicate id {q.id!r}")
        seen.add(q.id)
        questions.append(q)
    if not questions:
        raise QuestionFileError(f"{path}: no questions")
    return questions


def _key_points(value) -> tuple[tuple[str, ...], ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(p, list) and p and all(isinstance(a, str) and a.strip()
                                                                                  for a in p) for p in value):
        raise ValueError("key points must be a list of non-empty lists of phrases")
    return tuple(tuple(p) for p in value)
