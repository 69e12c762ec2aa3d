"""The hash chain: how an event's hash is computed, and the walk that checks a whole log.

Each event's hash is an HMAC-SHA256, under a key kept outside the database, of the event and its
predecessor's hash: whoever can write to the database but lacks the key cannot recompute the chain
after editing, inserting or appending rows. Chains begun before the key existed carry plain SHA-256
hashes up to the `audit.keyed` event (KEYED_ACTION) that the first keyed append writes; that event's
HMAC covers the last plain hash, so the older rows cannot be rewritten either. Deleting the newest
rows leaves a valid chain behind: anchors of the head kept outside the database
(`helpdesk.audit.anchors`) show that.
"""
from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

GENESIS = "0" * 64  # prev_hash of the first event
KEYED_ACTION = "audit.keyed"  # first keyed event of a chain begun with plain SHA-256 hashes


def event_hash(
    key: bytes | None, *, seq, at, actor_id, actor_role, action, object_type, object_id, details, prev_hash
) -> str:
    """HMAC-SHA256 under `key` (None: the plain SHA-256 of chains written before keying) of a canonical
    JSON (sorted keys, no spaces, UTF-8) of the row and its predecessor's hash."""
    canonical = json.dumps(
        {
            "seq": seq,
            "at": at.isoformat(timespec="microseconds"),
            "actor_id": actor_id,
            "actor_role": actor_role,
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "details": details,
            "prev_hash": prev_hash,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode("utf-8")
    if key is None:
        return hashlib.sha256(canonical).hexdigest()
    return hmac.new(key, canonical, hashlib.sha256).hexdigest()


def row_hash(row, key: bytes | None, seq: int | None = None) -> str:
    """The hash `row` should carry under `key` (optionally as if it were at another `seq`)."""
    return event_hash(
        key,
        seq=row.seq if seq is None else seq,
        at=row.at,
        actor_id=row.actor_id,
        actor_role=row.actor_role,
        action=row.action,
        object_type=row.object_type,
        object_id=row.object_id,
        details=row.details,
        prev_hash=row.prev_hash,
    )


@dataclass(frozen=True)
class Problem:
    seq: int
    kind: str  # "edited" | "deleted" | "inserted" | "rewritten" | "truncated" | "anchor"
    message: str


@dataclass(frozen=True)
class Report:
    count: int
    head: str
    problems: list[Problem]
    last_seq: int = 0
    anchors: int = 0  # anchors checked
    legacy: int = 0  # events before the chain was keyed (plain SHA-256)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Expected:
    """What verification holds the chain to, besides its own links: the key and the anchored heads."""
    key: bytes
    keyed_from: int | None = None  # seq of the first `audit.keyed` event; rows before it are plain SHA-256
    heads: dict[int, tuple[str, str]] = field(default_factory=dict)  # anchored seq -> (head hash, anchored at)
    bad_anchors: tuple[int, ...] = ()  # line numbers of anchor lines not signed with the key


def verify(rows: Iterable, expected: Expected | None = None) -> Report:
    """Walk the events in seq order and name every row that was edited, inserted or deleted, and every
    anchored head that the chain no longer carries (rewritten) or no longer reaches (truncated).

    `expected` defaults to the current app's (`helpdesk.audit.anchors.expected()`: key, keying event, anchors).

    A row whose contents no longer match its hash was edited (or forged). A gap in seq means
    rows were deleted. A row that is intact but does not link to its predecessor was inserted
    (or its predecessor was rewritten together with its hash). When rows were inserted in the
    middle and the later ones renumbered, the later ones still verify at their original seq
    (found through prev_hash): they are reported once, as an insertion, not as edits.
    """
    if expected is None:
        from .anchors import expected as app_expected  # needs an app context

        expected = app_expected()
    problems: list[Problem] = []
    original_seq = {GENESIS: 0}  # stored hash -> the seq its row had when it was written
    prev_seq, prev_hash, shift, count = 0, GENESIS, 0, 0
    legacy = 0
    for row in rows:
        count += 1
        written_at = row.seq
        key: bytes | None = expected.key
        if expected.keyed_from is not None and row.seq < expected.keyed_from:
            key, legacy = None, legacy + 1
        if row_hash(row, key) != row.hash:
            origin = original_seq.get(row.prev_hash)
            if origin is not None and row_hash(row, key, seq=origin + 1) == row.hash:
                written_at = origin + 1
                if row.seq - written_at != shift:
                    first = origin + 1 + shift  # the row after `origin`, at its current position
                    problems.append(Problem(first, "inserted",
                                            f"seq {first}..{row.seq - 1}: inserted (later rows renumbered)"))
                    shift = row.seq - written_at
            else:
                problems.append(Problem(row.seq, "edited",
                                        f"seq {row.seq}: edited or forged (contents do not match its hash)"))
        elif row.seq > prev_seq + 1:
            problems.append(Problem(prev_seq + 1, "deleted",
                                    f"seq {prev_seq + 1}..{row.seq - 1}: deleted (gap in the chain)"))
        elif row.prev_hash != prev_hash:
            problems.append(Problem(row.seq, "inserted",
                                    f"seq {row.seq}: inserted, or seq {prev_seq} rewritten with a new hash "
                                    f"(does not link to seq {prev_seq})"))
        anchored = expected.heads.get(row.seq)
        if anchored is not None and anchored[0] != row.hash:
            problems.append(Problem(row.seq, "rewritten", f"seq {row.seq}: rewritten (not the head anchored at "
                                                          f"{anchored[1]}: the chain was recomputed)"))
        original_seq[row.hash] = written_at
        prev_seq, prev_hash = row.seq, row.hash
    beyond = max((s for s in expected.heads if s > prev_seq), default=None)
    if beyond is not None:
        problems.append(Problem(beyond, "truncated", f"seq {prev_seq + 1}..{beyond}: deleted (the chain ends at "
                                                     f"seq {prev_seq}; its head at seq {beyond} was anchored at "
                                                     f"{expected.heads[beyond][1]})"))
    for line in expected.bad_anchors:
        problems.append(Problem(0, "anchor", f"anchor file line {line}: not signed with the audit key "
                                             "(forged or damaged)"))
    return Report(count=count, head=prev_hash, problems=problems, last_seq=prev_seq,
                  anchors=len(expected.heads), legacy=legacy)
