"""A passage as the blocks an answer can quote whole: paragraphs, and lists with what introduces them.

The corpus keeps one paragraph or list item per line (`・`, `✓`, `●` … bullets, nested ones indented),
and the English translations keep the same lines, so a block is a set of line numbers that reads the
same in both languages. What is never quoted as a statement: figure and table captions (`図: …`,
`図●`), references to meeting papers, headings (a heading that introduces a list stays as the
list's label), a FAQ entry's question line, and the acknowledgements' list of experts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

HEADING_MAX_CHARS = 40
# A top-level bullet longer than this, or with items of its own, is a statement of its own rather
# than one item of the list before it.
LIST_ITEM_MAX_CHARS = 60
_ENDS = "。！？!?"
_OPEN, _CLOSE = "「『（(", "」』）)"
_BULLET = re.compile(r"^(\s*)([-・•●○◆◇■□▪✓✔⇒]|\d+[.)]\s)\s*")
# A line that opens with a figure («図: …», «図●では…») or is little more than a pointer to one is the figure's
# text; a statement that points at one on the way («…下図●の通り、…を設けることとする。») is still a statement.
_CAPTION = re.compile(r"^(図|表)\s*[:：●]|^（?第\d+回.*(資料|会議).*[0-9０-９]+.*）?$|^\(補足説明\)$|^（例）$")
_FIGURE_MENTION = re.compile(r"[図表]●")
FIGURE_POINTER_MAX_CHARS = 80
_LABELLED_HEADING = re.compile(r"^(【.*】|<.*>|＜.*＞|[（(][0-9０-９一-九]+[）)].*|第\d+章.*)$")
_FAQ_QUESTION = re.compile(r"^Q\s*[:：]")
_FAQ_ANSWER = re.compile(r"^A\s*[:：]\s*")
_INTRODUCES = re.compile(r"(以下|次の|下記|とおり|通り)[^。]*$|[:：、]$")
_ANNOUNCES = re.compile(r"^.{0,60}(以下|下記|次)の?(通り|とおり|ような|ように)[^。]{0,20}。?$")
_TABLE_ROW = re.compile(r"^[^:：。]{1,25}[:：]\s*●")
_EN_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"'])")
ACKNOWLEDGEMENTS = "ご協力頂いた有識者"


@dataclass(frozen=True)
class Line:
    number: int  # line index in the passage text (the same in its English translation)
    text: str  # without bullet mark
    depth: int  # 0 for a paragraph, 1+ for list items by indentation
    bullet: bool


@dataclass(frozen=True)
class Block:
    position: int  # order within the passage
    label: str | None  # the heading introducing a list (shown as its label, never as a statement)
    lines: tuple[Line, ...]
    label_number: int | None = None  # the label's line in the passage text

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def is_list(self) -> bool:
        return any(line.bullet for line in self.lines)


def blocks_of(passage) -> tuple[Block, ...]:
    """The quotable blocks of a passage, in document order (cached per passage text)."""
    if ACKNOWLEDGEMENTS in (passage.heading or ""):
        return ()
    return _blocks(passage.text)


def lines_mentioning(passage, word: str) -> tuple[Block, ...]:
    """One-line blocks of the passage's lines that mention `word`, heading-like lines included: in a list of
    duties such as I 3-3's 「(5) 重要技術の流出等の緊急事態発生時の連絡体制の整備」 the numbered line is the
    provision itself, with no body under it."""
    return tuple(Block(number, None, (Line(number, _strip(raw)[0], 0, False),))
                 for number, raw in enumerate(passage.text.splitlines())
                 if word in raw and _line_kind(raw) != "skip")


def _line_kind(raw: str) -> str:
    line = raw.strip()
    pointer = len(line) <= FIGURE_POINTER_MAX_CHARS and _FIGURE_MENTION.search(line)
    if not line or pointer or _CAPTION.search(line) or _FAQ_QUESTION.match(line):
        return "skip"
    if _BULLET.match(raw):
        return "bullet"
    if _FAQ_ANSWER.match(line):
        return "text"
    if line.startswith("【チェックリスト】") or _LABELLED_HEADING.match(line):
        return "heading" if not re.search(r"[。]$", line) else "text"
    if len(line) < HEADING_MAX_CHARS and not re.search(r"[。！？!?、,:：]$", line) and "。" not in line:
        return "heading"
    return "text"


def strip_marker(raw: str) -> str:
    """A line without its bullet mark or FAQ `A:` prefix (Japanese or its English translation)."""
    return _strip(raw)[0]


def _strip(raw: str) -> tuple[str, int]:
    match = _BULLET.match(raw)
    if not match:
        return _FAQ_ANSWER.sub("", raw.strip()), 0
    return raw[match.end():].strip(), 1 + len(match.group(1).expandtabs(2)) // 2


_cache: dict[str, tuple[Block, ...]] = {}


def _blocks(text: str) -> tuple[Block, ...]:
    cached = _cache.get(text)
    if cached is not None:
        return cached
    blocks: list[Block] = []
    label: str | None = None
    label_number: int | None = None
    lines: list[Line] = []
    open_for_items = False  # the current block takes the list items that follow

    def close() -> None:
        nonlocal lines, label, label_number, open_for_items
        if lines:
            blocks.append(Block(len(blocks), label, tuple(lines), label_number))
        lines, label, label_number, open_for_items = [], None, None, False

    parsed = [(number, kind, *_strip(raw)) for number, raw in enumerate(text.splitlines())
              if (kind := _line_kind(raw)) != "skip"]
    for index, (number, kind, body, depth) in enumerate(parsed):
        following = parsed[index + 1] if index + 1 < len(parsed) else None
        if kind == "heading":
            close()
            label, label_number, open_for_items = body, number, True
        elif kind == "bullet":
            if lines and not open_for_items:
                close()  # a paragraph that announces nothing is not a list's opening
            parent = following is not None and following[1] == "bullet" and following[3] > depth
            statement = len(body) > LIST_ITEM_MAX_CHARS or bool(_INTRODUCES.search(body))
            if parent and lines and depth <= min(line.depth for line in lines):
                close()  # a new sub-list: 「○ その他」 with its ✓ items
            elif statement and lines and not parent and depth <= min(line.depth for line in lines):
                close()  # a statement of its own after a list
            term = (following is not None and following[1] == "text" and len(body) <= HEADING_MAX_CHARS
                    and "。" not in body and not (lines and lines[-1].bullet and lines[-1].depth >= depth))
            if term:
                close()
                label, label_number, open_for_items = body, number, True  # a defined term and its definition
                continue
            if not lines and parent and len(body) <= HEADING_MAX_CHARS and not statement:
                if label is None:
                    label, label_number = body, number  # a short bullet heading its items
                open_for_items = True
                continue
            lines.append(Line(number, body, depth, True))
            open_for_items = True
        elif open_for_items and label is not None and _TABLE_ROW.match(body):
            lines.append(Line(number, body, 1, False))  # 「政府: ●…」 rows under a country's name
        elif label is not None and not lines:
            lines = [Line(number, body, 0, False)]  # the paragraph a heading or a defined term labels
            open_for_items = bool(_INTRODUCES.search(body))
        else:
            close()
            lines = [Line(number, body, 0, False)]
            open_for_items = bool(_INTRODUCES.search(body))
    close()
    result = tuple(b for b in blocks if _says_something(b))
    if len(_cache) > 4096:
        _cache.clear()
    _cache[text] = result
    return result


def _says_something(block: Block) -> bool:
    """A stray 「はい。」, a lone bullet mark, or a sentence announcing a list that is not there
    (「以下の通り定義する。」 before separately labelled terms) says nothing on its own."""
    if len(block.lines) == 1 and not block.lines[0].bullet and _ANNOUNCES.search(block.lines[0].text):
        return False
    return len(re.sub(r"[\s。、・はいいえYesNo.]", "", block.text)) > 3


def split_sentences(text: str) -> list[str]:
    """Split Japanese after 。！？ — but not inside brackets, so 「…。」と述べた stays one sentence."""
    parts, start, depth = [], 0, 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(depth - 1, 0)
        elif ch in _ENDS and depth == 0:
            parts.append(text[start: i + 1].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def split_english_sentences(text: str) -> list[str]:
    return [s for s in _EN_SENTENCE.split(text.strip()) if s]
