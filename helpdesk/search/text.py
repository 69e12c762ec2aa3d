"""Text normalisation and Japanese tokenisation for the lexical (BM25) side.

NFKC folds full-width letters/digits and half-width katakana into one form; casefold makes
`ＡＳＰＩＲＥ`, `Aspire` and `aspire` the same term. fugashi + unidic-lite splits Japanese into
short units; each is reduced to its dictionary form in its own script (`行っ` → `行う`, while
`セキュリティ` stays katakana) and function words (particles, auxiliaries, punctuation) are dropped
so that BM25 scores content words only.
"""
from __future__ import annotations

import re
import sys
import threading
import unicodedata

import fugashi

# Bumped whenever tokenisation changes, so persisted indexes are rebuilt (part of the fingerprint).
TOKENIZER_VERSION = "unidic-lite-orthbase-2"

# unidic part-of-speech (pos1) classes that carry no topic: particles, auxiliaries, symbols …
_DROP_POS1 = {"助詞", "助動詞", "補助記号", "記号", "空白", "感動詞", "接続詞"}
# … and light verbs (する, ある, なる, いる …) whose pos2 is 非自立可能.
_DROP_POS2 = {("動詞", "非自立可能"), ("形容詞", "非自立可能")}
# Position of orthBase (dictionary form in the word's own script) in unidic's feature CSV.
_ORTH_BASE = 10
_ASCII_WORD = re.compile(r"[0-9a-z]+")
_WS = re.compile(r"\s+")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_LETTER = re.compile(r"[^\W\d_]")

# MeCab taggers are not safe to share between threads; one per thread is cheap (~10 ms, shared dict).
_local = threading.local()


def normalize(text: str) -> str:
    """NFKC + casefold, whitespace runs collapsed to one space."""
    return _WS.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def _tagger() -> fugashi.Tagger:
    tagger = getattr(_local, "tagger", None)
    if tagger is None:
        tagger = _local.tagger = fugashi.Tagger()
    return tagger


def tokenize(text: str) -> list[str]:
    """Content-word terms of `text` for BM25: base forms of Japanese words, ASCII words as-is."""
    terms = []
    for word in _tagger()(normalize(text)):
        surface = word.surface
        if surface.isascii():
            # unidic has no entry for most Latin words; split runs like `e-rad` into `e`, `rad`.
            terms.extend(sys.intern(w) for w in _ASCII_WORD.findall(surface) if len(w) > 1)
            continue
        # The raw CSV is twice as fast as `word.feature` (a namedtuple per token). Only symbols
        # have quoted fields containing commas, and they are dropped before orthBase is read.
        fields = word.feature_raw.split(",")
        if fields[0] in _DROP_POS1 or (fields[0], fields[1]) in _DROP_POS2:
            continue
        base = fields[_ORTH_BASE] if len(fields) > _ORTH_BASE and fields[_ORTH_BASE] != "*" else surface
        # Interned: a large corpus repeats the same few thousand terms millions of times.
        terms.append(sys.intern(base))
    return terms


def japanese_share(text: str) -> float:
    """Fraction of the letters in `text` that are Japanese (kana or kanji); 0.0 without letters."""
    letters = _LETTER.findall(text)
    if not letters:
        return 0.0
    return sum(1 for ch in letters if _JAPANESE.match(ch)) / len(letters)
