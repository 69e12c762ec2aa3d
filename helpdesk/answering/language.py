"""Which language a question is written in: it picks the language of the answer's own wording."""
from __future__ import annotations

import re

_HIRAGANA = re.compile(r"[\u3040-\u309f]")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f]")
_LATIN = re.compile(r"[A-Za-z\uff21-\uff3a\uff41-\uff5a]")


def detect_lang(question: str) -> str:
    """`ja` or `en`.

    Japanese sentences carry hiragana (particles, endings) even when they quote Latin names
    (「ASPIREって何？」); English questions may quote a Japanese term but are mostly Latin script.
    """
    if _HIRAGANA.search(question):
        return "ja"
    japanese = len(_JAPANESE.findall(question))
    latin = len(_LATIN.findall(question))
    return "en" if latin > japanese else "ja"


def latin_share(text: str) -> float:
    """Latin letters among the Latin and Japanese letters of `text` (1.0 for English prose)."""
    latin, japanese = len(_LATIN.findall(text)), len(_JAPANESE.findall(text))
    return latin / (latin + japanese) if latin + japanese else 0.0
