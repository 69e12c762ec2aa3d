"""Control characters in text from outside: the one no database stores, and those no text needs.

PostgreSQL refuses a NUL (U+0000) in a text parameter, where SQLite stores it: a NUL must never reach a
query. Requests carrying one are refused (helpdesk.web.input_guard); text that enters another way (a
command's file) loses every control character but tab and newline where it is cleaned for storing.
"""
from __future__ import annotations

import re

NUL = "\x00"
# Every C0 control character and DEL: what no URL part or parameter holds.
ANY = re.compile(r"[\x00-\x1f\x7f]")
# All of them but tab and newline, which carry no meaning in text people write (a line end's CR goes too).
MEANINGLESS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def strip_control(text: str) -> str:
    """`text` without the control characters that carry no meaning in it (NUL among them)."""
    return MEANINGLESS.sub("", text)
