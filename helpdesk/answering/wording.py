"""The answer's own wording (everything that is not quoted from the sources), Japanese and English."""
from __future__ import annotations

# The guideline's own rule for the desk (II 第2章), closing every answer.
NOTICE = {
    "ja": "相談窓口は助言やアドバイスを行うものであり、相談機関に代わって判断するものではない（最終的な判断は研究機関が実施）。",
    "en": "The desk gives advice only and does not decide in place of the institution that consults it "
    "(the final decision is made by the research institution).",
}

WORDS: dict[str, dict[str, str]] = {
    "yes": {"ja": "はい。", "en": "Yes."},
    "no": {"ja": "いいえ。", "en": "No."},
    "desk_entry": {"ja": "窓口FAQ", "en": "desk FAQ"},
    "original": {"ja": "原文（日本語）", "en": "Japanese original"},
    "untranslated": {
        "ja": "",
        "en": "*(No English translation of this passage yet: quoted in Japanese.)*",
    },
    "provisional": {
        "ja": "",
        "en": "*English quotes are provisional translations (仮訳), not official; the Japanese original, "
        "shown after each, is authoritative.*",
    },
    "declined": {
        "ja": "申し訳ありませんが、このご質問は手順書・FAQ・チェックリストの対象外のため、この窓口ではお答えできません。",
        "en": "Sorry, this question is outside what the guideline, the FAQ and the checklists cover, so the desk "
        "cannot answer it here.",
    },
    "weak": {
        "ja": "このご質問に正面から答える記述は資料に見当たりませんでした。関連する記述は次のとおりです。"
        "担当者にご質問を引き継ぐこともできます。",
        "en": "The documents do not answer this question directly. The closest passage is below; you can also "
        "pass the question on to a person at the desk.",
    },
    "route.fa": {
        "ja": "**このご相談は{destination}にお取り次ぎします。**",
        "en": "**This question goes to the {destination}.**",
    },
    "route.ministry": {
        "ja": "**このご相談は{destination}にお取り次ぎします。**",
        "en": "**This question goes to the {destination}.**",
    },
    "route.emergency": {
        "ja": "**緊急事態の可能性があります。すぐに担当者（{destination}）へ引き継ぎます。**",
        "en": "**This may be an emergency. Please hand it over to a person ({destination}) now.**",
    },
    "route.topic": {
        "ja": "このテーマについて資料に書かれていること：",
        "en": "What the documents say on the topic:",
    },
    "handoff.weak": {"ja": "資料に該当する記述が見つかりませんでした", "en": "No matching passage in the documents"},
    "handoff.out_of_scope": {"ja": "この窓口の対象外のご質問です", "en": "Outside what this desk covers"},
    "handoff.routed": {"ja": "担当機関への取次が必要です", "en": "Needs to be forwarded"},
    "handoff.emergency": {"ja": "緊急事態の可能性", "en": "Possible emergency"},
}


def words(key: str, lang: str, **values: str) -> str:
    return WORDS[key][lang].format(**values)
