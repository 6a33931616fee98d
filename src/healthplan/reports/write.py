"""Write a report in the format its file name asks for: .docx, .xlsx, .html, or .json (text, tables, sources)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from healthplan.domain.problems import HealthplanError
from healthplan.reports.model import Report

SUFFIXES = (".docx", ".xlsx", ".html", ".json")


def _json(report: Report, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report.to_json(), ensure_ascii=False, indent=2), encoding="utf-8")


def _writer(suffix: str) -> Callable[[Report, Path], None]:
    if suffix == ".docx":
        from healthplan.reports.docx_writer import write_docx

        return write_docx
    if suffix == ".xlsx":
        from healthplan.reports.xlsx_writer import write_xlsx

        return write_xlsx
    if suffix in (".html", ".htm"):
        from healthplan.reports.html_writer import write_html

        return write_html
    if suffix == ".json":
        return _json
    raise HealthplanError(f"不支持的报告格式“{suffix}”（可用 {' '.join(SUFFIXES)}）",
                          f"unsupported report format {suffix!r} (use {', '.join(SUFFIXES)})")


def check_suffix(path: Path) -> None:
    """Fail before the (slow) evaluation when the file name asks for a format we do not write."""
    _writer(path.suffix.lower())


def write_report(report: Report, path: Path) -> None:
    _writer(path.suffix.lower())(report, path)
