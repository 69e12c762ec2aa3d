"""Result tables shared by every evaluation section: printed as Markdown, emitted as JSON."""
from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list]

    def to_dict(self) -> dict:
        return asdict(self)

    def to_markdown(self) -> str:
        def cell(value) -> str:
            return f"{value:.3f}" if isinstance(value, float) else str(value)

        lines = [f"**{self.title}**", "", "| " + " | ".join(self.columns) + " |",
                 "|" + "|".join("---" for _ in self.columns) + "|"]
        lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in self.rows]
        return "\n".join(lines)
