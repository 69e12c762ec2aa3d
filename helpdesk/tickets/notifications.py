"""Who is mailed when, in their language, queued in the transaction of the ticket change (helpdesk.mail).

- a new (or rerouted) ticket: the active staff who can see it in their queue;
- an emergency, besides: the emergency contacts of the alerted queues (the programme's FA and the
  Cabinet Office: `emergency_contact` in routing/queues.yaml, or HELPDESK_EMERGENCY_CONTACT_<QUEUE>),
  and the reporter of a no-login report a receipt with the link that claims it;
- a staff reply: the requester, with a link; the reply's text only if they chose so (`notify_mode`).

Staff and contact mails carry the reference, queue and priority, never the question: the case is
read on the site behind login. Mail texts live here (ja and en side by side).
"""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from helpdesk.accounts import can_access
from helpdesk.accounts.models import User
from helpdesk.accounts.roles import STAFF_ROLES
from helpdesk.extensions import db
from helpdesk.mail import enqueue
from helpdesk.triage.classifier import current_routing

from . import claims
from .lifecycle import status_label
from .models import Ticket, TicketEntry
from .routing import queue_name

SITE = {"ja": "研究セキュリティ相談窓口", "en": "Research Security Helpdesk"}
TEXT = {
    "new.subject": {"ja": "[{site}] 新しい相談 {ref}（{queue}）", "en": "[{site}] New ticket {ref} ({queue})"},
    "urgent.subject": {"ja": "[{site}] 【緊急】緊急事態の報告 {ref}", "en": "[{site}] URGENT: emergency reported {ref}"},
    "new.body": {
        "ja": "{queue} のキューに新しい相談が届きました。\n\n受付番号: {ref}\n優先度: {priority}\n\n"
              "内容は窓口のサイトにログインして確認してください（メールには記載しません）:\n{link}\n",
        "en": "A new ticket has arrived in the queue {queue}.\n\nReference: {ref}\nPriority: {priority}\n\n"
              "Log in to the helpdesk to read it (it is not copied into e-mail):\n{link}\n",
    },
    "urgent.body": {
        "ja": "重要技術の流出等の緊急事態の可能性がある報告を受け付けました。手順書の「緊急事態が発生した際の"
              "連絡・対応体制」に基づき、直ちにお知らせします。\n\n受付番号: {ref}\n連絡を受けた機関: {alerted}\n\n"
              "内容は窓口のサイトで確認してください（メールには記載しません）:\n{link}\n",
        "en": "A report of a possible emergency (such as a leak of important technology) has been received. "
              "Under the guideline's emergency contact arrangements you are told at once.\n\nReference: {ref}\n"
              "Alerted: {alerted}\n\nRead it on the helpdesk site (it is not copied into e-mail):\n{link}\n",
    },
    "receipt.subject": {"ja": "[{site}] 緊急の報告を受け付けました {ref}", "en": "[{site}] Your emergency report {ref}"},
    "receipt.body": {
        "ja": "緊急の報告を受け付け、相談窓口・資金配分機関・内閣府に直ちに連絡しました。担当者からご連絡します。\n\n"
              "受付番号: {ref}\n\nこの相談の回答をサイトで確認するには、ログイン（またはアカウント登録）のうえ"
              "次のリンクを開いてください。このメールアドレスを確認し、相談をあなたのアカウントに追加します:\n{link}\n\n"
              "お心当たりのない場合は、このメールを破棄してください。\n",
        "en": "Your emergency report was received, and the desk, the funding agency and the Cabinet Office were "
              "alerted at once. A person will contact you.\n\nReference: {ref}\n\nTo follow the ticket on the site, "
              "log in (or register) and open this link; it confirms this address and adds the ticket to your "
              "account:\n{link}\n\nIf you did not send this report, please ignore this mail.\n",
    },
    "reply.subject": {"ja": "[{site}] 相談 {ref} に回答がありました", "en": "[{site}] A reply to your ticket {ref}"},
    "reply.body": {
        "ja": "相談 {ref} に担当者（{queue}）から回答がありました。状態: {status}\n\n{content}回答は次のリンクから確認"
              "できます（ログインが必要です）:\n{link}\n",
        "en": "Staff ({queue}) replied to your ticket {ref}. Status: {status}\n\n{content}Read the reply here "
              "(you will need to log in):\n{link}\n",
    },
    "reply.content": {"ja": "---- 回答 ----\n{body}\n--------------\n\n", "en": "---- Reply ----\n{body}\n---------------\n\n"},
    "priority.urgent": {"ja": "緊急", "en": "urgent"},
    "priority.normal": {"ja": "通常", "en": "normal"},
}


def text(key: str, lang: str, **values) -> str:
    return TEXT[key][lang if lang in ("ja", "en") else "ja"].format(site=SITE.get(lang, SITE["ja"]), **values)


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
        enqueue(ticket.contact_email, text("receipt.subject", ticket.notify_lang, ref=ticket.ref),
                text("receipt.body", ticket.notify_lang, ref=ticket.ref, link=claims.link_for(ticket)),
                lang=ticket.notify_lang, kind="emergency.receipt", ticket_ref=ticket.ref)


def staff_replied(ticket: Ticket, entry: TicketEntry) -> None:
    """Tell the requester; an unclaimed emergency report's reporter gets the claim link."""
    owner = db.session.get(User, ticket.owner_id) if ticket.owner_id else None
    address = owner.email if owner else ticket.contact_email
    if not address:
        return  # reported by phone only: staff call back
    lang = (owner.lang if owner and owner.lang else None) or ticket.notify_lang
    base = current_app.config["HELPDESK_BASE_URL"]
    link = f"{base}/tickets/{ticket.ref}" if owner else claims.link_for(ticket)
    content = text("reply.content", lang, body=entry.body) if ticket.notify_mode == "full" and owner else ""
    enqueue(address, text("reply.subject", lang, ref=ticket.ref),
            text("reply.body", lang, ref=ticket.ref, queue=queue_name(ticket.queue, lang),
                 status=status_label(ticket.status, lang), content=content, link=link),
            lang=lang, kind="ticket.reply", ticket_ref=ticket.ref)


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
    enqueue(address, text(f"{kind}.subject", lang, ref=ticket.ref, queue=queue_name(ticket.queue, lang)),
            text(f"{kind}.body", lang, ref=ticket.ref, queue=queue_name(ticket.queue, lang), link=link,
                 priority=text(f"priority.{ticket.priority}", lang), alerted=alerted),
            lang=lang, kind=mail_kind or f"ticket.{kind}", ticket_ref=ticket.ref)
