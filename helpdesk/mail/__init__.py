"""E-mail: a durable outbox written with the event that causes a message, sent after the commit.

    from helpdesk.mail import enqueue
    enqueue("someone@example.jp", subject, body_text, lang="ja", kind="account.verify")  # caller commits
    enqueue_in(user.lang, user.email, SUBJECT, BODY, kind="account.verify", link=link)  # catalogue messages

Sending: a background thread in each serving process (`helpdesk.mail.sender`) and `helpdesk mail
send` / `helpdesk mail retry` for cron. SMTP from `HELPDESK_SMTP_URL`; without it every message is
written to `instance/outbox/*.eml` and logged.
"""
from .compose import enqueue_in
from .models import OutboxMessage
from .outbox import deliver_due, enqueue, retry_failed

__all__ = ["OutboxMessage", "deliver_due", "enqueue", "enqueue_in", "retry_failed"]
