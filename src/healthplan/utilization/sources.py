"""Encounter files read in batches that remember where they came from (file, first row, column positions).

CSV (UTF-8, with or without BOM, or GB18030 as Chinese Excel writes it) is read as text — every cell is parsed
by the rules, so a bad cell rejects its row instead of the file. Parquet is read with its own types: a file, or a
folder of ``*.parquet`` files (read in name order). Headers may be the codes or the Chinese names of ``ALIASES``.
Rows are numbered like a spreadsheet for CSV (the header is row 1) and from 1 within each Parquet file.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from healthplan.domain.problems import Problem, ValidationFailed
from healthplan.utilization.schema import ALIASES, COLUMNS, OPTIONAL

BATCH_ROWS = 1 << 20


@dataclass(frozen=True)
class Batch:
    source: str
    first_row: int  # the row number of the batch's first row
    rows: Any  # pa.Table with canonical column names (unknown columns dropped)


@dataclass(frozen=True)
class SourceFile:
    path: Path
    kind: str  # "csv" | "parquet"
    header: tuple[str, ...]  # the names as written
    canonical: tuple[str | None, ...]  # the column each header maps to (None: not an encounter column)
    encoding: str = "utf8"

    def position(self, column: str) -> int | str:
        """Where a column is, for a located message: its 1-based number in a CSV, its name in Parquet."""
        if self.kind == "csv" and column in self.canonical:
            return self.canonical.index(column) + 1
        return column

    @property
    def ignored(self) -> list[str]:
        return [h for h, c in zip(self.header, self.canonical, strict=True) if c is None]

    def batches(self, columns: Sequence[str] | None = None) -> Iterator[Batch]:
        wanted = [c for c in (columns or COLUMNS) if c in self.canonical]
        if self.kind == "csv":
            yield from self._csv_batches(wanted)
        else:
            yield from self._parquet_batches(wanted)

    def _csv_batches(self, wanted: list[str]) -> Iterator[Batch]:
        names = [c if c is not None else f"_ignored_{i}" for i, c in enumerate(self.canonical)]
        reader = pacsv.open_csv(
            self.path, read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 24,
                                                      encoding=self.encoding),
            convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                                 include_columns=wanted, strings_can_be_null=False,
                                                 quoted_strings_can_be_null=False))
        row = 2
        for batch in reader:
            table = pa.Table.from_batches([batch])
            yield Batch(str(self.path), row, table)
            row += table.num_rows

    def _parquet_batches(self, wanted: list[str]) -> Iterator[Batch]:
        by_canonical = {c: h for h, c in zip(self.header, self.canonical, strict=True) if c is not None}
        row = 1
        for batch in pq.ParquetFile(self.path).iter_batches(BATCH_ROWS, columns=[by_canonical[c] for c in wanted]):
            table = pa.Table.from_batches([batch]).rename_columns(wanted)
            yield Batch(str(self.path), row, table)
            row += table.num_rows


def _canonical(header: Sequence[str], source: str) -> tuple[str | None, ...]:
    result: list[str | None] = []
    problems = []
    for number, name in enumerate(header, start=1):
        key = name.strip()
        column = key if key in COLUMNS else ALIASES.get(key)
        if column is not None and column in result:
            problems.append(Problem(f"列“{name}”重复（都表示 {column}）", f"column {name!r} repeats {column}",
                                    source, 1, number))
            column = None
        result.append(column)
    missing = [c for c in COLUMNS if c not in result and c not in OPTIONAL]
    if missing:
        problems.append(Problem(f"缺少必需的列：{'、'.join(missing)}", f"missing required columns: {', '.join(missing)}",
                                source, 1))
    if problems:
        raise ValidationFailed(problems)
    return tuple(result)


def _encoding(path: Path) -> str:
    head = path.open("rb").read(1 << 20)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 4:  # not just a character cut at the end of the sample
            return "gb18030"
    return "utf8"


def _csv(path: Path) -> SourceFile:
    encoding = _encoding(path)
    with path.open(encoding="utf-8-sig" if encoding == "utf8" else encoding, newline="") as handle:
        first = handle.readline()
    names = tuple(next(csv.reader([first]), []))
    return SourceFile(path, "csv", names, _canonical(names, str(path)), encoding)


def _parquet(path: Path) -> SourceFile:
    names = tuple(pq.read_schema(path).names)
    return SourceFile(path, "parquet", names, _canonical(names, str(path)))


def open_sources(path: Path) -> list[SourceFile]:
    """The files of an encounter source, their headers checked (a missing column rejects the file whole)."""
    if not path.exists():
        raise ValidationFailed([Problem(f"文件不存在：{path}", f"file not found: {path}", str(path))])
    if path.is_dir():
        files = sorted(p for p in path.rglob("*.parquet") if p.is_file())
        if not files:
            raise ValidationFailed([Problem("文件夹中没有 .parquet 文件", "no .parquet files in the folder", str(path))])
        return [_parquet(p) for p in files]
    if path.suffix.lower() == ".parquet":
        return [_parquet(path)]
    if path.suffix.lower() in (".csv", ".txt"):
        return [_csv(path)]
    raise ValidationFailed([Problem("就诊记录应为 CSV 或 Parquet 文件", "encounters must be a CSV or Parquet file",
                                    str(path))])
