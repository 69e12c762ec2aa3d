"""Set-up for the curation tests: two curators, entries made and moved through real HTTP, an HTML safety check."""
from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

from .tickets import client_as, new_user
from .web import csrf_token

AUTHOR = "author@example.org"
REVIEWER = "reviewer@example.org"


def two_curators(app):
    """(author client, reviewer client), each logged in as a different curator."""
    new_user(app, AUTHOR, "curator")
    new_user(app, REVIEWER, "curator")
    return client_as(app, AUTHOR), client_as(app, REVIEWER)


def entry_fields(**overrides) -> dict:
    fields = {"slug": "", "question": "質問", "alternatives": "", "answer": "回答です。", "question_en": "",
              "alternatives_en": "", "answer_en": "", "related": "", "tags": "", "action": "save"}
    fields.update(overrides)
    return fields


def create(client, **fields) -> int:
    data = entry_fields(**fields)
    data["csrf_token"] = csrf_token(client, "/curation/new")
    response = client.post("/curation/new", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return int(re.search(r"/curation/(\d+)$", response.headers["Location"]).group(1))


def edit(client, entry_id: int, **fields):
    page = client.get(f"/curation/{entry_id}/edit").get_data(as_text=True)
    base = re.search(r'name="base_revision"[^>]*value="(\d+)"', page).group(1)
    data = entry_fields(**fields)
    data.update(csrf_token=csrf_token(client, f"/curation/{entry_id}/edit"), base_revision=base)
    data.pop("slug")
    return client.post(f"/curation/{entry_id}/edit", data=data)


def step(client, entry_id: int, name: str):
    return client.post(f"/curation/{entry_id}/{name}", data={"csrf_token": csrf_token(client, f"/curation/{entry_id}")})


def publish(author, reviewer, **fields) -> int:
    """An entry written by `author`, submitted, and published by `reviewer`."""
    entry_id = create(author, **fields)
    assert step(author, entry_id, "submit").status_code == 303
    assert step(reviewer, entry_id, "publish").status_code == 303
    return entry_id


def status_of(app, entry_id: int) -> str:
    from helpdesk.curation.models import FaqEntry
    from helpdesk.extensions import db

    with app.app_context():
        return db.session.get(FaqEntry, entry_id).status


def audit_actions(app) -> list[str]:
    from helpdesk.audit import AuditEvent
    from helpdesk.extensions import db

    with app.app_context():
        return list(db.session.scalars(db.select(AuditEvent.action).order_by(AuditEvent.seq)))


# --- HTML safety --------------------------------------------------------------------------------

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


def unsafe_parts(fragment: str) -> list[str]:
    """What in an HTML fragment could run script or load content (empty when it is safe)."""
    checker = _Audit()
    checker.feed(fragment)
    checker.close()
    return checker.problems
