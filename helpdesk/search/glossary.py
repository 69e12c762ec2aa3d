"""Bilingual domain glossary: carries English questions over to the Japanese sources' vocabulary.

The sources are Japanese, so BM25 on an English question matches only stray ASCII words, and the
small multilingual embedder crosses languages only part of the way. The glossary
(`corpus/glossary.yaml`, English phrases → the Japanese terms the documents use) lets an English
or mixed question carry the Japanese terms: BM25 scores them, and for a mostly Japanese question
with a few Latin words they are also appended to the embedded query text (see
`SearchService._embed_translated`).

Every Japanese term must occur in the corpus: a term that matches nothing would only add noise,
and usually means a typo, so loading fails naming the entry.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .text import normalize


class GlossaryError(ValueError):
    """The glossary file is malformed or names a Japanese term the corpus does not contain."""


@dataclass(frozen=True)
class Translation:
    terms: tuple[str, ...]  # Japanese terms of the matched entries, in query order, no repeats
    entries: int  # how many distinct glossary entries matched


NO_TRANSLATION = Translation((), 0)


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", normalize(text))


class Glossary:
    def __init__(self, entries: list[tuple[list[str], list[str]]]) -> None:
        """`entries`: (English phrases, Japanese terms) pairs."""
        self.entries = entries
        self._entry_of: dict[str, int] = {}
        for index, (english, _) in enumerate(entries):
            for phrase in english:
                self._entry_of.setdefault(normalize(phrase), index)
        # Longest phrase first, so `risk assessment` wins over `risk` at the same position.
        alternatives = sorted(self._entry_of, key=len, reverse=True)
        self._pattern = re.compile(
            r"(?<![0-9a-z])(" + "|".join(map(re.escape, alternatives)) + r")(?:e?s)?(?![0-9a-z])"
        ) if alternatives else None

    def __len__(self) -> int:
        return len(self.entries)

    def translate(self, query: str) -> Translation:
        """The Japanese terms for the English glossary phrases found in `query`."""
        if self._pattern is None:
            return NO_TRANSLATION
        matched = [self._entry_of[m.group(1)] for m in self._pattern.finditer(normalize(query))]
        entries = list(dict.fromkeys(matched))
        terms = dict.fromkeys(term for index in entries for term in self.entries[index][1])
        return Translation(tuple(terms), len(entries))

    def check_against(self, texts) -> None:
        """Raise GlossaryError if a Japanese term occurs in none of `texts` (the corpus)."""
        corpus = "\n".join(_compact(t) for t in texts)
        missing = sorted({t for _, ja in self.entries for t in ja if _compact(t) not in corpus})
        if missing:
            raise GlossaryError(f"glossary terms not found in the corpus: {', '.join(missing)}")

    @classmethod
    def load(cls, path: Path) -> Glossary:
        """Read `path`; a missing file is an empty glossary (English then relies on the embedder alone)."""
        if not path.exists():
            return cls([])
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        except yaml.YAMLError as exc:
            raise GlossaryError(f"{path}: not valid YAML: {exc}") from exc
        if not isinstance(data, list):
            raise GlossaryError(f"{path}: expected a list of {{en: [...], ja: [...]}} entries")
        entries = []
        for number, item in enumerate(data, start=1):
            pair = []
            for key in ("en", "ja"):
                value = item.get(key) if isinstance(item, dict) else None
                if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
                    raise GlossaryError(f"{path}: entry {number}: `{key}` must be a non-empty list of strings")
                pair.append([v.strip() for v in value])
            entries.append((pair[0], pair[1]))
        return cls(entries)
