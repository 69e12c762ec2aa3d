"""What kind of answer a question asks for (yes or no, a time, a who, a list …) and, for a yes/no
question, whether the sentence that answers it says yes or no."""
from __future__ import annotations

import re
from enum import StrEnum


class Kind(StrEnum):
    YES_NO = "yes_no"
    WHEN = "when"
    WHO = "who"
    LIST = "list"
    OTHER = "other"


_WHEN = re.compile(r"いつ|時期|タイミング|期限|締切|締め切り|何日|\bwhen\b|\bdeadline\b|\bby when\b|\bhow long\b", re.I)
_WHO = re.compile(r"誰|だれ|どこが|どの機関|どちらが|\bwho\b|\bwhich (body|agency|organisation|organization|office)\b", re.I)
_LIST = re.compile(r"どんな|どのような|どういう|何を|なにを|何が|例|項目|一覧|\bwhat (kinds?|sorts?|types?|examples?|measures|items)\b|"
                   r"\bwhich\b|\blist\b", re.I)
_OPEN_JA = re.compile(r"何|なに|なぜ|どう|どの|どこ|どれ|どんな|誰|いつ|いくら|どちら")
_YES_NO_JA = re.compile(r"(ですか|ますか|でしょうか|ませんか|のか|んですか|の\?|の？|よね|か\?|か？|"
                        r"いい\?|いい？|ある\?|ある？|できる\?|できる？)\s*$")
_YES_NO_EN = re.compile(r"^\s*(is|are|am|was|were|do|does|did|can|could|must|should|shall|will|would|may|might|has|have|had)\b",
                        re.I)
_NEGATIVE_JA = re.compile(r"(ない|ません|ず[、。]|ではなく|不要|必要はない|求めない|できない|当たらない|あたらない)")
_NEGATIVE_EN = re.compile(r"\b(not|no|never|n't|without)\b|n't\b", re.I)
_OPENS_WITH_ANSWER = re.compile(r"^\s*(はい|いいえ|Yes|No)\b[、。,.!]?", re.I)


def kind_of(question: str, lang: str) -> Kind:
    """The kind of answer asked for; the last clause decides when a question asks several things."""
    last = re.split(r"[。？?！!]\s*(?=\S)", question.strip())[-1]
    if _WHEN.search(last):
        return Kind.WHEN
    if _WHO.search(last):
        return Kind.WHO
    if lang == "en":
        if _YES_NO_EN.match(last) and not _LIST.search(last):
            return Kind.YES_NO
    elif _YES_NO_JA.search(last) and not _OPEN_JA.search(last):
        return Kind.YES_NO
    return Kind.LIST if _LIST.search(last) else Kind.OTHER


def opens_with_answer(text: str) -> bool:
    """Whether `text` already says yes or no first (FAQ answers often do: 「はい。…」)."""
    return bool(_OPENS_WITH_ANSWER.match(text))


def says_yes(question: str, answer_sentence: str, lang: str) -> bool:
    """Whether `answer_sentence` answers the yes/no `question` with yes: a negative answer to a
    positive question is a no, and so is a positive answer to a negative one."""
    asked_negative = bool((_NEGATIVE_EN if lang == "en" else _NEGATIVE_JA).search(question))
    answered_negative = bool(_NEGATIVE_JA.search(answer_sentence))
    return asked_negative == answered_negative


# Where one question hands over to the next: the end of a sentence, the openings that add a second ask
# (「また」「あと」「それと」, "Also", "And also"), 「…のか、…のか」 (two embedded questions), and ", and
# what/how/do …" joining two English questions.
_ASK_BREAK = re.compile(
    r"(?<=[。？?！!])\s*|(?<=のか)、(?=[^。？?]*のか)|\s*(?=(?:また|あと|それと|さらに)、)|"
    r",?\s+(?=and also\b)|,\s+(?=and (?:what|which|how|who|when|where|why|whether|do|does|did|is|are|can|could|"
    r"should|must|will|would|if)\b)",
    re.I,
)
# A clause that asks something (rather than giving its context): a question mark, or the endings of a
# Japanese request or question.
_ASKS = re.compile(r"[?？]\s*$|(か|ください|下さい|教えて|ご教示|知りたい|確認したい|いい|ある|できる|の)[。！!]?\s*$|"
                   r"\b(?:what|which|how|who|when|where|why|whether)\b", re.I)
# An alternative (「それとも委託？」, "Or …?") belongs to the ask before it: one question, two options.
_ALTERNATIVE = re.compile(r"^\s*(それとも|あるいは|or\b)", re.I)
OPTION_MAX_CHARS = 7  # so does a bare option (「申請前？」「採択後？」) after a question


def asks_of(question: str) -> list[str]:
    """The question's separate asks, in order: each clause that asks something, with the statements
    before it that give its context (a lone statement joins the ask after it, an alternative or a bare
    option joins the ask before it). One ask for a question that asks one thing."""
    clauses = [c.strip() for c in _ASK_BREAK.split(question.strip()) if c and c.strip()]
    asks: list[str] = []
    context = ""
    for clause in clauses:
        if not _ASKS.search(clause):
            context = f"{context}{clause} "
            continue
        if asks and not context and (_ALTERNATIVE.match(clause) or len(clause) <= OPTION_MAX_CHARS):
            asks[-1] = f"{asks[-1]} {clause}"
        else:
            asks.append(f"{context}{clause}".strip())
        context = ""
    if context:
        if asks:
            asks[-1] = f"{asks[-1]} {context.strip()}"
        else:
            asks.append(context.strip())
    return asks or [question.strip()]
