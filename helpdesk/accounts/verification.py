"""E-mail verification: signed, expiring links, and the two messages an address's owner is sent.

A link carries the account id and the address it was issued for, signed with SECRET_KEY
(itsdangerous); it stops working after HELPDESK_VERIFY_LINK_HOURS, or once the address changes.

Delivery goes through `send_verification` and `send_already_registered` only. Until the helpdesk
sends mail they log the message at INFO, which is how a developer follows the link locally.
"""
from __future__ import annotations

import logging

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from helpdesk.extensions import db

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


def send_verification(user: User, link: str) -> None:
    """Send `user` the link that verifies their address."""
    log.info("e-mail verification for user %s: %s", user.id, link)


def send_already_registered(user: User, login_link: str) -> None:
    """Tell the owner of an existing account that someone tried to register their address again.

    Registration answers the same either way, so this message is how the owner learns of it.
    """
    log.info("registration attempted for the existing account of user %s; log in at %s", user.id, login_link)
