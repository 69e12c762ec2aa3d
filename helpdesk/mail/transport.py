"""Building a message (the standard library's `email`) and handing it to SMTP (`smtplib`), or, with no
SMTP server configured, to a file in `instance/outbox/` and the log (development: never silently dropped).

`HELPDESK_SMTP_URL`: `smtp://user:pass@host:587?starttls=1`, `smtps://user:pass@host:465` or `smtp://host:25`
(user and password percent-encoded; `timeout=` seconds, default 10).
"""
from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

log = logging.getLogger(__name__)


class MailConfigError(ValueError):
    """HELPDESK_SMTP_URL or HELPDESK_MAIL_FROM cannot be used; the message says why."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    ssl: bool
    starttls: bool
    username: str | None
    password: str | None
    timeout: float


def smtp_settings(url: str | None) -> SmtpSettings | None:
    """The SMTP server of `url`; None when no server is configured (development)."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise MailConfigError("HELPDESK_SMTP_URL must look like smtp://user:pass@host:587?starttls=1 or smtps://host:465")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    secure = parts.scheme == "smtps"
    try:
        port = parts.port or (465 if secure else 25)
        timeout = float(query.get("timeout", "10"))
    except ValueError as error:
        raise MailConfigError(f"HELPDESK_SMTP_URL: {error}") from None
    return SmtpSettings(
        host=parts.hostname, port=port, ssl=secure,
        starttls=query.get("starttls", "0").lower() in ("1", "true", "yes", "on"),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        timeout=timeout,
    )


def build(sender: str, recipient: str, subject: str, body_text: str, lang: str) -> EmailMessage:
    if "@" not in parseaddr(sender)[1]:
        raise MailConfigError("HELPDESK_MAIL_FROM must be an e-mail address, e.g. 'Helpdesk <desk@example.jp>'")
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=parseaddr(sender)[1].rpartition("@")[2])
    message["Auto-Submitted"] = "auto-generated"  # no out-of-office replies to a notification
    message.set_content(body_text, charset="utf-8")
    message["Content-Language"] = lang  # after set_content, which replaces the Content-* headers
    return message


def deliver(message: EmailMessage, settings: SmtpSettings | None, outbox_dir: Path, name: str) -> str:
    """Send `message`; returns `sent`, or `filed` when it went to `outbox_dir` (no SMTP configured).

    Raises smtplib.SMTPException or OSError when the server cannot take it (the outbox retries)."""
    if settings is None:
        outbox_dir.mkdir(parents=True, exist_ok=True)
        path = outbox_dir / f"{name}.eml"
        path.write_bytes(bytes(message))
        log.warning("no SMTP server configured (HELPDESK_SMTP_URL): mail to %s, %r, written to %s",
                    message["To"], str(message["Subject"]), path)
        return "filed"
    smtp = (smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                             context=ssl.create_default_context()) if settings.ssl
            else smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout))
    with smtp:
        if settings.starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.username:
            smtp.login(settings.username, settings.password or "")
        smtp.send_message(message)
    return "sent"
