"""Account errors carry a message code, so the web shows them in the user's language and the CLI in English."""
from __future__ import annotations

from helpdesk.errors import HelpdeskError
from helpdesk.i18n import _l

TEXTS = {
    "email": _l("That is not a valid e-mail address."),
    "email_ascii": _l("Please type the e-mail address in plain ASCII letters, digits and symbols (look-alike, "
                      "invisible or special characters are not accepted; write an international domain name in its "
                      "xn-- form)."),
    "email_taken": _l("An account with this e-mail address already exists."),
    "name": _l("The display name must be 1 to {max} characters."),
    "password": _l("The password must be {min} to {max} characters."),
    "password_weak": _l("This password is too easy to guess. Avoid common words, repeats, sequences and your name "
                        "or address; a few unrelated words together make a long password that is hard to guess."),
    "current_password": _l("The current password is not correct."),
    "role": _l("The role must be one of: {roles}"),
    "queue": _l("Role {role} needs a queue, one of: {queues}"),
    "queue_not_allowed": _l("Role {role} has no queue; leave the queue empty."),
    "email_not_verified": _l("Verify your e-mail address first: open the link sent when you registered."),
    "self_lockout": _l("You cannot remove your own admin role or deactivate yourself."),
}


class AccountError(HelpdeskError):
    prefix = "account.error."
    texts = TEXTS
    statuses = {"email_not_verified": 403}
