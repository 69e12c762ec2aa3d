"""Questions next to the domain but outside it (e-Rad accounts, visas, grant writing, proofreading,
general compliance …), declined with a pointer to where to ask instead.

Such questions share the documents' vocabulary (研究費, JST, 申請), so retrieval finds passages for
them and the evidence looks good. What tells them apart is what they ask: a question is near-domain
when it is more like one of the written near-domain questions (corpus/calibration/near_domain.yaml)
than like any question the documents are known to answer (`QuestionIndex`), by a margin calibrated on
probe questions the documents cover (`calibration.IN_DOMAIN`): the largest lead a covered probe shows
towards the near-domain questions. Both sides are questions embedded as queries, so the comparison
holds across Japanese and English.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from . import calibration
from .question_index import Embed

NEAR_DOMAIN_FILE = Path("calibration") / "near_domain.yaml"  # under the corpus dir
# A little above the covered probes' largest lead, so that no covered probe is declined.
MARGIN_SLACK = 0.005


class NearDomainError(ValueError):
    """The near-domain file is malformed (the message names the group)."""


@dataclass(frozen=True)
class Group:
    name: str
    pointer_ja: str
    pointer_en: str

    def pointer(self, lang: str) -> str:
        return self.pointer_en if lang == "en" else self.pointer_ja


@dataclass(frozen=True)
class NearMatch:
    group: Group
    similarity: float  # to the nearest near-domain question
    known: float  # to the nearest question the documents answer


def read_groups(path: Path) -> list[tuple[Group, list[str]]]:
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise NearDomainError(f"{path}: expected a mapping of group name to pointer_ja, pointer_en, questions")
    groups = []
    for name, entry in data.items():
        questions = (entry or {}).get("questions") if isinstance(entry, dict) else None
        if (not isinstance(questions, list) or not questions or not all(isinstance(q, str) and q.strip() for q in questions)
                or not all(isinstance(entry.get(k), str) and entry[k].strip() for k in ("pointer_ja", "pointer_en"))):
            raise NearDomainError(f"{path}: {name}: needs pointer_ja, pointer_en and a list of questions")
        groups.append((Group(name, entry["pointer_ja"].strip(), entry["pointer_en"].strip()), [q.strip() for q in questions]))
    return groups


class NearDomain:
    """Compares with the near-domain questions in both languages, as the questions the documents are
    known to answer are in both (the desk FAQ entries carry their English phrasings): an English
    question then meets English questions on both sides, and a Japanese one Japanese questions."""

    def __init__(self, groups: list[tuple[Group, list[str]]], embed: Embed) -> None:
        self.questions = [q for _, qs in groups for q in qs]
        self.owners = [g for g, qs in groups for _ in qs]
        self.rows = list(range(len(self.questions)))
        self.vectors = (np.asarray(embed([self.questions[i] for i in self.rows]), dtype=np.float32)
                        if self.rows else None)
        self.margin = 0.0

    def __len__(self) -> int:
        return len(self.questions)

    def nearest(self, vector: np.ndarray, leave_out: int | None = None) -> tuple[Group, float] | None:
        if self.vectors is None:
            return None
        scores = self.vectors @ np.asarray(vector, dtype=np.float32)
        if leave_out in self.rows:
            scores[self.rows.index(leave_out)] = -1.0
        row = int(np.argmax(scores))
        return self.owners[self.rows[row]], float(scores[row])

    def match(self, vector: np.ndarray, known: float, leave_out: int | None = None) -> NearMatch | None:
        """The near-domain group `vector` belongs to, if it is nearer to it than to the documents'
        questions (`known`: its best cosine with them) by more than the calibrated margin."""
        found = self.nearest(vector, leave_out)
        if found is None or found[1] - known <= self.margin:
            return None
        return NearMatch(found[0], found[1], known)

    def calibrate(self, probe_vectors: np.ndarray, known_similarity) -> None:
        """Set the margin from covered probes' vectors; `known_similarity(vector)` is a question's best
        cosine with the questions the documents answer."""
        if self.vectors is None or not len(probe_vectors):
            return
        leads = [nearest[1] - known_similarity(v) for v in probe_vectors if (nearest := self.nearest(v))]
        self.margin = max(max(leads) + MARGIN_SLACK, 0.0)  # never decline a question nearer the documents

    @classmethod
    def load(cls, corpus_dir: Path, embed: Embed, known_similarity) -> NearDomain:
        near = cls(read_groups(Path(corpus_dir) / NEAR_DOMAIN_FILE), embed)
        near.calibrate(np.asarray(embed(list(calibration.IN_DOMAIN)), dtype=np.float32), known_similarity)
        return near
