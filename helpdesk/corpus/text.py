"""Text repairs for PDF extractions of Japanese documents.

Faithful by design: only artifacts of the extraction are undone (line wraps, spaced-out
acronyms, markdown residue, mixed full-width/ASCII tokens); NFKC is left to search time.
"""
from __future__ import annotations

import re

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SUPERSCRIPT_RUN = re.compile(f"[{SUPERSCRIPT_DIGITS}]+")
_SUPER_TO_ASCII = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")

_FULLWIDTH_LETTER = re.compile(r"[Ａ-Ｚａ-ｚ]")
_FULLWIDTH_DIGIT = re.compile(r"[０-９]")
# A full-width digit glued to an ASCII digit/letter ("Q１．4", "3．１0") is an extraction oddity.
_MIXED_DIGITS = re.compile(r"(?<=[0-9A-Za-z])[０-９]+|[０-９]+(?=[0-9])")
# "P I", "T R L", "C O - P I": capitals the PDF spaced out one by one.
_SPACED_ACRONYM = re.compile(r"(?<![A-Za-z])[A-Z](?:(?: ?- ?| )[A-Z])+(?![A-Za-z])")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_HTML_TAG = re.compile(r"<(?:ul|/ul|li|/li)\b[^>]*>")
_ANGLE_URL = re.compile(r"<(https?://[^>\s]+)>")
_ASCII_WORD_END = re.compile(r"[A-Za-z0-9]$")
_ASCII_WORD_START = re.compile(r"^[A-Za-z0-9]")


def superscript_value(run: str) -> str:
    return run.translate(_SUPER_TO_ASCII)


def to_halfwidth(text: str) -> str:
    """ASCII for full-width Latin letters, and for full-width digits mixed into ASCII tokens."""
    text = _FULLWIDTH_LETTER.sub(lambda m: chr(ord(m.group()) - 0xFEE0), text)
    return _MIXED_DIGITS.sub(lambda m: _FULLWIDTH_DIGIT.sub(lambda d: chr(ord(d.group()) - 0xFEE0), m.group()), text)


def digits_to_ascii(text: str) -> str:
    return _FULLWIDTH_DIGIT.sub(lambda d: chr(ord(d.group()) - 0xFEE0), text)


def clean_inline(text: str) -> str:
    """Undo inline extraction residue inside one logical line."""
    text = _BOLD.sub(r"\1", text)
    text = _HTML_TAG.sub("", text)
    text = _ANGLE_URL.sub(r"\1", text)
    text = text.replace("[※]", "※")
    text = _SPACED_ACRONYM.sub(lambda m: re.sub(r" ", "", m.group()), text)
    text = to_halfwidth(text)
    return re.sub(r"[ \t]+", " ", text).strip()


def join_wrapped(parts: list[str]) -> str:
    """Rejoin lines a PDF wrapped: no space in Japanese, one space between two Latin words."""
    out = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if out and _ASCII_WORD_END.search(out) and _ASCII_WORD_START.search(part):
            out += " "
        out += part
    return out
