"""The one class of refusals meant for a person: a stable code, a message in the reader's language, a status.

Each area subclasses it with the prefix of its codes' keys, its messages (`texts`: code → lazy
catalogue message, helpdesk.i18n) and the codes an API answers with another status than 400; the web
layer turns any of them into the API's error shape, the CLI prints `str(error)` (the English message).
"""
from __future__ import annotations

from helpdesk.i18n import gettext_in


class HelpdeskError(ValueError):
    prefix = ""  # the area's error keys are prefix + code
    texts: dict = {}  # code -> lazy message (helpdesk.i18n._l)
    statuses: dict[str, int] = {}  # codes answered with another status than 400

    def __init__(self, code: str, **params: object) -> None:
        self.code = code.removeprefix(self.prefix)  # a full message key is accepted too
        self.params = params
        super().__init__(self.message("en"))

    @property
    def key(self) -> str:
        return self.prefix + self.code

    @property
    def status(self) -> int:
        return self.statuses.get(self.code, 400)

    def message(self, lang: str | None = None) -> str:
        return gettext_in(lang, self.texts[self.code], **self.shown_params(lang))

    def shown_params(self, lang: str | None) -> dict:
        """The parameters as the message shows them (a subclass may put codes into words)."""
        return self.params
