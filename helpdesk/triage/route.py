"""The triage result: where a question goes and why."""
from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("desk", "fa", "ministry", "emergency", "out_of_scope")


@dataclass
class Route:
    kind: str  # one of KINDS
    queue: str  # a queue id from routing/queues.yaml (desk, jst, …, none)
    reason_ja: str
    reason_en: str
    lang: str = "ja"  # language of the question; selects `reason`
    cites: list[str] = field(default_factory=list)  # guideline passage ids backing the rule
    notify: list[str] = field(default_factory=list)  # extra queues to alert (emergencies)
    program: str | None = None  # detected program id from routing/programs.yaml

    @property
    def reason(self) -> str:
        return self.reason_en if self.lang == "en" else self.reason_ja

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "queue": self.queue,
            "reason": self.reason,
            "cites": list(self.cites),
            "notify": list(self.notify),
            "program": self.program,
        }
