"""The answer's own wording (everything that is not quoted from the sources), Japanese and English."""
from __future__ import annotations

# The guideline's own rule for the desk (II 第2章), closing every answer.
NOTICE = {
    "ja": "相談窓口は助言やアドバイスを行うものであり、相談機関に代わって判断するものではない（最終的な判断は研究機関が実施）。",
    "en": "The desk gives advice only and does not decide in place of the institution that consults it "
    "(the final decision is made by the research institution).",
}

WORDS: dict[str, dict[str, str]] = {
    "intro": {
        "ja": "手順書・FAQ・チェックリストの関連箇所です。",
        "en": "The sources are in Japanese; the relevant sentences are quoted below as written.",
    },
    "about": {"ja": "", "en": "They come from: {titles}."},
    "faq_lead": {
        "ja": "FAQ「{question}」への回答が該当します。",
        "en": "The sources are in Japanese. A FAQ entry answers this question ({number}); its answer is quoted as written:",
    },
    "also": {"ja": "関連する記述：", "en": "Related passages (in Japanese):"},
    "declined": {
        "ja": "申し訳ありませんが、このご質問にお答えできる記述を手順書・FAQ・チェックリストの中に見つけられませんでした。"
        "ご希望であれば、担当者にご質問を引き継ぎます。",
        "en": "Sorry, I could not find anything in the guideline, the FAQ or the checklists that answers this "
        "question. If you wish, I can pass it on to a person at the desk.",
    },
    "route.fa": {
        "ja": "**このご相談は資金配分機関への取次が必要です。**",
        "en": "**This question needs to go to the funding agency.**",
    },
    "route.ministry": {
        "ja": "**このご相談は関係府省への取次が必要です。**",
        "en": "**This question needs to go to the responsible ministry.**",
    },
    "route.emergency": {
        "ja": "**緊急事態の可能性があります。すぐに担当者へ引き継ぎます。**",
        "en": "**This may be an emergency. Please hand it over to a person now.**",
    },
    "route.rule": {"ja": "根拠となる手順書の記述：", "en": "The guideline's rule on this (in Japanese):"},
    "route.topic": {
        "ja": "このテーマについて資料に書かれていること：",
        "en": "What the documents say on the topic (in Japanese):",
    },
    "handoff.weak": {"ja": "資料に該当する記述が見つかりませんでした", "en": "No matching passage in the documents"},
    "handoff.routed": {"ja": "担当機関への取次が必要です", "en": "Needs to be forwarded"},
    "handoff.emergency": {"ja": "緊急事態の可能性", "en": "Possible emergency"},
}


def words(key: str, lang: str, **values: str) -> str:
    return WORDS[key][lang].format(**values)
