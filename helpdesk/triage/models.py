"""Routing examples learnt from staff: each reroute of a ticket teaches the classifier."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model


def _now() -> datetime:
    return datetime.now(UTC)


class RoutingExample(Model):
    __tablename__ = "routing_example"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    question: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))
    queue: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(20), default="reroute")
    created_by: Mapped[int | None] = mapped_column(Integer)  # user_account.id of the staff member; None for system
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
