"""The curation area's messages and labels, marked for the catalogues (helpdesk.i18n)."""
from __future__ import annotations

from helpdesk.i18n import _l, gettext_in

ERRORS = {
    "curation.error.required": _l("This field is required."),
    "curation.error.too_long": _l("At most {limit} characters."),
    "curation.error.too_many": _l("At most {limit} items."),
    "curation.error.alternatives": _l("At most {count} phrasings of at most {limit} characters each."),
    "curation.error.tags": _l("At most {count} tags of at most {limit} characters each."),
    "curation.error.unknown_passages": _l("No such passage: {ids}"),
    "curation.error.lang": _l("Choose ja or en."),
    "curation.error.english_twice": _l("An entry written in English cannot have a second English version."),
    "curation.error.slug": _l("Use a-z, 0-9 and hyphens, at most 80 characters."),
    "curation.error.slug_taken": _l("This id is already used."),
    "curation.error.stale": _l("Someone else saved meanwhile. Your text is kept below; check the latest revision, "
                               "then save again."),
    "curation.error.archived": _l("The entry is archived; reopen it to edit."),
    "curation.error.no_revision": _l("No such revision."),
    "curation.error.not_draft": _l("Only drafts can be submitted."),
    "curation.error.not_in_review": _l("Only a revision in review can be published."),
    "curation.error.own_change": _l("You cannot publish your own change; ask another curator."),
    "curation.error.not_archived": _l("The entry is not archived."),
    "curation.error.ticket_open": _l("Only closed tickets can be used."),
    "curation.error.ticket_linked": _l("An FAQ entry was already drafted from this ticket."),
    "curation.error.ticket_no_reply": _l("The ticket has no staff reply."),
    "curation.error.preview": _l("The preview could not be made."),
}
STATUS = {"draft": _l("Draft"), "in_review": _l("In review"), "published": _l("Published"), "archived": _l("Archived")}
LANGUAGE = {"ja": _l("Japanese"), "en": _l("English")}
ONLY_IN = {"ja": _l("Japanese only (no English version)"), "en": _l("English only (no Japanese version)")}
GAP_KIND = {"low_confidence": _l("Low confidence"), "escalated": _l("Escalated"), "unhelpful": _l("Rated not helpful"),
            "handed_off": _l("Handed to a person after the answer")}


def error_text(key: str, lang: str | None = None, **values) -> str:
    return gettext_in(lang, ERRORS[key], **values)

