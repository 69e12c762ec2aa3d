"""Follow-up questions: an elliptical question is searched together with the question before it.

"それはいつやるの？" or "What about the funding agency?" name no topic of their own; on their own they
retrieve nothing useful (the first is declined). When a question in a conversation refers back and
says little itself, the previous question supplies the topic for search, triage and the choice of
sentences; the stored and displayed question stays as the user wrote it. A question that names its
own topic is searched alone, so a new subject in the same conversation is not mixed with the old one.
"""
from __future__ import annotations

import re

# Openings and phrases that point back at what was just discussed.
_REFERS_BACK_JA = re.compile(
    r"^(それ|その|これ|この|そこ|そっち|あれ|じゃあ|では|なら|だったら|ちなみに|あと|逆に)|"
    r"(その場合|この場合|それって|それは|それも|そちら|その後|そのとき|その時)"
)
_REFERS_BACK_EN = re.compile(
    r"^\s*(and|also|then|so)\b|\b(what about|how about|and if|what if|in that case|in this case|the same)\b",
    re.IGNORECASE,
)
# A question referring back with at most this many topic terms of its own is taken as a follow-up.
FOLLOW_UP_MAX_TERMS = 3


def refers_back(question: str) -> bool:
    return bool(_REFERS_BACK_JA.search(question) or _REFERS_BACK_EN.search(question))


def search_text(question: str, previous: str | None, topic_term_count: int) -> str:
    """What to search for: `question` alone, or preceded by `previous` when it is a follow-up."""
    if not previous:
        return question
    if topic_term_count == 0 or (topic_term_count <= FOLLOW_UP_MAX_TERMS and refers_back(question)):
        return f"{previous}\n{question}"
    return question
