"""Tickets: questions a person must handle, routed by triage to a queue, with consent and an audit trail.

    from helpdesk.tickets import Ticket
    ticket.question, ticket.staff_replies, ticket.is_closed   # e.g. for an FAQ draft from a closed ticket
"""
from .errors import TicketError
from .models import ConsentRecord, Ticket, TicketEntry, TicketEvent, TicketNotification

__all__ = ["ConsentRecord", "Ticket", "TicketEntry", "TicketError", "TicketEvent", "TicketNotification"]
