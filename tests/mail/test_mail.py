"""Mail that is really sent: the outbox, SMTP against a real server, retries, and who gets what in which language."""
from __future__ import annotations

import logging
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from helpdesk.accounts.models import User
from helpdesk.extensions import db
from helpdesk.mail import OutboxMessage, deliver_due, enqueue
from helpdesk.mail.outbox import MAX_ATTEMPTS, backoff
from helpdesk.mail.transport import MailConfigError, smtp_settings
from helpdesk.tickets import Ticket

QUESTION = "Question for desk"  # make_ticket's text: never in a staff mail


def _outbox(app) -> list[OutboxMessage]:
    with app.app_context():
        rows = OutboxMessage.query.order_by(OutboxMessage.id).all()
        db.session.expunge_all()
        return rows


def _send(app) -> dict:
    with app.app_context():
        return deliver_due()


def _set_lang(app, user_id: int, lang: str) -> None:
    with app.app_context():
        db.session.get(User, user_id).lang = lang
        db.session.commit()


def test_smtp_urls_are_parsed_and_bad_ones_named():
    plain = smtp_settings("smtp://mailer:p%40ss@mail.example.jp:587?starttls=1&timeout=5")
    assert (plain.host, plain.port, plain.ssl, plain.starttls, plain.username, plain.password, plain.timeout) == (
        "mail.example.jp", 587, False, True, "mailer", "p@ss", 5.0)
    secure = smtp_settings("smtps://mail.example.jp")
    assert (secure.port, secure.ssl, secure.starttls, secure.username) == (465, True, False, None)
    assert smtp_settings(None) is None
    assert smtp_settings("") is None
    for bad in ("http://mail.example.jp", "smtp://", "smtp://host:notaport"):
        with pytest.raises(MailConfigError):
            smtp_settings(bad)


