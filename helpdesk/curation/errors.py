"""Curation's refusals (helpdesk.errors.HelpdeskError): a workflow step the entry does not allow, or content that
fails its checks, shown in the reader's language (the CLI's in English); their texts are messages.ERRORS."""
from __future__ import annotations

from helpdesk.errors import HelpdeskError

from .messages import ERRORS

PREFIX = "curation.error."


class CurationError(HelpdeskError):
    prefix = PREFIX
    texts = {key.removeprefix(PREFIX): text for key, text in ERRORS.items()}
