"""An encounter dataset on disk: Parquet files partitioned ``year=Y/month=M`` by the encounter's period date.

A dataset is written into a hidden directory beside its target and renamed into place only when complete, so a
reader sees the old dataset or the new one, never half of one. ``_common_metadata`` (ignored by DuckDB's glob and
by Spark) holds the schema and the expansion weight (扩样权数): how many real encounters each record stands for —
1 for complete records, more for a sample such as the demo's synthetic one. Counts written back are multiplied
by it, so that a sample gives the region's totals and its bed-days can be set against the registry's beds.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from healthplan.domain.problems import HealthplanError
from healthplan.utilization.schema import ENCOUNTER_SCHEMA, EncounterType

METADATA_FILE = "_common_metadata"
WEIGHT_KEY = b"healthplan.weight"


def period_dates(table: Any) -> Any:
    """The date an encounter is counted at: discharge for an inpatient stay, the visit date otherwise."""
    inpatient = pc.equal(table["type"], EncounterType.INPATIENT.value)
    return pc.if_else(inpatient, table["discharge_date"], table["admit_date"])


@dataclass(frozen=True)
class EncounterDataset:
    root: Path
    weight: float
    years: tuple[int, ...]

    @classmethod
    def open(cls, path: Path) -> EncounterDataset:
        """The dataset at ``path``, written by ``utilization import`` or ``synth encounters``."""
        meta = path / METADATA_FILE
        if not meta.is_file():
            raise HealthplanError(
                f"“{path}”不是就诊记录数据集（缺少 {METADATA_FILE}）；请先用 healthplan utilization import 导入",
                f"{path} is not an encounter dataset (no {METADATA_FILE}); import it with "
                f"`healthplan utilization import` first")
        metadata = pq.read_schema(meta).metadata or {}
        years = sorted(int(p.name[5:]) for p in path.glob("year=*") if p.is_dir() and p.name[5:].isdigit())
        return cls(path, float(metadata.get(WEIGHT_KEY, b"1")), tuple(years))

    @property
    def files(self) -> str:
        """The glob of the data files (DuckDB reads the partitions from the paths)."""
        return str(self.root / "year=*" / "month=*" / "*.parquet")

    def require(self, year: int) -> None:
        if year not in self.years:
            have = "、".join(map(str, self.years)) or "无"
            raise HealthplanError(f"数据集中没有 {year} 年的就诊记录（已有：{have}）",
                                  f"the dataset has no encounters in {year} (has: {', '.join(map(str, self.years))})")


class DatasetWriter:
    """Collects encounter tables into a new dataset; :meth:`commit` renames it over ``target`` at once."""

    def __init__(self, target: Path, weight: float = 1.0) -> None:
        if target.exists() and not (target / METADATA_FILE).is_file() and any(target.iterdir()):
            raise HealthplanError(f"输出目录“{target}”已存在且不是就诊记录数据集，未覆盖",
                                  f"{target} exists and is not an encounter dataset; not overwritten")
        if weight <= 0:
            raise HealthplanError(f"扩样权数必须为正数，得到 {weight}", f"the weight must be positive, got {weight}")
        self.target = target
        self.weight = weight
        self.staging = target.parent / f".{target.name}.writing-{uuid.uuid4().hex[:8]}"
        self.rows = 0
        self._parts: dict[tuple[int, int], int] = {}

    def write(self, table: Any) -> None:
        """Append rows (in the encounter schema), one new file per year and month they fall in."""
        if table.num_rows == 0:
            return
        dates = period_dates(table)
        keys = pc.add(pc.multiply(pc.year(dates), 100), pc.month(dates)).to_numpy(zero_copy_only=False)
        ordered = table
        if np.any(keys[1:] < keys[:-1]):
            order = np.argsort(keys, kind="stable")
            ordered, keys = table.take(pa.array(order)), keys[order]
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        for start, stop in zip(starts, [*starts[1:], len(keys)], strict=True):
            year, month = divmod(int(keys[start]), 100)
            part = self._parts.get((year, month), 0)
            self._parts[(year, month)] = part + 1
            folder = self.staging / f"year={year}" / f"month={month}"
            folder.mkdir(parents=True, exist_ok=True)
            pq.write_table(ordered.slice(start, stop - start), folder / f"part-{part:05d}.parquet",
                           compression="zstd")
        self.rows += table.num_rows

    def commit(self) -> EncounterDataset:
        self.staging.mkdir(parents=True, exist_ok=True)
        schema = ENCOUNTER_SCHEMA.with_metadata({WEIGHT_KEY: repr(float(self.weight)).encode()})
        pq.write_metadata(schema, self.staging / METADATA_FILE)
        old = self.target.parent / f".{self.target.name}.old-{uuid.uuid4().hex[:8]}"
        if self.target.exists():
            self.target.rename(old)
        self.staging.rename(self.target)
        shutil.rmtree(old, ignore_errors=True)
        return EncounterDataset.open(self.target)

    def abort(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


@contextmanager
def writing(target: Path, weight: float = 1.0) -> Iterator[DatasetWriter]:
    """A writer that leaves nothing behind when the block fails; the caller commits."""
    writer = DatasetWriter(target, weight)
    try:
        yield writer
    finally:
        writer.abort()
