"""Filtering the audit log (admin page and CSV export share one filter)."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from sqlalchemy import Select, select

from .models import AuditEvent


@dataclass(frozen=True)
class AuditFilter:
    action: str | None = None  # exact, or a prefix ending in "." such as "auth."
    actor_id: int | None = None
    object_type: str | None = None
    object_id: str | None = None
    date_from: date | None = None  # inclusive, a day in `zone`
    date_to: date | None = None  # inclusive, a day in `zone`
    zone: tzinfo = UTC  # the reader's days: the page shows times in the desk's zone, so it filters by its days

    def used(self) -> list[str]:
        return sorted(name for name, value in asdict(self).items() if value not in (None, "") and name != "zone")

    def day_start(self, day: date) -> datetime:
        """The stored (naive UTC) time at which `day` begins in the reader's zone."""
        return datetime.combine(day, time.min, self.zone).astimezone(UTC).replace(tzinfo=None)

    def statement(self) -> Select:
        stmt = select(AuditEvent).order_by(AuditEvent.seq.desc())
        if self.action:
            if self.action.endswith("."):
                stmt = stmt.where(AuditEvent.action.startswith(self.action, autoescape=True))
            else:
                stmt = stmt.where(AuditEvent.action == self.action)
        if self.actor_id is not None:
            stmt = stmt.where(AuditEvent.actor_id == self.actor_id)
        if self.object_type:
            stmt = stmt.where(AuditEvent.object_type == self.object_type)
        if self.object_id:
            stmt = stmt.where(AuditEvent.object_id == self.object_id)
        if self.date_from:
            stmt = stmt.where(AuditEvent.at >= self.day_start(self.date_from))
        if self.date_to:
            stmt = stmt.where(AuditEvent.at < self.day_start(self.date_to + timedelta(days=1)))
        return stmt
