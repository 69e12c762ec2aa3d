"""What each passage is indexed by.

BM25 sees the whole passage with its breadcrumb title: a passage's topic is often named only in
its headings (`2-4. リスクマネジメントの範囲`), and questions are phrased around topics.

The dense side embeds each passage as short segments and scores a passage by its best segment.
A question is usually answered by one or two sentences; a whole-passage vector averages them with
everything else and loses to short FAQ entries. Segments are cut at two sizes (WINDOW_SIZES):
windows of a few sentences keep an argument together, windows of about one sentence match a
question about a single clause or footnote without the rest diluting it (on the dev and extra
question sets, both sizes together beat either alone). Each segment is prefixed with the last two
breadcrumb levels so it keeps its topic.
FAQ passages are their question followed by the answer, so that a user's question lands near
the FAQ question that matches it while the answer still carries the substance.
The questions a passage is known to answer (`Passage.anticipated_questions`, curated in
corpus/anticipated_questions.yaml, and a desk FAQ entry's alternative phrasings) are indexed too: a
question typed in everyday words is nearer another question about the same point than the
guideline's formal sentences. A guideline or
checklist passage gets one segment per question, and the questions join its BM25 text. A FAQ entry
already opens with a question of its own: its anticipated questions make one segment together and
stay out of BM25 (as one segment each and in BM25 too, English translations of the dev questions fell
from 0.814 to 0.708 MRR@10: more chances of a chance match for English). Hybrid MRR@10 on the dev /
extra / translated sets: 0.811 / 0.849 / 0.735 without them, 0.895 / 0.927 / 0.838 with them (README).
A passage's provisional English translation (`Passage.en`) is indexed twice, for English questions:
by `english_text` for a BM25 index with the English analyser, and by `english_segments` as dense segments
of their own, windows of the English cut like the Japanese ones at the sizes that hold about the same
content (English runs ~2.5 characters to one Japanese character). They are a dense side of their own
rather than more segments of the Japanese side: an English question sits nearer every English window
than any Japanese one, so scoring a passage by its best segment of either language let the English windows
outweigh the Japanese side's order with cosines bunched together (hybrid MRR@10 on the translations 0.847);
scaled apart and added to the Japanese side at half its weight they raise it (0.868 → 0.904; README, `fusion`).
"""
from __future__ import annotations

import re

WINDOW_SIZES = (200, 100)  # characters; a longer sentence stays whole
ENGLISH_WINDOW_SIZES = (500, 250)  # the same content in English
# Part of the index fingerprint: changing how segments are cut must rebuild persisted indexes.
SEGMENTER_VERSION = (f"sentences-{'+'.join(map(str, WINDOW_SIZES))}-title2-asked2"
                     f"+en-{'+'.join(map(str, ENGLISH_WINDOW_SIZES))}-heading")
_SENTENCE_END = re.compile(r"(?<=[。\n])")
# An English sentence ends at . ? ! or a line break, before the spaces that follow (the window joins them
# with one space); "e.g. x" splits too, harmlessly.
_ENGLISH_SENTENCE_END = re.compile(r"(?<=[.?!\n])\s+")


def _is_faq(passage) -> bool:
    return bool(passage.question and passage.answer)


def _body(passage) -> str:
    return f"{passage.question}\n{passage.answer}" if _is_faq(passage) else passage.text


def _other_questions(passage) -> list[str]:
    """The questions a passage answers besides a FAQ entry's own: anticipated ones, alternatives."""
    return [*passage.anticipated_questions, *passage.alternatives]


def _question_segments(passage) -> list[str]:
    asked = _other_questions(passage)
    return ["\n".join(asked)] if asked and _is_faq(passage) else asked


def lexical_text(passage) -> str:
    parts = [passage.title]
    if passage.heading and passage.heading not in passage.title and passage.heading not in passage.text:
        parts.append(passage.heading)
    parts.append(_body(passage))
    if not _is_faq(passage):
        parts += _other_questions(passage)
    return "\n".join(p for p in parts if p)


def english_text(passage) -> str:
    """The BM25 text of a passage's English translation: heading and text ('' when untranslated)."""
    en = passage.en
    if en is None:
        return ""
    return en.text if en.heading in en.text else f"{en.heading}\n{en.text}"


def _windows(text: str, size: int, sentence_end: re.Pattern = _SENTENCE_END, joiner: str = "") -> list[str]:
    """Consecutive sentences grouped up to `size` characters (a longer sentence stays whole)."""
    windows, current = [], ""
    for sentence in filter(str.strip, sentence_end.split(text)):
        if current and len(current) + len(sentence) > size:
            windows.append(current)
            current = ""
        current += (joiner if current else "") + sentence
    if current:
        windows.append(current)
    return windows


def segments(passage) -> list[str]:
    """The texts embedded for a passage (at least one)."""
    context = " > ".join(passage.title.split(" > ")[-2:])
    body = _body(passage)
    windows = dict.fromkeys(w for size in WINDOW_SIZES for w in _windows(body, size))  # a short passage cuts alike
    # A question stands alone: with the breadcrumb prefixed it matched less well (dev MRR@10 0.868 → 0.811).
    return [f"{context}\n{window}" for window in windows] + _question_segments(passage) or [context]


def english_segments(passage) -> list[str]:
    """The texts embedded for a passage's English translation, each prefixed with its English heading
    (none when untranslated)."""
    en = passage.en
    if en is None:
        return []
    body = f"{en.question}\n{en.answer}" if en.question and en.answer else en.text
    windows = dict.fromkeys(w for size in ENGLISH_WINDOW_SIZES for w in _windows(body, size, _ENGLISH_SENTENCE_END, " "))
    return [f"{en.heading}\n{window}" for window in windows] or [en.heading]