def test_backoff_doubles_up_to_an_hour():
    assert [backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert backoff(20).total_seconds() == 3600


def test_a_new_ticket_mails_the_staff_of_its_queue_in_their_language(app, smtp_server, new_user, make_ticket):
    app.config["HELPDESK_SMTP_URL"] = smtp_server.url
    owner = new_user(app, "owner@example.jp")
    new_user(app, "desk-ja@example.jp", "desk_agent")
    desk_en = new_user(app, "desk-en@example.jp", "desk_agent")
    new_user(app, "jst@example.jp", "fa_agent", "jst")
    new_user(app, "admin@example.jp", "admin")
    _set_lang(app, desk_en, "en")
    ref = make_ticket(app, owner, "desk")
    assert [m.status for m in _outbox(app)] == ["pending", "pending"]  # queued with the ticket, not yet sent

    assert _send(app) == {"sent": 2}
    assert sorted(a for m in smtp_server.messages for a in m.to) == ["desk-en@example.jp", "desk-ja@example.jp"]
    [ja] = smtp_server.to("desk-ja@example.jp")
    [en] = smtp_server.to("desk-en@example.jp")
    assert ja.lang == "ja"
    assert "新しい相談" in ja.subject
    assert ref in ja.subject
    assert "科学技術" not in ja.subject
    assert en.lang == "en"
    assert en.subject.endswith(f"New ticket {ref} (Research Security Helpdesk)")
    for mail in (ja, en):
        assert f"/staff/tickets/{ref}" in mail.body
        assert QUESTION not in mail.body
        assert "owner@example.jp" not in mail.body
    assert {m.status for m in _outbox(app)} == {"sent"}


def test_a_staff_reply_mails_the_requester_a_link_and_the_text_only_if_chosen(app, smtp_server, new_user, client_as,
                                                                              make_ticket, csrf_token):
    app.config["HELPDESK_SMTP_URL"] = smtp_server.url
    link_only = new_user(app, "link@example.jp")
    full = new_user(app, "full@example.jp")
    _set_lang(app, link_only, "ja")  # the language they last used the site in (the tickets were sent in English)
    new_user(app, "desk@example.jp", "desk_agent")
    quiet_ref, full_ref = make_ticket(app, link_only, "desk"), make_ticket(app, full, "desk")
    with app.app_context():
        db.session.query(Ticket).filter_by(ref=full_ref).one().notify_mode = "full"
        db.session.commit()
    _send(app)
    smtp_server.messages.clear()

    agent = client_as(app, "desk@example.jp")
    for ref, body in ((quiet_ref, "Confidential advice A."), (full_ref, "Shareable advice B.")):
        response = agent.post(f"/staff/tickets/{ref}/reply",
                              data={"csrf_token": csrf_token(agent, f"/staff/tickets/{ref}"), "reply-body": body})
        assert response.status_code == 303
    assert _send(app) == {"sent": 2}

    [quiet] = smtp_server.to("link@example.jp")
    assert quiet.lang == "ja"
    assert quiet_ref in quiet.subject
    assert f"/tickets/{quiet_ref}" in quiet.body
    assert "Confidential advice A." not in quiet.body
    assert "相談者の返信待ち" in quiet.body
    [shared] = smtp_server.to("full@example.jp")
    assert shared.lang == "en"
    assert f"A reply to your ticket {full_ref}" in shared.subject
    assert "Shareable advice B." in shared.body
    assert "Waiting for the requester" in shared.body
    page = agent.get(f"/staff/tickets/{quiet_ref}").get_data(as_text=True)
    assert "送信済み" in page
    assert "link@example.jp" not in page


def test_a_mail_server_that_is_down_loses_nothing_and_mail_retry_delivers(app, smtp_server, new_user, client_as,
                                                                          make_ticket, free_port):
    app.config["HELPDESK_SMTP_URL"] = f"smtp://127.0.0.1:{free_port()}?timeout=2"  # nobody listens there
    owner = new_user(app, "owner@example.jp")
    new_user(app, "desk@example.jp", "desk_agent")
    researcher = client_as(app, "owner@example.jp")
    ref = make_ticket(app, owner, "desk")
    assert _send(app) == {"retry": 1}
    [waiting] = _outbox(app)
    assert (waiting.status, waiting.attempts) == ("pending", 1)
    assert "ConnectionRefusedError" in waiting.last_error
    assert waiting.next_attempt_at > waiting.created_at
    assert _send(app) == {}
    assert researcher.get(f"/tickets/{ref}").status_code == 200  # the ticket never noticed

    admin_id = new_user(app, "admin@example.jp", "admin")
    assert admin_id
    page = client_as(app, "admin@example.jp").get("/admin/mail/").get_data(as_text=True)
    assert "送信待ち" in page
    assert "ConnectionRefusedError" in page

    app.config["HELPDESK_SMTP_URL"] = smtp_server.url
    result = app.test_cli_runner().invoke(args=["mail", "retry"])
    assert result.exit_code == 0, result.output
    assert [m.to for m in smtp_server.messages] == [["desk@example.jp"]]
    [sent] = _outbox(app)
    assert (sent.status, sent.attempts, sent.last_error) == ("sent", 2, None)
    with app.app_context():
        from helpdesk.audit.models import AuditEvent

        assert AuditEvent.query.filter_by(action="mail.retried").count() == 1


def test_after_the_last_attempt_a_message_is_failed_until_retried(app, free_port):
    app.config["HELPDESK_SMTP_URL"] = f"smtp://127.0.0.1:{free_port()}?timeout=2"
    with app.app_context():
        message = enqueue("someone@example.jp", "Subject", "Body", lang="en", kind="test")
        message.attempts = MAX_ATTEMPTS - 1
        db.session.commit()
    assert _send(app) == {"failed": 1}
    assert _outbox(app)[0].status == "failed"
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0
    assert "nothing due" in result.output


def test_without_an_smtp_server_mail_goes_to_eml_files_and_the_log(app, caplog, new_user, make_ticket):
    app.config["HELPDESK_SMTP_URL"] = None
    owner = new_user(app, "owner@example.jp")
    new_user(app, "desk@example.jp", "desk_agent")
    ref = make_ticket(app, owner, "desk")
    with caplog.at_level(logging.WARNING, logger="helpdesk.mail.transport"):
        assert _send(app) == {"filed": 1}
    [filed] = _outbox(app)
    assert filed.status == "filed"
    [path] = list((Path(app.instance_path) / "outbox").glob(f"*-{filed.id}.eml"))
    eml = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert eml["To"] == "desk@example.jp"
    assert ref in str(eml["Subject"])
    assert ref in eml.get_content()
    assert "no SMTP server configured" in caplog.text
    assert str(path) in caplog.text


def test_the_background_sender_delivers_after_the_commit(app, smtp_server, new_user, make_ticket):
    from helpdesk.mail import sender

    app.config["HELPDESK_SMTP_URL"] = smtp_server.url
    app.config["HELPDESK_MAIL_SENDER"] = True
    sender.init_app(app)
    owner = new_user(app, "owner@example.jp")
    new_user(app, "desk@example.jp", "desk_agent")
    ref = make_ticket(app, owner, "desk")  # the commit wakes the sender thread; nothing else sends
    assert smtp_server.wait_for(1), "the background sender did not deliver"
    assert ref in smtp_server.messages[0].subject
