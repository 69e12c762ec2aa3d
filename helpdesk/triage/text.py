"""Text normalisation shared by alias and cue matching: NFKC folds full-width letters and digits
(ＡＳＰＩＲＥ, ＮＷＯ) and half-width kana, lower-casing makes Latin names case-insensitive."""
from __future__ import annotations

import unicodedata


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()
