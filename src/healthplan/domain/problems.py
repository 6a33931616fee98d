"""Bilingual, located problems: every bad input is reported as ``file:row:column: 中文 / English``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, with where it is (row/column 1-based; None when not applicable)."""

    zh: str
    en: str
    source: str = ""
    row: int | None = None
    column: int | str | None = None

    def located(self) -> str:
        parts = [self.source or "<input>"]
        if self.row is not None:
            parts.append(str(self.row))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        return f"{self.located()}: {self.zh} / {self.en}"

    def to_json(self) -> dict[str, object]:
        return {"source": self.source, "row": self.row, "column": self.column, "message_zh": self.zh,
                "message_en": self.en}


class HealthplanError(Exception):
    """An error the user can act on; the CLI prints it without a traceback."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh = zh
        self.en = en


class ValidationFailed(HealthplanError):
    """Input rejected as a whole: nothing was written."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        n = len(self.problems)
        super().__init__(f"发现 {n} 处错误，未写入任何数据", f"{n} problem(s) found, nothing was written")

    def report(self, limit: int = 200) -> str:
        lines = [str(p) for p in self.problems[:limit]]
        if len(self.problems) > limit:
            lines.append(f"… 另有 {len(self.problems) - limit} 处 / {len(self.problems) - limit} more")
        lines.append(f"{self.zh} / {self.en}")
        return "\n".join(lines)


class NotFound(HealthplanError):
    pass
