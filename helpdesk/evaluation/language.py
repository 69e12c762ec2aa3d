"""Language section of `helpdesk eval`: is the answer to every English question of the file in English?

The answers section measures the same share on the answer keys' English items; this one covers every
English question of the file given (e.g. tests/data/dev_questions_en.jsonl), routed and declined ones
too. The share of Latin letters among the Latin and Japanese letters of the body (before the desk's
closing notice), leaving out the Japanese originals that follow an English answer's quotes.
"""
from __future__ import annotations

from ..answering.answerer import get_answerer
from ..answering.compose import without_originals
from ..answering.language import latin_share
from .answer_keys import body
from .questions import Question
from .tables import Table


def language_section(questions: list[Question]) -> list[Table]:
    english = [q for q in questions if q.lang == "en"]
    if not english:
        return []
    answerer = get_answerer()
    shares = [(latin_share(without_originals(body(answerer.respond(q.question, q.lang).markdown))), q)
              for q in english]
    lowest, question = min(shares, key=lambda s: s[0])
    return [Table("Language — English questions' answer bodies (Japanese originals left out)",
                  ["n", "Latin share, mean", "Latin share, lowest", "lowest"],
                  [[len(shares), sum(s for s, _ in shares) / len(shares), lowest, question.id]])]
