"""Request and response schemas of the tickets API (helpdesk.web.api.tickets)."""
from __future__ import annotations

import marshmallow as ma

from helpdesk.tickets import TicketError, consent
from helpdesk.tickets.models import NOTIFY_MODES, STATUSES

from .blueprint import RequestSchema, StrictBoolean

_AT = {"format": "date-time", "description": "UTC, ISO 8601"}


class ListArgs(RequestSchema):
    status = ma.fields.String(validate=ma.validate.OneOf(STATUSES), metadata={"description": "only this status"})
    queue = ma.fields.String(metadata={"description": "only this queue (narrows what the caller sees, never widens)"})
    field_errors = {"status": lambda: TicketError("bad_status", statuses=", ".join(STATUSES))}

    @ma.pre_load
    def _blank_is_absent(self, data, **_kwargs):
        return {name: value for name, value in data.items() if value != ""}


class ConsentGiven(RequestSchema):
    agree = StrictBoolean(required=True, metadata={"description": "consent (同意): must be true"})
    declare = StrictBoolean(required=True, metadata={"description": "declaration (宣誓): must be true"})
    version = ma.fields.String(allow_none=True, metadata={"description": "the version GET /api/v1/consent showed",
                                                        "example": consent.VERSION})
    lang = ma.fields.String(allow_none=True, metadata={"description": "the language the wording was read in"})


class CreateTicketBody(RequestSchema):
    question = ma.fields.String(allow_none=True, metadata={
        "description": "the question to send; omitted: the handed-over chat question"})
    consent = ma.fields.Nested(ConsentGiven, required=True)
    conversation_id = ma.fields.String(allow_none=True, metadata={"description": "the chat conversation handed over"})
    message_id = ma.fields.Integer(strict=True, allow_none=True, metadata={
        "description": "the answer handed over (`message_id` of POST /api/v1/ask); one ticket per message"})
    notify = ma.fields.String(allow_none=True, metadata={
        "description": f"mails to the requester: {' or '.join(NOTIFY_MODES)} (anything else: link)"})
    field_errors = {"question": lambda: TicketError("empty"), "consent": lambda: TicketError("consent_required"),
                    "conversation_id": lambda: TicketError("message"), "message_id": lambda: TicketError("message")}
    shape = '{"question": "...", "consent": {...}}'


class ReplyBody(RequestSchema):
    body = ma.fields.String(allow_none=True, metadata={"description": "staff: a reply; the requester: a follow-up"})
    field_errors = {"body": lambda: TicketError("empty")}
    shape = '{"body": "..."}'


class TicketSummary(ma.Schema):
    ref = ma.fields.String(required=True, metadata={"example": "RS-23456789AB"})
    status = ma.fields.String(required=True, metadata={"description": " | ".join(STATUSES)})
    priority = ma.fields.String(required=True)
    queue = ma.fields.String(required=True)
    question = ma.fields.String(required=True)
    created_at = ma.fields.String(required=True, allow_none=True, metadata=_AT)
    updated_at = ma.fields.String(required=True, allow_none=True, metadata=_AT)


class TicketList(ma.Schema):
    tickets = ma.fields.List(ma.fields.Nested(TicketSummary), required=True)
    count = ma.fields.Integer(required=True)


class TicketRoute(ma.Schema):
    kind = ma.fields.String(required=True)
    queue = ma.fields.String(required=True)
    reason = ma.fields.String(required=True, allow_none=True)
    cites = ma.fields.List(ma.fields.String(), required=True, allow_none=True)
    program = ma.fields.String(required=True, allow_none=True)


class Entry(ma.Schema):
    id = ma.fields.Integer(required=True)
    kind = ma.fields.String(required=True, metadata={"description": "reply, followup or note"})
    body = ma.fields.String(required=True)
    created_at = ma.fields.String(required=True, allow_none=True, metadata=_AT)
    from_ = ma.fields.String(required=True, data_key="from", attribute="from", metadata={
        "description": "requester or staff"})


class HistoryItem(ma.Schema):
    kind = ma.fields.String(required=True, metadata={"description": "created, status or rerouted"})
    from_ = ma.fields.String(required=True, allow_none=True, data_key="from", attribute="from")
    to = ma.fields.String(required=True, allow_none=True)
    reason = ma.fields.String(required=True, allow_none=True)
    at = ma.fields.String(required=True, allow_none=True, metadata=_AT)


class TicketDetail(TicketSummary):
    """The requester's view; staff also get `notes`, `programme_fa`, `notified`, `conversation_id`, `history`."""

    route = ma.fields.Nested(TicketRoute, required=True)
    messages = ma.fields.List(ma.fields.Nested(Entry), required=True)
    first_response_at = ma.fields.String(required=True, allow_none=True, metadata=_AT)
    answered_at = ma.fields.String(required=True, allow_none=True, metadata=_AT)
    closed_at = ma.fields.String(required=True, allow_none=True, metadata=_AT)
    notes = ma.fields.List(ma.fields.Nested(Entry), metadata={"description": "staff only: internal notes"})
    programme_fa = ma.fields.String(allow_none=True, metadata={"description": "staff only"})
    notified = ma.fields.List(ma.fields.String(), metadata={"description": "staff only: queues alerted"})
    conversation_id = ma.fields.String(allow_none=True, metadata={"description": "staff only"})
    history = ma.fields.List(ma.fields.Nested(HistoryItem), metadata={"description": "staff only"})


class EntryRef(ma.Schema):
    id = ma.fields.Integer(required=True)
    kind = ma.fields.String(required=True)


class ReplyAdded(ma.Schema):
    ticket = ma.fields.String(required=True, metadata={"description": "the ticket's ref"})
    status = ma.fields.String(required=True, metadata={"description": "the ticket's status after the entry"})
    entry = ma.fields.Nested(EntryRef, required=True)


class ConsentWording(ma.Schema):
    agree = ma.fields.List(ma.fields.String(), required=True)
    declare = ma.fields.List(ma.fields.String(), required=True)
    note = ma.fields.String(required=True)


class ConsentText(ma.Schema):
    version = ma.fields.String(required=True, metadata={"example": consent.VERSION})
    text_hash = ma.fields.String(required=True, metadata={"description": "SHA-256 of the version and wording"})
    text = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Nested(ConsentWording), required=True,
                          metadata={"description": "the wording by language (ja, en)"})
