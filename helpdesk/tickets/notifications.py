"""Who is mailed when, in their language, queued in the transaction of the ticket change (helpdesk.mail).

- a new (or rerouted) ticket: the active staff who can see it in their queue;
- an emergency, besides: the emergency contacts of the alerted queues (the programme's FA and the
  Cabinet Office: `emergency_contact` in routing/queues.yaml, or HELPDESK_EMERGENCY_CONTACT_<QUEUE>),
  and the reporter of a no-login report a receipt with the link that claims it;
- a staff reply: the requester, with a link; the reply's text only if they chose so (`notify_mode`).

Staff and contact mails carry the reference, queue and priority, never the question: the case is
read on the site behind login. Mail texts are catalogue messages (helpdesk.i18n), written in the
recipient's language.
"""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from helpdesk.accounts import can_access
from helpdesk.accounts.models import User
from helpdesk.accounts.roles import STAFF_ROLES
from helpdesk.extensions import db
from helpdesk.i18n import _l, gettext_in
from helpdesk.mail import enqueue_in
from helpdesk.triage.classifier import current_routing

from . import claims
from .lifecycle import status_label
from .models import Ticket, TicketEntry
from .routing import queue_name

SITE = _l("Research Security Helpdesk")
SUBJECT = {
    "new": _l("[{site}] New ticket {ref} ({queue})"),
    "urgent": _l("[{site}] URGENT: emergency reported {ref}"),
    "receipt": _l("[{site}] Your emergency report {ref}"),
    "reply": _l("[{site}] A reply to your ticket {ref}"),
}
BODY = {
    "new": _l("A new ticket has arrived in the queue {queue}.\n\nReference: {ref}\nPriority: {priority}\n\nLog in to "
              "the helpdesk to read it (it is not copied into e-mail):\n{link}\n"),
    "urgent": _l("A report of a possible emergency (such as a leak of important technology) has been received. Under "
                 "the guideline's emergency contact arrangements you are told at once.\n\nReference: {ref}\nAlerted: "
                 "{alerted}\n\nRead it on the helpdesk site (it is not copied into e-mail):\n{link}\n"),
    "receipt": _l("Your emergency report was received, and the desk, the funding agency and the Cabinet Office were "
                  "alerted at once. A person will contact you.\n\nReference: {ref}\n\nTo follow the ticket on the "
                  "site, log in (or register) and open this link; it confirms this address and adds the ticket to "
                  "your account:\n{link}\n\nIf you did not send this report, please ignore this mail.\n"),
    "reply": _l("Staff ({queue}) replied to your ticket {ref}. Status: {status}\n\n{content}Read the reply here (you "
                "will need to log in):\n{link}\n"),
}
REPLY_CONTENT = _l("---- Reply ----\n{body}\n---------------\n\n")
PRIORITY = {"urgent": _l("urgent"), "normal": _l("normal")}


def _mail(lang: str, to: str, what: str, *, kind: str, ticket: Ticket, **values) -> None:
    enqueue_in(lang, to, SUBJECT[what], BODY[what], kind=kind, ticket_ref=ticket.ref, site=SITE, ref=ticket.ref,
               **values)


def ticket_created(ticket: Ticket, *, rerouted: bool = False) -> None:
    """Mail the staff of the ticket's queue; for an emergency also the contacts (and the reporter)."""
    base = current_app.config["HELPDESK_BASE_URL"]
    link = f"{base}/staff/tickets/{ticket.ref}"
    urgent = ticket.priority == "urgent"
    kind = "urgent" if urgent else "new"
    for user in staff_of(ticket):
        lang = user.lang or "ja"
        _send(user.email, kind, lang, ticket, link=link)
    if not urgent:
        return
    for address in emergency_contacts(ticket):
        _send(address, "urgent", "ja", ticket, link=link, mail_kind="emergency.alert")
    if not rerouted and ticket.owner_id is None and ticket.contact_email:
        _mail(ticket.notify_lang, ticket.contact_email, "receipt", kind="emergency.receipt", ticket=ticket,
              link=claims.link_for(ticket))


def staff_replied(ticket: Ticket, entry: TicketEntry) -> None:
    """Tell the requester; an unclaimed emergency report's reporter gets the claim link."""
    owner = db.session.get(User, ticket.owner_id) if ticket.owner_id else None
    address = owner.email if owner else ticket.contact_email
    if not address:
        return  # reported by phone only: staff call back
    lang = (owner.lang if owner and owner.lang else None) or ticket.notify_lang
    base = current_app.config["HELPDESK_BASE_URL"]
    link = f"{base}/tickets/{ticket.ref}" if owner else claims.link_for(ticket)
    content = gettext_in(lang, REPLY_CONTENT, body=entry.body) if ticket.notify_mode == "full" and owner else ""
    _mail(lang, address, "reply", kind="ticket.reply", ticket=ticket, queue=queue_name(ticket.queue, lang),
          status=status_label(ticket.status, lang), content=content, link=link)


def staff_of(ticket: Ticket) -> list[User]:
    """Active agents (not admins, who see everything) whose queues hold this ticket."""
    agents = db.session.scalars(select(User).where(User.role.in_(STAFF_ROLES), User.active.is_(True))
                                .order_by(User.id))
    return [u for u in agents if can_access(u, ticket.queue, programme_fa=ticket.programme_fa)]


def emergency_contacts(ticket: Ticket) -> list[str]:
    configured = current_app.config.get("HELPDESK_EMERGENCY_CONTACTS") or {}
    queues = current_routing().data.queues
    addresses = []
    for notification in ticket.notifications:
        entry = queues.get(notification.queue)
        address = configured.get(notification.queue) or (entry.emergency_contact if entry else None)
        if address and address not in addresses:
            addresses.append(address)
    return addresses


def _send(address: str, kind: str, lang: str, ticket: Ticket, *, link: str, mail_kind: str | None = None) -> None:
    alerted = ", ".join(queue_name(n.queue, lang) for n in ticket.notifications)
    _mail(lang, address, kind, kind=mail_kind or f"ticket.{kind}", ticket=ticket, queue=queue_name(ticket.queue, lang),
          link=link, priority=PRIORITY[ticket.priority], alerted=alerted)
