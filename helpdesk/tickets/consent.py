"""The consent a researcher gives before an inquiry goes to a person.

Worded after the guideline's 【個人情報の取扱いについて】 (本人の同意 / 同意書及び宣誓書): the purpose
(research-security risk management), sharing with funding agencies and government bodies only as
far as needed, and the declaration that what is told is current, true and complete. The version and
a hash of both languages' wording are stored with every consent, so it is known what was agreed to.
Change the wording → bump VERSION.
"""
from __future__ import annotations

import hashlib
import json

from helpdesk.audit import record
from helpdesk.extensions import db

from .models import ConsentRecord, Ticket

VERSION = "2025-01"

# Two parts, as in the guideline: consent (同意) and declaration (宣誓).
TEXT = {
    "ja": {
        "agree": [
            "研究セキュリティの確保に向けたリスクマネジメントに関する相談を目的として、相談内容（個人情報を含む場合があります）を"
            "本相談窓口に提供し、当該目的に限り利用されることに同意します。",
            "上記目的のため、必要な範囲に限り、相談内容が資金配分機関及び関係行政機関と共有（提供）されることに同意します。",
        ],
        "declare": [
            "相談（申告）する内容は、私の知る限り現時点で最新のものであり、虚偽及び申告漏れはありません。",
        ],
        "note": "本窓口は助言を行うものであり、最終的な判断は研究機関が行います。相談内容は秘密として扱われ、必要な範囲でのみ共有されます。",
    },
    "en": {
        "agree": [
            "I provide this inquiry (which may include personal information) to the desk for consultation on "
            "research-security risk management, and agree that it is used for that purpose only.",
            "For that purpose, I agree that the inquiry may be shared with the relevant funding agencies and "
            "government bodies, only as far as needed.",
        ],
        "declare": [
            "To the best of my knowledge, what I tell the desk is current, true and complete (nothing false or left out).",
        ],
        "note": "The desk gives advice; the research institution decides. Inquiries are confidential and shared "
        "only as far as needed.",
    },
}

TEXT_HASH = hashlib.sha256(
    json.dumps({"version": VERSION, "text": TEXT}, ensure_ascii=False, sort_keys=True).encode()
).hexdigest()


def text_for(lang: str) -> dict:
    return TEXT.get(lang, TEXT["ja"])


def record_consent(user, ticket: Ticket, lang: str, version: str = VERSION, text_hash: str = TEXT_HASH) -> ConsentRecord:
    """Store and audit the consent behind `ticket` (the caller commits); `user` None: a no-login report."""
    consent = ConsentRecord(user_id=user.id if user else None, ticket_id=ticket.id, version=version,
                            text_hash=text_hash, lang=lang if lang in TEXT else "ja")
    db.session.add(consent)
    db.session.flush()
    record("consent.given", "consent", consent.id,
           {"ticket": ticket.ref, "version": version, "text_hash": text_hash, "lang": consent.lang}, actor=user)
    return consent
