"""Choosing what an answer quotes: a lead that answers the question, then whole blocks that add to it.

Relevance of a block = the share of the question's (IDF-weighted) content words it contains (with its
label; a FAQ answer also with the words of the question it answers), plus a weak prior for its
passage's retrieval rank. The lead is the best block of the passage retrieval ranks first (its
sentences chosen for the kind of question when it has more than the lead can hold); supporting blocks
follow while they are relevant, do not repeat what is quoted already (or stand next to the lead in
the same passage), and fit the answer's length budget.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from ..corpus import Passage
from .asking import Kind
from .sentences import Block, blocks_of, split_sentences
from .terms import terms_of

RANK_PRIOR = 0.1  # weak tie-breaker: retrieval rank matters less than the block's own match
KEEP_RATIO = 0.45  # supporting blocks of other passages reach this fraction of the lead's relevance
OWN_KEEP_RATIO = 0.3  # … and blocks of the lead's own passage this fraction (or they continue the lead)
FOLLOWING_BLOCKS = 2  # the blocks right after the lead continue its argument
LEAD_MAX_SENTENCES = 3
LEAD_TRIM_CHARS = 400  # a longer one-paragraph lead keeps only its best sentences
SUPPORT_BUDGET_CHARS = 450  # characters of supporting quotes after the lead
OTHER_PASSAGES = 2  # passages besides the lead's that may add a block
DUPLICATE_JACCARD = 0.5  # a block sharing more of its words with one already quoted adds no point
# Sentences that answer a kind of question say so in their own words.
KIND_CUES = {
    Kind.WHEN: re.compile(r"までに|時点|前に|後に|以降|期限|時期|段階|際[にはし]|とき|場合"),
    Kind.WHO: re.compile(r"が判断|判断する|が決定|決める|判断による|責任|が行う|が実施|機関"),
    Kind.YES_NO: re.compile(r"ない|ません|必要|できる|可能|求め|対象"),
    Kind.LIST: re.compile(r"以下|次の|例|等"),
}
KIND_BONUS = 0.08


@dataclass(frozen=True)
class Pick:
    passage: Passage
    rank: int  # retrieval rank of the passage (0 = best)
    block: Block
    relevance: float
    terms: frozenset
    sentences: tuple[int, ...] = ()  # for the lead: which sentences of a one-line block it keeps (empty: all)
    items: tuple[int, ...] = ()  # for the lead: which lines of a list of statements it keeps (empty: all)


@lru_cache(maxsize=8192)
def _terms(text: str) -> frozenset:
    return terms_of(text)


def _question_terms(passage) -> frozenset:
    return _terms(passage.question) if passage.type == "faq" and passage.question else frozenset()


def _block_terms(block: Block) -> frozenset:
    return _terms(f"{block.label or ''}\n{block.text}")


def remember_terms(passages) -> None:
    """Tokenise every quotable block of `passages` now (at start-up, about 0.1 s for the corpus), so that
    an ask finds the terms of the blocks it scores already known instead of tokenising them itself."""
    for passage in passages:
        _question_terms(passage)
        for block in blocks_of(passage):
            _block_terms(block)


def picks(passages: list, weights: dict[str, float], kind: Kind | None = None) -> list[Pick]:
    """Every quotable block of `passages` (in retrieval order), scored against the query `weights`."""
    total = sum(weights.values()) or 1.0
    cue = KIND_CUES.get(kind) if kind is not None else None
    found = []
    for rank, passage in enumerate(passages):
        prior = RANK_PRIOR * (1 - rank / max(len(passages), 1))
        asked = _question_terms(passage)
        for block in blocks_of(passage):
            terms = _block_terms(block)
            coverage = sum(w for t, w in weights.items() if t in terms or t in asked) / total
            bonus = KIND_BONUS if cue is not None and coverage > 0 and cue.search(block.text) else 0.0
            found.append(Pick(passage, rank, block, coverage + prior + bonus, terms))
    return found


def lead(pool: list[Pick], weights: dict[str, float], kind: Kind | None = None) -> Pick | None:
    """The best block of the first-ranked passage that shares a word with the question (else the best
    block of all), trimmed to the sentences that answer when it is one long paragraph."""
    top = [p for p in pool if p.rank == 0 and p.relevance > RANK_PRIOR]
    chosen = max(top or pool, key=lambda p: p.relevance, default=None)
    if chosen is None:
        return None
    cue = KIND_CUES.get(kind) if kind is not None else None

    def score(text: str, index: int) -> float:
        words = _terms(text)
        bonus = KIND_BONUS if cue is not None and cue.search(text) else 0.0
        return sum(w for t, w in weights.items() if t in words) + bonus - 0.001 * index

    lines = chosen.block.lines
    if chosen.block.is_list:
        # A list of separate statements (no sentence introduces it) answers a question that is not
        # asking for a list with its statements that match; a list asked for is quoted complete.
        if kind is Kind.LIST or not lines[0].bullet or len(lines) <= LEAD_MAX_SENTENCES:
            return chosen
        ranked = sorted(range(len(lines)), key=lambda i: score(lines[i].text, i), reverse=True)
        return replace(chosen, items=tuple(sorted(ranked[:2])))
    if len(lines) != 1 or len(lines[0].text) <= LEAD_TRIM_CHARS or chosen.passage.type == "faq":
        return chosen
    sentences = split_sentences(lines[0].text)
    if len(sentences) <= LEAD_MAX_SENTENCES:
        return chosen
    ranked = sorted(range(len(sentences)), key=lambda i: score(sentences[i], i), reverse=True)
    return replace(chosen, sentences=tuple(sorted(ranked[:LEAD_MAX_SENTENCES])))


def support(pool: list[Pick], first: Pick, weights: dict[str, float], rests_on: frozenset[str] | set[str] = frozenset(),
            anchor=None, budget: int = SUPPORT_BUDGET_CHARS, asked: tuple[Pick, ...] = (),
            following: Passage | None = None) -> list[Pick]:
    """Blocks that add to the lead, in reading order: first the rest of the lead's passage that speaks to
    the question (a passage is one topic, and retrieval trusted it most), then the best block of each
    of the next passages that does not repeat what is quoted already, within the length budget. The
    passages the lead `rests_on` (a desk entry's sources, by id) come first and count as the lead's
    own: the entry says what they say in plain words, so their blocks need only the lower bar and may
    repeat the lead's words. The `anchor` passage (the document passage that best answers a question a
    desk entry leads) always gives its best block, first among the others. The blocks `asked` (the
    best block of each ask of a question that asks several things, each ask its own) are quoted first,
    within the one budget however many things the question asks. A lead that opens a labelled section
    (a heading and the paragraphs under it) is followed by the rest of that section, into the
    `following` passage (the next one under the same heading) where the section runs over the passage's
    end. Blocks of another labelled section of the lead's passage need the bar of another passage."""
    chosen: list[Pick] = []
    used = 0

    def take(pick: Pick) -> bool:
        nonlocal used
        size = len(pick.block.text)
        if used + size > budget:
            return False
        chosen.append(pick)
        used += size
        return True

    for pick in asked:
        if not quoted(pick, [first, *chosen]):
            take(pick)

    for pick in section_of(first, pool, following):
        if not quoted(pick, chosen):
            take(pick)

    def follows(pick: Pick) -> bool:
        return 0 < pick.block.position - first.block.position <= FOLLOWING_BLOCKS

    own = [p for p in pool if p.passage is first.passage and not quoted(p, [first, *chosen])
           and (p.relevance >= (OWN_KEEP_RATIO if _section(p) == _section(first) else KEEP_RATIO) * first.relevance
                or follows(p))]
    for pick in sorted(own, key=lambda p: (not follows(p), p.block.position if follows(p) else -p.relevance)):
        take(pick)

    def floor(pick: Pick) -> float:
        return (OWN_KEEP_RATIO if pick.passage.id in rests_on else KEEP_RATIO) * first.relevance

    others = [p for p in pool if p.passage is not first.passage and p.relevance >= floor(p)]
    # Other passages each add one block: the lead's own passage is not one of them.
    passages_used: list = list({id(p.passage): p.passage for p in chosen if p.passage is not first.passage}.values())
    best_of_anchor = max((p for p in pool if p.passage is anchor), key=lambda p: p.relevance, default=None)
    if best_of_anchor is not None and not quoted(best_of_anchor, chosen):
        chosen.append(best_of_anchor)  # the answer's main source is quoted even beyond the budget
        used += len(best_of_anchor.block.text)
        passages_used.append(anchor)
    for pick in sorted(others, key=lambda p: (p.passage.id not in rests_on, -p.relevance)):
        if len(passages_used) >= OTHER_PASSAGES:
            break
        # A source of the lead says in its own words what the lead says: that is the quote it rests on.
        compared = chosen if pick.passage.id in rests_on else [first, *chosen]
        repeats = max((_jaccard(pick.terms, c.terms) for c in compared), default=0.0) > DUPLICATE_JACCARD
        if pick.passage in passages_used or repeats or quoted(pick, chosen):
            continue
        if take(pick):
            passages_used.append(pick.passage)
    return sorted(chosen, key=lambda p: (p.passage is not first.passage, p.rank, p.block.position))


