"""Import encounter files: validate every row, write the good ones as a dataset, quarantine the rest.

Encounter extracts are large and a few bad rows in 10⁷ are normal, so a file is not rejected whole for them
(unlike the registry and value imports): each bad row goes to ``<output>.quarantine.csv`` beside the dataset
with its row number, columns and reasons, and the report counts accepted and quarantined rows — nothing is
dropped silently. What stays all-or-nothing is the output: the dataset is written beside its target and renamed
into place at the end (``dataset.writing``), so a failed import leaves the previous dataset untouched, and
re-importing the same file gives the same dataset. ``strict`` restores the all-or-nothing rule for rows too.
A file whose header lacks a required column is rejected whole.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from healthplan.domain.problems import Problem, ValidationFailed
from healthplan.utilization.dataset import writing
from healthplan.utilization.duplicates import FirstOccurrence, Hasher, repeated
from healthplan.utilization.schema import COLUMNS
from healthplan.utilization.sources import Batch, SourceFile, open_sources
from healthplan.utilization.territory import Territory
from healthplan.utilization.validate import Checked, Rule, check

QUARANTINE_SUFFIX = ".quarantine.csv"
PROBLEMS_KEPT = 10_000
QUARANTINE_HEADER = ("source", "row", "column", "reason_zh", "reason_en", *COLUMNS)


def quarantine_path(output: Path) -> Path:
    return output.with_name(output.name + QUARANTINE_SUFFIX)


@dataclass
class ImportReport:
    source: str
    output: str | None = None
    rows: int = 0
    accepted: int = 0
    quarantined: int = 0
    quarantine: str | None = None
    weight: float = 1.0
    years: list[int] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    reasons: Counter[tuple[str, str, str]] = field(default_factory=Counter)  # (column, zh, en) → rows
    problems: list[Problem] = field(default_factory=list)  # the first PROBLEMS_KEPT, located

    def to_json(self) -> dict[str, object]:
        return {"source": self.source, "output": self.output, "rows": self.rows, "accepted": self.accepted,
                "quarantined": self.quarantined, "quarantine": self.quarantine, "weight": self.weight,
                "years": self.years, "ignored_columns": self.ignored_columns,
                "reasons": [{"column": c, "reason_zh": zh, "reason_en": en, "rows": n}
                            for (c, zh, en), n in self.reasons.most_common()],
                "problems": [p.to_json() for p in self.problems[:100]]}


class _Quarantine:
    """Rejected rows, written to a hidden file that replaces the quarantine file only when the import ends."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.staging = path.with_name(f".{path.name}.{os.getpid()}") if path is not None else None
        if self.staging is not None:
            self.staging.parent.mkdir(parents=True, exist_ok=True)
        self._handle = self.staging.open("w", encoding="utf-8-sig", newline="") if self.staging else None
        self._writer = csv.writer(self._handle) if self._handle else None
        if self._writer is not None:
            self._writer.writerow(QUARANTINE_HEADER)

    def add(self, row: list[object]) -> None:
        if self._writer is not None:
            self._writer.writerow(row)

    def finish(self, rows: int) -> str | None:
        """Publish the file (or remove a stale one when nothing was rejected); the path when written."""
        if self._handle is None or self.staging is None or self.path is None:
            return None
        self._handle.close()
        if rows == 0:
            self.staging.unlink()
            self.path.unlink(missing_ok=True)
            return None
        self.staging.replace(self.path)
        return str(self.path)

    def discard(self) -> None:
        if self._handle is not None and self.staging is not None:
            self._handle.close()
            self.staging.unlink(missing_ok=True)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _duplicates(files: list[SourceFile], hasher: Hasher) -> FirstOccurrence:
    hashes = (hasher(batch.rows["encounter_id"]) for f in files for batch in f.batches(["encounter_id"]))
    return FirstOccurrence(repeated(hashes), hasher)


def _duplicate_rule(batch: Batch, seen: FirstOccurrence) -> Rule:
    mask, earlier = seen.check(batch.rows["encounter_id"], batch.source, batch.first_row)
    context = {}
    for index, (source, row) in earlier.items():
        where = f"{source}:{row}" if source != batch.source else str(row)
        context[index] = (f"首次出现在第 {where} 行", f"first at row {where}")
    return Rule("encounter_id", mask, "就诊编号重复", "duplicate encounter_id", context)


def _record(report: ImportReport, quarantine: _Quarantine, file: SourceFile, batch: Batch,
            checked: Checked) -> None:
    if len(checked.rejected) == 0:
        return
    raw = batch.rows.take(checked.rejected).to_pylist()
    for index, cells in zip(checked.rejected.tolist(), raw, strict=True):
        row = batch.first_row + index
        columns, zh, en = [], [], []
        for rule in checked.broken(index):
            message = rule.message(index, _text(cells.get(rule.column)))
            report.reasons[(rule.column, rule.zh, rule.en)] += 1
            columns.append(str(file.position(rule.column)))
            zh.append(message[0])
            en.append(message[1])
            if len(report.problems) < PROBLEMS_KEPT:
                report.problems.append(Problem(message[0], message[1], batch.source, row,
                                               file.position(rule.column)))
        quarantine.add([batch.source, row, ";".join(columns), "；".join(zh), "; ".join(en),
                        *(_text(cells.get(c)) for c in COLUMNS)])
    report.quarantined += len(checked.rejected)


def _run(source: Path, territory: Territory, report: ImportReport, quarantine: _Quarantine,
         accept: Callable[[Any], None]) -> None:
    files = open_sources(source)
    report.ignored_columns = sorted({c for f in files for c in f.ignored})
    hasher = Hasher()
    seen = _duplicates(files, hasher)
    for file in files:
        for batch in file.batches():
            checked = check(batch.rows, territory, [_duplicate_rule(batch, seen)])
            report.rows += batch.rows.num_rows
            report.accepted += checked.accepted.num_rows
            _record(report, quarantine, file, batch, checked)
            accept(checked.accepted)


def validate_encounters(source: Path, territory: Territory, quarantine: Path | None = None) -> ImportReport:
    """Check a file without writing a dataset (``quarantine``: where to list the rejected rows)."""
    report = ImportReport(str(source))
    sink = _Quarantine(quarantine)
    try:
        _run(source, territory, report, sink, lambda _table: None)
    except BaseException:
        sink.discard()
        raise
    report.quarantine = sink.finish(report.quarantined)
    return report


def import_encounters(source: Path, output: Path, territory: Territory, *, weight: float = 1.0,
                      strict: bool = False) -> ImportReport:
    """Validate ``source`` and write its good rows as the dataset ``output`` (replacing it as a whole)."""
    report = ImportReport(str(source), str(output), weight=weight)
    sink = _Quarantine(quarantine_path(output))  # strict and failing: discarded, like the dataset
    try:
        with writing(output, weight) as writer:
            _run(source, territory, report, sink, writer.write)
            if strict and report.quarantined:
                raise ValidationFailed(report.problems)
            dataset = writer.commit()
    except BaseException:
        sink.discard()
        raise
    report.quarantine = sink.finish(report.quarantined)
    report.years = list(dataset.years)
    return report

