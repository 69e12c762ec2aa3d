"""Loads and validates the staff-editable routing data in `routing/` (queues, programs, rules, examples).

Every mistake fails loudly with the file and the key, because a silently ignored typo would
misroute questions: a queue id nobody works, a cue that never matches, a citation to nothing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .route import KINDS
from .text import normalise

MINISTRY_QUEUES = ("cao", "mext", "meti")
CUE_ROLES = ("incident", "urgency", "export_control", "mext", "in_scope")  # groups the decision order reads


class RoutingDataError(ValueError):
    """The routing data is invalid; the message names the file and the key."""


@dataclass(frozen=True)
class Queue:
    id: str
    name_ja: str
    name_en: str
    organisation: str
    contact: str
    kind: str
    # Address alerted at once when an emergency concerns this queue (FA and Cabinet Office); the
    # environment's HELPDESK_EMERGENCY_CONTACT_<QUEUE> overrides it (helpdesk.tickets.notifications).
    emergency_contact: str | None = None


@dataclass(frozen=True)
class Program:
    id: str
    name_ja: str
    name_en: str
    queue: str
    ministry: str
    aliases: tuple[str, ...]

    @property
    def is_agency(self) -> bool:
        """The entry for an agency itself (id = its queue id), matched when no program is named."""
        return self.id == self.queue


@dataclass(frozen=True)
class CueGroup:
    name: str
    label_ja: str
    label_en: str
    patterns: tuple[re.Pattern, ...]
    boost: dict[str, float]  # route kind → added to that kind's neighbour vote share
    needs_program: bool  # the boost applies only when a program was detected


@dataclass(frozen=True)
class KindRule:
    kind: str
    summary_ja: str
    summary_en: str
    cites: tuple[str, ...]


@dataclass(frozen=True)
class Example:
    question: str
    kind: str
    queue: str | None  # None: the classifier picks the queue (program's FA, default ministry)
    source: str  # "examples.yaml" or "reroute"


@dataclass(frozen=True)
class RoutingData:
    queues: dict[str, Queue]
    programs: dict[str, Program]
    cues: dict[str, CueGroup]
    kinds: dict[str, KindRule]
    neighbours: dict[str, float]
    prior: dict[str, float]  # route kind → score it starts with before votes and cues
    examples: tuple[Example, ...]


def _read(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise RoutingDataError(f"{path}: file missing") from exc
    except yaml.YAMLError as exc:
        raise RoutingDataError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise RoutingDataError(f"{path}: expected a mapping at the top level")
    return data


def _text(path: Path, where: str, entry: dict, key: str) -> str:
    value = entry.get(key) if isinstance(entry, dict) else None
    if not isinstance(value, str) or not value.strip():
        raise RoutingDataError(f"{path}: {where}.{key}: a non-empty text is required")
    return value.strip()


def _address(path: Path, where: str, entry: dict) -> str | None:
    value = entry.get("emergency_contact")
    if value is None:
        return None
    if not isinstance(value, str) or "@" not in value or any(ch.isspace() for ch in value.strip()):
        raise RoutingDataError(f"{path}: {where}.emergency_contact: an e-mail address is required")
    return value.strip()


def _choice(path: Path, where: str, value, allowed) -> str:
    if value not in allowed:
        raise RoutingDataError(f"{path}: {where}: {value!r} is not one of {', '.join(allowed)}")
    return value


def _load_queues(path: Path) -> dict[str, Queue]:
    queues = {}
    for qid, entry in _read(path).items():
        queues[qid] = Queue(
            id=qid,
            **{key: _text(path, qid, entry, key) for key in ("name_ja", "name_en", "organisation", "contact")},
            kind=_choice(path, f"{qid}.kind", entry.get("kind"), KINDS),
            emergency_contact=_address(path, qid, entry),
        )
    for kind in KINDS:
        if not any(q.kind == kind for q in queues.values()):
            raise RoutingDataError(f"{path}: no queue serves route kind {kind!r}")
    return queues


def _load_programs(path: Path, queues: dict[str, Queue]) -> dict[str, Program]:
    fa_queues = [q.id for q in queues.values() if q.kind == "fa"]
    programs = {}
    for pid, entry in _read(path).items():
        aliases = entry.get("aliases") if isinstance(entry, dict) else None
        if not aliases or not all(isinstance(a, str) and a.strip() for a in aliases):
            raise RoutingDataError(f"{path}: {pid}.aliases: a list of non-empty names is required")
        programs[pid] = Program(
            id=pid,
            name_ja=_text(path, pid, entry, "name_ja"),
            name_en=_text(path, pid, entry, "name_en"),
            queue=_choice(path, f"{pid}.queue", entry.get("queue"), fa_queues),
            ministry=_choice(path, f"{pid}.ministry", entry.get("ministry"), MINISTRY_QUEUES),
            aliases=tuple(a.strip() for a in aliases),
        )
    return programs


def _compile(path: Path, where: str, pattern) -> re.Pattern:
    if not isinstance(pattern, str) or not pattern.strip():
        raise RoutingDataError(f"{path}: {where}: a non-empty pattern is required")
    try:
        return re.compile(normalise(pattern), re.IGNORECASE)
    except re.error as exc:
        raise RoutingDataError(f"{path}: {where}: invalid pattern {pattern!r}: {exc}") from exc


def _load_cues(path: Path, data: dict) -> dict[str, CueGroup]:
    groups = {}
    for name, entry in (data.get("cues") or {}).items():
        where = f"cues.{name}"
        patterns = entry.get("patterns") if isinstance(entry, dict) else None
        if not patterns:
            raise RoutingDataError(f"{path}: {where}.patterns: a list of patterns is required")
        boost = entry.get("boost") or {}
        for kind, weight in boost.items():
            _choice(path, f"{where}.boost", kind, KINDS)
            if not isinstance(weight, (int, float)):
                raise RoutingDataError(f"{path}: {where}.boost.{kind}: a number is required")
        groups[name] = CueGroup(
            name=name,
            label_ja=_text(path, where, entry, "label_ja"),
            label_en=_text(path, where, entry, "label_en"),
            patterns=tuple(_compile(path, f"{where}.patterns[{i}]", p) for i, p in enumerate(patterns)),
            boost={kind: float(weight) for kind, weight in boost.items()},
            needs_program=bool(entry.get("needs_program", False)),
        )
    for role in CUE_ROLES:
        if role not in groups:
            raise RoutingDataError(f"{path}: cues.{role}: this cue group is required")
    return groups


def _load_kinds(path: Path, data: dict, passage_ids: set[str]) -> dict[str, KindRule]:
    kinds = {}
    for kind in KINDS:
        entry = (data.get("kinds") or {}).get(kind)
        where = f"kinds.{kind}"
        if not isinstance(entry, dict):
            raise RoutingDataError(f"{path}: {where}: missing")
        cites = entry.get("cites") or []
        for cite in cites:
            if cite not in passage_ids:
                raise RoutingDataError(f"{path}: {where}.cites: {cite!r} is not a passage in the corpus")
        kinds[kind] = KindRule(kind, _text(path, where, entry, "summary_ja"), _text(path, where, entry, "summary_en"), tuple(cites))
    return kinds


def _load_neighbours(path: Path, data: dict) -> dict[str, float]:
    settings = data.get("neighbours") or {}
    for key in ("k", "temperature", "emergency_share", "uncued_share", "min_similarity"):
        if not isinstance(settings.get(key), (int, float)) or settings[key] < 0:
            raise RoutingDataError(f"{path}: neighbours.{key}: a non-negative number is required")
    return {key: float(value) for key, value in settings.items()}


def _load_prior(path: Path, data: dict) -> dict[str, float]:
    prior = data.get("prior") or {}
    for kind, weight in prior.items():
        _choice(path, "prior", kind, KINDS)
        if not isinstance(weight, (int, float)):
            raise RoutingDataError(f"{path}: prior.{kind}: a number is required")
    return {kind: float(prior.get(kind, 0.0)) for kind in KINDS}


def parse_label(path: Path, where: str, label: str, queues: dict[str, Queue]) -> tuple[str, str | None]:
    """`kind` or `kind:queue` (the notation of the evaluation files) → (kind, queue or None)."""
    kind, _, queue = label.partition(":")
    _choice(path, where, kind, KINDS)
    if queue:
        _choice(path, where, queue, [q.id for q in queues.values() if q.kind == kind])
    return kind, queue or None


def _load_examples(path: Path, queues: dict[str, Queue]) -> tuple[Example, ...]:
    examples: list[Example] = []
    for label, questions in _read(path).items():
        kind, queue = parse_label(path, label, label, queues)
        if not questions or not all(isinstance(q, str) and q.strip() for q in questions):
            raise RoutingDataError(f"{path}: {label}: a list of non-empty questions is required")
        examples.extend(Example(q.strip(), kind, queue, "examples.yaml") for q in questions)
    return tuple(examples)


def load_routing_data(routing_dir: Path, passage_ids: set[str]) -> RoutingData:
    """Everything in `routing_dir`, validated; `passage_ids` are the corpus ids citations must name."""
    queues = _load_queues(routing_dir / "queues.yaml")
    rules_path = routing_dir / "rules.yaml"
    rules = _read(rules_path)
    return RoutingData(
        queues=queues,
        programs=_load_programs(routing_dir / "programs.yaml", queues),
        cues=_load_cues(rules_path, rules),
        kinds=_load_kinds(rules_path, rules, passage_ids),
        neighbours=_load_neighbours(rules_path, rules),
        prior=_load_prior(rules_path, rules),
        examples=_load_examples(routing_dir / "examples.yaml", queues),
    )