def section_of(first: Pick, pool: list[Pick], following: Passage | None) -> list[Pick]:
    """The blocks after a labelled lead that belong to its section, in reading order: those of its passage
    up to the next labelled block and, when the section reaches the passage's end, the opening unlabelled
    blocks of the `following` passage (the chunker cut the section there). Empty for an unlabelled lead."""
    if first.block.label is None:
        return []
    own = sorted((p for p in pool if p.passage is first.passage and p.block.position > first.block.position),
                 key=lambda p: p.block.position)
    section: list[Pick] = []
    for pick in own:
        if pick.block.label is not None:
            return section
        section.append(pick)
    if following is None or len(section) != len(blocks_of(first.passage)) - 1 - first.block.position:
        return section
    for block in blocks_of(following):
        if block.label is not None:
            break
        section.append(Pick(following, first.rank, block, 0.0, _terms(block.text)))
    return section


def _section(pick: Pick) -> int:
    """Which labelled section of its passage the block is in (0: before the first label)."""
    return sum(1 for b in blocks_of(pick.passage) if b.position <= pick.block.position and b.label is not None)


def quoted(pick: Pick, picks: list[Pick] | tuple[Pick, ...]) -> bool:
    """Whether `pick`'s block (the same block of the same passage, however scored) is one of `picks`."""
    return any(pick.passage.id == p.passage.id and pick.block.position == p.block.position for p in picks)


def _jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0
