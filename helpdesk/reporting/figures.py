"""The figures behind the dashboards, per ISO week in the desk's time zone, for one reader.

- tickets: tickets created per queue (the reader's visible queues, `visibility.staff_scope`);
- response_times: median hours from a ticket's creation to its first staff reply and to its
  resolution (answered, else closed), by the week the ticket was created;
- outcomes: the chat answers of the week answered, declined or handed over (a ticket followed),
  as shares; a chat answer belongs to the queue its route places it in (`tickets.routing`), so a
  reader sees the answers of their own queues only (the desk's include out-of-scope declines);
- feedback: the askers' ratings of those answers, helpful and not helpful.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from statistics import median
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from helpdesk.accounts import can_access
from helpdesk.answering.models import AnswerFeedback, Message
from helpdesk.extensions import db
from helpdesk.tickets.models import Ticket
from helpdesk.tickets.routing import placement_for
from helpdesk.tickets.visibility import staff_scope

CHARTS = ("tickets", "response_times", "outcomes", "feedback")
OUTCOMES = ("answered", "declined", "handed_over")
MAX_WEEKS = 52


@dataclass(frozen=True)
class Series:
    key: str  # a queue id, an outcome, a rating or a duration
    values: Sequence[float | None]  # one per week; None where there is nothing to measure


@dataclass(frozen=True)
class Chart:
    name: str  # one of CHARTS
    kind: str  # "bar" | "line"
    unit: str  # "count" | "hours" | "percent"
    weeks: list[str]  # ISO week labels, oldest first
    series: list[Series]  # drawn
    extra: list[Series] = field(default_factory=list)  # shown in the table and the CSV only

    @property
    def empty(self) -> bool:
        return not any(v for s in self.series for v in s.values)

    def rows(self) -> list[list]:
        """One row per week: the week, then every series' value (drawn first, then the extras)."""
        columns = self.series + self.extra
        return [[week, *(s.values[i] for s in columns)] for i, week in enumerate(self.weeks)]


def _week_starts(today: date, weeks: int) -> list[date]:
    monday = today - timedelta(days=today.weekday())
    return [monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def _label(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


class _Weeks:
    """Buckets stored moments (naive or aware UTC) into the ISO weeks of the desk's time zone."""

    def __init__(self, weeks: int, now: datetime):
        self.zone = ZoneInfo(current_app.config.get("HELPDESK_TIMEZONE") or "Asia/Tokyo")
        self.starts = _week_starts(now.astimezone(self.zone).date(), weeks)
        self.labels = [_label(d) for d in self.starts]
        first = datetime.combine(self.starts[0], datetime.min.time(), self.zone)
        self.since = first.astimezone(UTC).replace(tzinfo=None)  # naive UTC, as stored

    def index(self, moment: datetime) -> int | None:
        aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
        day = aware.astimezone(self.zone).date()
        position = (day - self.starts[0]).days // 7
        return position if 0 <= position < len(self.starts) else None


def _hours(start: datetime, end: datetime | None) -> float | None:
    return (end - start).total_seconds() / 3600 if end is not None else None


def _ticket_charts(user, weeks: _Weeks) -> tuple[Chart, Chart]:
    tickets = db.session.execute(
        select(Ticket.queue, Ticket.created_at, Ticket.first_response_at, Ticket.answered_at, Ticket.closed_at)
        .where(staff_scope(user), Ticket.created_at >= weeks.since)
    ).all()
    per_queue: dict[str, list[float]] = defaultdict(lambda: [0] * len(weeks.labels))
    first: list[list[float]] = [[] for _ in weeks.labels]
    resolved: list[list[float]] = [[] for _ in weeks.labels]
    for queue, created, first_response, answered, closed in tickets:
        i = weeks.index(created)
        if i is None:
            continue
        per_queue[queue][i] += 1
        for bucket, hours in ((first, _hours(created, first_response)), (resolved, _hours(created, answered or closed))):
            if hours is not None:
                bucket[i].append(hours)

    def medians(buckets):
        return [round(median(b), 1) if b else None for b in buckets]

    counts = Chart("tickets", "bar", "count", weeks.labels,
                   [Series(q, v) for q, v in sorted(per_queue.items())])
    times = Chart("response_times", "line", "hours", weeks.labels,
                  [Series("first_response", medians(first)), Series("resolution", medians(resolved))],
                  [Series("tickets", [float(len(b)) for b in first])])
    return counts, times


def _visible_answer(user, route: dict | None) -> bool:
    place = placement_for(route or {})
    return can_access(user, place.queue, programme_fa=place.programme_fa)


def _chat_charts(user, weeks: _Weeks) -> tuple[Chart, Chart]:
    answers = db.session.execute(
        select(Message.id, Message.route, Message.answerable, Message.created_at)
        .where(Message.role == "assistant", Message.created_at >= weeks.since)
    ).all()
    handed = set(db.session.scalars(select(Ticket.message_id).where(Ticket.message_id.is_not(None),
                                                                    Ticket.created_at >= weeks.since)))
    ratings = dict(db.session.execute(
        select(AnswerFeedback.message_id, AnswerFeedback.helpful).join(Message)
        .where(Message.created_at >= weeks.since)
    ).all())
    outcomes = {o: [0] * len(weeks.labels) for o in OUTCOMES}
    feedback = {r: [0] * len(weeks.labels) for r in ("helpful", "unhelpful")}
    for message_id, route, answerable, created in answers:
        i = weeks.index(created)
        if i is None or not _visible_answer(user, route):
            continue
        outcome = "handed_over" if message_id in handed else "answered" if answerable else "declined"
        outcomes[outcome][i] += 1
        if message_id in ratings:
            feedback["helpful" if ratings[message_id] else "unhelpful"][i] += 1
    totals = [sum(outcomes[o][i] for o in OUTCOMES) for i in range(len(weeks.labels))]
    shares = [Series(o, [round(100 * n / t, 1) if t else None for n, t in zip(outcomes[o], totals, strict=False)])
              for o in OUTCOMES]
    counts = [Series(f"{o}_count", [float(n) for n in outcomes[o]]) for o in OUTCOMES]
    return (Chart("outcomes", "line", "percent", weeks.labels, shares, counts),
            Chart("feedback", "bar", "count", weeks.labels,
                  [Series(r, [float(n) for n in v]) for r, v in feedback.items()]))


def dashboard(user, weeks: int = 12, now: datetime | None = None) -> dict[str, Chart]:
    """The four charts (CHARTS) of the last `weeks` ISO weeks (this one included) as `user` may see them."""
    if not 1 <= weeks <= MAX_WEEKS:
        raise ValueError(f"weeks must be between 1 and {MAX_WEEKS}")
    buckets = _Weeks(weeks, now or datetime.now(UTC))
    tickets, times = _ticket_charts(user, buckets)
    outcomes, feedback = _chat_charts(user, buckets)
    return {"tickets": tickets, "response_times": times, "outcomes": outcomes, "feedback": feedback}
