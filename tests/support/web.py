"""Helpers for tests that go through real HTTP with CSRF on (reuse them in any area's tests)."""
from __future__ import annotations

import re

from helpdesk.extensions import db

_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def token_in(page: str, url: str = "the page") -> str:
    """The CSRF token in an HTML page (from a form field, else the base template's meta tag)."""
    found = _INPUT.search(page) or _META.search(page)
    assert found, f"no CSRF token on {url}"
    return found.group(1)


def csrf_token(client, url: str = "/login") -> str:
    """The CSRF token of the page at `url`."""
    return token_in(client.get(url).get_data(as_text=True), url)


def login(client, email: str, password: str, next_url: str | None = None):
    """Log in through the real form; returns the response of the POST (not followed)."""
    data = {"email": email, "password": password, "csrf_token": csrf_token(client, "/login")}
    if next_url is not None:
        data["next"] = next_url
    return client.post("/login", data=data)


def logout(client):
    return client.post("/logout", data={"csrf_token": csrf_token(client, "/login")})


def make_user(app, email: str, role: str = "researcher", queue: str | None = None,
              password: str = "correct horse battery", name: str = "Test User", verified: bool = True):
    """Create a committed account through the accounts service, as an administrator would (its address
    verified unless `verified=False`: self-registration leaves it unverified); returns its id."""
    from helpdesk.accounts.service import create_user

    with app.app_context():
        user = create_user(email, name, password, role, queue, verified=verified)
        db.session.commit()
        return user.id


def verification_link(caplog) -> str:
    """The path of the last verification link the accounts area logged (mail delivery in development)."""
    links = [r.getMessage().rsplit(": ", 1)[1] for r in caplog.records if r.name == "helpdesk.accounts.verification"
             and r.getMessage().startswith("e-mail verification")]
    assert links, "no verification link was logged"
    return "/" + links[-1].split("/", 3)[3]


def revise_faq_q11_answer(corpus_dir) -> None:
    """Edit the raw ASPIRE FAQ in `corpus_dir` so that the next build changes the text of faq-aspire/Q1.1 only."""
    from helpdesk import paths
    from helpdesk.corpus import load_corpus

    raw = corpus_dir / "raw" / "faq-aspire.txt"
    source = raw.read_text(encoding="utf-8")
    answer = load_corpus(paths.CORPUS_DIR).get("faq-aspire/Q1.1").answer
    snippet = next(answer[i:i + 10] for i in range(len(answer)) if source.count(answer[i:i + 10]) == 1)
    raw.write_text(source.replace(snippet, snippet + "（改訂）"), encoding="utf-8")
