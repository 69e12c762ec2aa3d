"""Gauges read from the database when Prometheus scrapes: they are the same for every worker, so
reading them at scrape time is both exact and free of multi-process bookkeeping."""
from __future__ import annotations

from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import func, select

from helpdesk.curation import index_state
from helpdesk.extensions import db
from helpdesk.mail import OutboxMessage
from helpdesk.tickets.models import Ticket


class DatabaseGauges:
    def collect(self):
        tickets = GaugeMetricFamily("helpdesk_tickets", "Tickets by queue and status", labels=["queue", "status"])
        rows = db.session.execute(select(Ticket.queue, Ticket.status, func.count()).group_by(Ticket.queue, Ticket.status))
        for queue, status, count in rows:
            tickets.add_metric([queue, status], count)
        yield tickets
        outbox = GaugeMetricFamily("helpdesk_mail_outbox", "Mail outbox messages by status (pending and failed: "
                                   "not delivered yet)", labels=["status"])
        for status, count in db.session.execute(select(OutboxMessage.status, func.count())
                                                .group_by(OutboxMessage.status)):
            outbox.add_metric([status], count)
        yield outbox
        _epoch, version = index_state.current()
        yield GaugeMetricFamily("helpdesk_index_version", "Shared search-index version (desk FAQ publications)",
                                value=version)
