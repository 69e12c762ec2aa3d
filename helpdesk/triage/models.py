"""Routing examples learnt from staff: each reroute of a ticket teaches the classifier."""
from __future__ import annotations

from datetime import UTC, datetime

from ..extensions import db


def _now() -> datetime:
    return datetime.now(UTC)


class RoutingExample(db.Model):
    __tablename__ = "routing_example"

    id = db.Column(db.Integer, primary_key=True)
    question = db.Column(db.Text, nullable=False)
    kind = db.Column(db.String(20), nullable=False)
    queue = db.Column(db.String(20), nullable=False)
    source = db.Column(db.String(20), nullable=False, default="reroute")
    created_by = db.Column(db.Integer, nullable=True)  # user_account.id of the staff member; None for system
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=_now)
