"""Account errors carry a message code, so the web shows them in the user's language and the CLI in English."""
from __future__ import annotations

from helpdesk.i18n import _l, gettext_in

TEXTS = {
    "account.error.email": _l("That is not a valid e-mail address."),
    "account.error.email_ascii": _l("Please type the e-mail address in plain ASCII letters, digits and symbols "
                                    "(look-alike, invisible or special characters are not accepted; write an "
                                    "international domain name in its xn-- form)."),
    "account.error.email_taken": _l("An account with this e-mail address already exists."),
    "account.error.name": _l("The display name must be 1 to {max} characters."),
    "account.error.password": _l("The password must be {min} to {max} characters."),
    "account.error.password_weak": _l("This password is too easy to guess. Avoid common words, repeats, sequences "
                                      "and your name or address; a few unrelated words together make a long password "
                                      "that is hard to guess."),
    "account.error.current_password": _l("The current password is not correct."),
    "account.error.role": _l("The role must be one of: {roles}"),
    "account.error.queue": _l("Role {role} needs a queue, one of: {queues}"),
    "account.error.queue_not_allowed": _l("Role {role} has no queue; leave the queue empty."),
    "account.error.self_lockout": _l("You cannot remove your own admin role or deactivate yourself."),
}


class AccountError(ValueError):
    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str | None = None) -> str:
        return gettext_in(lang, TEXTS[self.key], **self.params)
