"""E-mail verification: signed, expiring links, and the two messages an address's owner is sent.

A link carries the account id and the address it was issued for, signed with SECRET_KEY
(itsdangerous); it stops working after HELPDESK_VERIFY_LINK_HOURS, or once the address changes.

Delivery goes through `send_verification` and `send_already_registered` only: each queues a mail in
the outbox (helpdesk.mail) and commits it. Without an SMTP server (development) the link is also logged
at INFO, which is how a developer follows it locally; with one, links never reach the log.
"""
from __future__ import annotations

import logging

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from helpdesk.extensions import db
from helpdesk.i18n import _l
from helpdesk.mail import enqueue_in

from .models import User

log = logging.getLogger(__name__)
SALT = "helpdesk-email-verification"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token_for(user: User) -> str:
    return _serializer().dumps({"user": user.id, "email": user.email})


def user_for(token: str) -> User | None:
    """The account a valid, unexpired token was issued for (and whose address is unchanged), else None."""
    max_age = current_app.config["HELPDESK_VERIFY_LINK_HOURS"] * 3600
    try:
        data = _serializer().loads(token, max_age=max_age)
    except BadSignature:  # also SignatureExpired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("user"), int):
        return None
    user = db.session.get(User, data["user"])
    return user if user is not None and user.email == data.get("email") else None


MAILS = {
    "account.verify": (_l("[Research Security Helpdesk] Confirm your e-mail address"),
                       _l("Thank you for registering with the Research Security Helpdesk.\nOpen this link to confirm "
                          "your e-mail address (valid for {hours} hours):\n\n{link}\n\nIf you did not register, you "
                          "can ignore this message.")),
    "account.exists": (_l("[Research Security Helpdesk] You already have an account"),
                       _l("Someone asked to register this e-mail address, but it already has an account.\nLog in "
                          "here:\n\n{link}\n\nIf this was not you, you can ignore this message.")),
}


LOG_LINES = {
    "account.verify": "e-mail verification for user %s: %s",
    "account.exists": "registration attempted for the existing account of user %s; log in at %s",
}


def _send(user: User, kind: str, link: str) -> None:
    subject, body = MAILS[kind]
    enqueue_in(user.lang, user.email, subject, body, kind=kind, link=link,
               hours=current_app.config["HELPDESK_VERIFY_LINK_HOURS"])
    db.session.commit()
    if not current_app.config.get("HELPDESK_SMTP_URL"):
        log.info(LOG_LINES[kind], user.id, link)


def send_verification(user: User, link: str) -> None:
    """Send `user` the link that verifies their address."""
    _send(user, "account.verify", link)


def send_already_registered(user: User, login_link: str) -> None:
    """Tell the owner of an existing account that someone tried to register their address again.

    Registration answers the same either way, so this message is how the owner learns of it.
    """
    _send(user, "account.exists", login_link)
