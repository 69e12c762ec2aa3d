"""Fixtures of the curation tests: an entry's status, the audit trail's actions, an HTML safety check."""
from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

import pytest

_URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "background", "poster", "data"}
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
_DANGEROUS_TAGS = {"script", "style", "iframe", "object", "embed", "svg", "math", "img", "form", "input",
                   "button", "link", "meta", "base", "frame", "frameset", "video", "audio", "source", "template"}


class _Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _DANGEROUS_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "srcdoc"}:
                self.problems.append(f"{tag}[{name}]")
            if name in _URL_ATTRS and value is not None:
                # As browsers read a URL: outer C0/space trimmed, tabs and newlines inside removed.
                url = re.sub(r"[\t\n\r]", "", unescape(value).strip(_C0_AND_SPACE)).lower()
                if re.match(r"(javascript|data|vbscript):", url):
                    self.problems.append(f"{tag}[{name}={value}]")
        href = dict(attrs).get("href") or ""
        if tag == "a" and re.match(r"(https?:|mailto:|//)", href) and dict(attrs).get("rel") != "noopener noreferrer":
            self.problems.append("external link without rel=noopener noreferrer")


def _unsafe_parts(fragment: str) -> list[str]:
    checker = _Audit()
    checker.feed(fragment)
    checker.close()
    return checker.problems


def _status_of(app, entry_id: int) -> str:
    from helpdesk.curation.models import FaqEntry
    from helpdesk.extensions import db

    with app.app_context():
        return db.session.get(FaqEntry, entry_id).status


def _audit_actions(app) -> list[str]:
    from helpdesk.audit import AuditEvent
    from helpdesk.extensions import db

    with app.app_context():
        return list(db.session.scalars(db.select(AuditEvent.action).order_by(AuditEvent.seq)))


@pytest.fixture(scope="session")
def unsafe_parts():
    """`unsafe_parts(fragment)`: what in an HTML fragment could run script or load content (empty when safe)."""
    return _unsafe_parts


@pytest.fixture(scope="session")
def status_of():
    """`status_of(app, entry_id)`: the entry's workflow status as stored."""
    return _status_of


@pytest.fixture(scope="session")
def audit_actions():
    """`audit_actions(app)`: the audit log's actions, oldest first."""
    return _audit_actions
