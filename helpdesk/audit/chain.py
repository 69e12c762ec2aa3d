"""The hash chain: how an event's hash is computed, and the walk that checks a whole log."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Iterable

GENESIS = "0" * 64  # prev_hash of the first event


def event_hash(
    *, seq, at, actor_id, actor_role, action, object_type, object_id, details, prev_hash
) -> str:
    """SHA-256 of a canonical JSON (sorted keys, no spaces, UTF-8) of the row and its predecessor's hash."""
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
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def row_hash(row, seq: int | None = None) -> str:
    """The hash `row` should carry (optionally as if it were at another `seq`)."""
    return event_hash(
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
    kind: str  # "edited" | "deleted" | "inserted"
    message: str


@dataclass(frozen=True)
class Report:
    count: int
    head: str
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(rows: Iterable) -> Report:
    """Walk the events in seq order and name every row that was edited, inserted or deleted.

    A row whose contents no longer match its hash was edited (or forged). A gap in seq means
    rows were deleted. A row that is intact but does not link to its predecessor was inserted
    (or its predecessor was rewritten together with its hash). When rows were inserted in the
    middle and the later ones renumbered, the later ones still verify at their original seq
    (found through prev_hash): they are reported once, as an insertion, not as edits.
    """
    problems: list[Problem] = []
    original_seq = {GENESIS: 0}  # stored hash -> the seq its row had when it was written
    prev_seq, prev_hash, shift, count = 0, GENESIS, 0, 0
    for row in rows:
        count += 1
        written_at = row.seq
        if row_hash(row) != row.hash:
            origin = original_seq.get(row.prev_hash)
            if origin is not None and row_hash(row, seq=origin + 1) == row.hash:
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
        original_seq[row.hash] = written_at
        prev_seq, prev_hash = row.seq, row.hash
    return Report(count=count, head=prev_hash, problems=problems)
