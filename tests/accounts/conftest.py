"""Fixtures of the accounts tests."""
from __future__ import annotations

import pytest


def _verification_link(caplog) -> str:
    links = [r.getMessage().rsplit(": ", 1)[1] for r in caplog.records if r.name == "helpdesk.accounts.verification"
             and r.getMessage().startswith("e-mail verification")]
    assert links, "no verification link was logged"
    return "/" + links[-1].split("/", 3)[3]


@pytest.fixture(scope="session")
def verification_link():
    """`verification_link(caplog)`: the path of the last verification link the accounts area logged (mail
    delivery in development)."""
    return _verification_link
