"""Text normalisation and Japanese tokenisation for the lexical (BM25) side.

NFKC folds full-width letters/digits and half-width katakana into one form; casefold makes
`ＡＳＰＩＲＥ`, `Aspire` and `aspire` the same term. fugashi + unidic-lite splits Japanese into
short units; each is reduced to its lemma, the dictionary form in its standard spelling (`行っ` →
`行う`, `取組` → `取り組み`, `ねらい` → `狙い`), and words that carry no topic are dropped so that BM25
scores content words only: particles, auxiliaries, punctuation, and the pronouns, adnominals and
interrogative adverbs questions are built from (`誰`, `いつ`, `何`, `どんな`, `なぜ`). Those are rare in the
documents, so BM25 would give them a high IDF and rank an FAQ entry that happens to ask "who
decides" above the passage about what the user actually asked.

English (the provisional translations, and English questions searched against them) goes through
`tokenize_english`: bm25s's own analyser with the Snowball English stemmer (PyStemmer), so that
`institutions`/`institutional` or `checks`/`checked` are one term, and bm25s's longer English stop
list, which drops what the Japanese side drops for the same reason: pronouns, interrogatives (`who`,
`when`, `why`) and light verbs (`do`, `have`, `can`) besides articles and prepositions.
"""
from __future__ import annotations

import re
import sys
import threading
import unicodedata
from functools import lru_cache

import bm25s
import fugashi
import Stemmer
from bm25s.stopwords import STOPWORDS_EN_PLUS

# Bumped whenever tokenisation changes, so persisted indexes are rebuilt (part of the fingerprint).
TOKENIZER_VERSION = "unidic-lite-lemma-4+en-snowball-1"

# unidic part-of-speech (pos1) classes that carry no topic: particles, auxiliaries, symbols …
_DROP_POS1 = {"助詞", "助動詞", "補助記号", "記号", "空白", "感動詞", "接続詞", "代名詞", "連体詞"}
# … and light verbs and adjectives. unidic marks them 非自立可能 ("can be auxiliary"), but so are
# content verbs like 終わる or 切れる, so the class alone would drop "the project ended".
_LIGHT_WORDS = {"する", "す", "ある", "いる", "おる", "なる", "できる", "いく", "行く", "くる", "来る", "おく",
                "しまう", "みる", "える", "得る", "くださる", "下さる", "いただく", "頂く", "もらう", "くれる",
                "あげる", "やる", "係る", "ない", "無い", "よい", "良い", "いい"}
# … and the adverbs that ask rather than describe (unidic has no interrogative class for them).
_INTERROGATIVE_ADVERBS = {"なぜ", "何故", "どう", "どうして", "いかが", "如何", "いかに"}
# Positions in unidic's feature CSV of the lemma (the dictionary form in its standard spelling:
# `取組`, `取り組み` → `取り組み`, `ねらい`, `狙い` → `狙い`) and of orthBase (the dictionary form in the
# word's own script: `みる` stays kana, so the light verb is told from the content verb `見る`).
_LEMMA = 7
_ORTH_BASE = 10
# A loanword's lemma carries its English source after a hyphen (`セキュリティー-security`).
_LOANWORD_SOURCE = re.compile(r"-[ -~]+$")
_ASCII_WORD = re.compile(r"[0-9a-z]+")
_WS = re.compile(r"\s+")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_LETTER = re.compile(r"[^\W\d_]")
_LATIN_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*")

# MeCab taggers are not safe to share between threads; one per thread is cheap (~10 ms, shared dict).
_local = threading.local()
# Texts whose terms are kept: an ask tokenises its question in several places (BM25 terms, triage,
# quoting) and the blocks of the passages it quotes, which recur from ask to ask.
_TOKENIZED_TEXTS = 8192


def normalize(text: str) -> str:
    """NFKC + casefold, whitespace runs collapsed to one space."""
    return _WS.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def _tagger() -> fugashi.Tagger:
    tagger = getattr(_local, "tagger", None)
    if tagger is None:
        tagger = _local.tagger = fugashi.Tagger()
    return tagger


def _english_stemmer() -> Stemmer.Stemmer:
    stemmer = getattr(_local, "stemmer", None)  # a PyStemmer object keeps a cache: one per thread
    if stemmer is None:
        stemmer = _local.stemmer = Stemmer.Stemmer("english")
    return stemmer


def tokenize_english(text: str) -> list[str]:
    """Stemmed English terms of `text` for BM25 over the translations, stop words dropped."""
    tokens = bm25s.tokenize(normalize(text), stopwords=STOPWORDS_EN_PLUS, stemmer=_english_stemmer(), return_ids=False,
                            show_progress=False)
    return [sys.intern(t) for t in tokens[0]]


def tokenize(text: str) -> list[str]:
    """Content-word terms of `text` for BM25: base forms of Japanese words, ASCII words as-is."""
    return list(_terms_of(text))  # a list of its own: callers extend it


@lru_cache(maxsize=_TOKENIZED_TEXTS)
def _terms_of(text: str) -> tuple[str, ...]:
    terms: list[str] = []
    for word in _tagger()(normalize(text)):
        surface = word.surface
        if surface.isascii():
            # unidic has no entry for most Latin words; split runs like `e-rad` into `e`, `rad`.
            terms.extend(sys.intern(w) for w in _ASCII_WORD.findall(surface) if len(w) > 1)
            continue
        # The raw CSV is twice as fast as `word.feature` (a namedtuple per token). Only symbols
        # have quoted fields containing commas, and they are dropped before orthBase is read.
        fields = word.feature_raw.split(",")
        if fields[0] in _DROP_POS1:
            continue
        if len(fields) <= _ORTH_BASE or fields[_ORTH_BASE] == "*":  # not in the dictionary
            terms.append(sys.intern(surface))
            continue
        base = fields[_ORTH_BASE]
        if (fields[1] == "非自立可能" and base in _LIGHT_WORDS) or (
                fields[0] == "副詞" and base in _INTERROGATIVE_ADVERBS):
            continue
        # The lemma, so that the documents' official spellings (`取組`, `手続`, `コンピュータ`) and the
        # everyday ones users type (`取り組み`, `手続き`, `コンピューター`) are one term.
        # Interned: a large corpus repeats the same few thousand terms millions of times.
        terms.append(sys.intern(_LOANWORD_SOURCE.sub("", fields[_LEMMA])))
    return tuple(terms)


def names_only(text: str) -> str:
    """`text` without its ordinary Latin-script words, keeping names: acronyms and words with a
    capital inside or a digit (JST, ASPIRE, e-Rad, G7); other scripts are kept as they are.

    For BM25 on a question written in English: the sources are Japanese and quote English only in
    a few names and slogans, so ordinary words (`as`, `necessary`, `research`) would match those
    rare quotations with a high IDF and pull every English question towards them. The question's
    meaning reaches BM25 through the glossary's Japanese terms instead.
    """
    return _LATIN_WORD.sub(lambda m: m.group() if _is_name(m.group()) else " ", text)


def _is_name(word: str) -> bool:
    return any(ch.isupper() for ch in word[1:]) or any(ch.isdigit() for ch in word)


@lru_cache(maxsize=1024)  # asked of the same question by search, triage and the answerer
def japanese_share(text: str) -> float:
    """Fraction of the letters in `text` that are Japanese (kana or kanji); 0.0 without letters."""
    letters = _LETTER.findall(text)
    if not letters:
        return 0.0
    return sum(1 for ch in letters if _JAPANESE.match(ch)) / len(letters)
