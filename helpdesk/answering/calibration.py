"""Calibrating retrieval evidence on the live index, so confidence means the same for any embedder.

Two sets of probe questions written for this purpose (not taken from any evaluation set): questions
the documents clearly cover, and everyday questions they do not (weather, cooking, office chores,
including research-adjacent chores the guideline does not treat). Each evidence signal is measured on
both; a signal's 0 is set where off-topic probes top out and its 1 where covered probes typically
sit, so a confidence of 0.5 is "halfway between off-topic and typical in-domain evidence".
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

IN_DOMAIN = (
    "研究セキュリティの確保とは何ですか",
    "デュー・ディリジェンスでは何を確認しますか",
    "リスク軽減措置にはどのようなものがありますか",
    "資金配分機関は研究セキュリティについて何をしますか",
    "研究者が申告しなければならない情報は何ですか",
    "特定研究開発プログラムとはどういうものですか",
    "手順書に違反した場合はどうなりますか",
    "チェックリストは誰が作成するのですか",
    "相談窓口はどのような役割を担いますか",
    "外国の研究者を受け入れるときに注意することは",
    "研究インテグリティと研究セキュリティの違いは",
    "利益相反や責務相反はどう管理すればよいですか",
    "重要技術の流出を防ぐために研究機関がすべきこと",
    "海外の大学との共同研究で気を付けることは",
    "What is research security?",
    "What must researchers disclose about their foreign affiliations?",
    "Which risk mitigation measures are expected for international collaboration?",
    "What do funding agencies do about research security?",
    "How should institutions check their partner institutions?",
    "Which technologies count as critical technologies?",
    "What happens if a researcher breaks the procedure?",
    "Does the guideline apply to all competitive research funding?",
    "What should a university prepare before applying for a designated programme?",
    "Who decides whether a collaboration is too risky?",
    "How are foreign researchers screened before joining a project?",
)

OFF_TOPIC = (
    "明日の東京の天気は晴れますか",
    "美味しいカレーの作り方を教えてください",
    "おすすめの温泉旅館はどこですか",
    "Pythonでリストを並び替える方法",
    "昨日のプロ野球の試合結果を教えて",
    "引っ越しのときに役所で必要な手続きは",
    "年末調整の書類の書き方がわかりません",
    "学会の参加費をクレジットカードで払えますか",
    "研究室のプリンターが紙詰まりしました",
    "英文校正サービスのおすすめを教えて",
    "大学の駐車場の利用申請はどこでしますか",
    "新入生歓迎会の会場を探しています",
    "What's the weather like in Osaka tomorrow?",
    "How do I bake sourdough bread at home?",
    "Can you recommend a good laptop for programming?",
    "Who won the football match last night?",
    "How do I renew my driver's license in Japan?",
    "What time does the campus cafeteria close?",
    "How do I reset my university email password?",
    "Which train line goes from Tokyo to Kyoto fastest?",
    "Can I bring my dog to the office?",
    "How should I format references in a thesis?",
    "Where can I buy cheap concert tickets?",
)


@dataclass(frozen=True)
class Range:
    """Maps a raw signal onto [0, 1]: `low` is where off-topic evidence tops out, `high` typical in-domain."""

    low: float
    high: float

    @property
    def separates(self) -> bool:
        """Whether typical in-domain evidence lies above the off-topic ceiling at all."""
        return self.high > self.low

    def scale(self, value: float) -> float:
        # A signal whose in-domain median is not above the off-topic ceiling cannot tell them apart
        # (e5's English-to-Japanese passage cosines): it vouches for nothing rather than for everything above the ceiling.
        if not self.separates:
            return 0.0
        return float(np.clip((value - self.low) / (self.high - self.low), 0.0, 1.0))

    @classmethod
    def between(cls, off_topic: list[float], in_domain: list[float]) -> Range:
        # 90th percentile of off-topic: a few odd off-topic probes should not define the floor alone.
        return cls(float(np.percentile(off_topic, 90)), float(np.median(in_domain)))
