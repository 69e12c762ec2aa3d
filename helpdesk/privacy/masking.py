"""Removing personal details from ticket and chat text before it is shared beyond its case.

Masks what can be recognised: e-mail addresses, phone numbers, names followed by an honorific
(山田さん, 佐藤先生, 鈴木様, 田中氏), English names after a title (Dr. Smith), and any identifier
known to belong to the requester (their name, e-mail, institution). A curator still reads the
draft before anyone else can: this is a first pass, not a guarantee.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Runs of digits with phone-style separators; checked for a plausible number of digits below.
PHONE = re.compile(r"(?<![\d０-９.,])(?:\+|＋|\(|（)?[\d０-９][\d０-９\-‐－ー()（）\s]{7,18}[\d０-９](?![\d０-９])")
HONORIFIC_NAME = re.compile(
    r"(?<![一-龥々ァ-ヶー])([一-龥々ァ-ヶーA-Za-z]{1,8}(?:[ 　][一-龥々ァ-ヶーA-Za-z]{1,8})?)"
    r"(さん|さま|様|先生|氏|殿|くん|君)"
)
TITLE_NAME = re.compile(r"\b(?:Dr|Prof|Mr|Mrs|Ms|Mx)\.?\s+[A-Z][a-zA-Z'-]+(?:\s+[A-Z][a-zA-Z'-]+)?")
# Words that take an honorific without naming anyone.
NOT_NAMES = frozenset({"皆", "各位", "お客", "研究者", "担当者", "利用者", "申請者", "相談者", "先方", "貴", "御中", "関係者"})
MASK = {"email": "[メールアドレス]", "phone": "[電話番号]", "name": "〇〇", "person": "[氏名]"}


def _phone(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group(0).translate(str.maketrans("０１２３４５６７８９", "0123456789")))
    plausible = 10 <= len(digits) <= 13 and (digits.startswith("0") or match.group(0).lstrip().startswith(("+", "＋")))
    return MASK["phone"] if plausible else match.group(0)


def _honorific(match: re.Match) -> str:
    name = match.group(1)
    return match.group(0) if name in NOT_NAMES else MASK["name"] + match.group(2)


def mask(text: str, known: Sequence[str | None] = ()) -> str:
    """`text` with personal details replaced by placeholders; `known`: the requester's identifiers."""
    text = EMAIL.sub(MASK["email"], text)
    for value in sorted({k.strip() for k in known if k and len(k.strip()) >= 2}, key=len, reverse=True):
        text = re.sub(re.escape(value), MASK["person"], text, flags=re.IGNORECASE)
        # A full name's parts are masked too (「山田です」 after 「山田 太郎」 signed the question).
        for part in value.split():
            if len(part) >= 2 and "@" not in part:
                text = re.sub(re.escape(part), MASK["person"], text, flags=re.IGNORECASE)
    text = PHONE.sub(_phone, text)
    text = TITLE_NAME.sub(MASK["person"], text)
    return HONORIFIC_NAME.sub(_honorific, text)
