"""Import surveillance counts: ``date, org_unit, source, disease_or_syndrome, count`` (DESIGN §4).

All or nothing: the whole file is checked first and every problem reported as ``file:row:column``;
re-importing the same file changes nothing.  Source and disease accept the code or the Chinese name.
"""

from __future__ import annotations

from pathlib import Path

from healthplan.domain.problems import ValidationFailed
from healthplan.store import registry
from healthplan.store.database import Database
from healthplan.store.registry import Changes
from healthplan.store.surveillance import CountWrite, write_counts
from healthplan.surveillance.catalog import Catalog, shipped_catalog
from healthplan.tabular.cells import CellReader
from healthplan.tabular.tables import read_table

ALIASES = {
    "date": ["日期", "报告日期", "day"],
    "org_unit": ["组织机构", "区划代码", "地区", "area"],
    "source": ["来源", "监测来源", "数据来源"],
    "disease_or_syndrome": ["病种", "疾病", "症状", "病种/症状", "disease", "syndrome"],
    "count": ["数量", "例数", "计数", "value"],
}
REQUIRED = ["date", "org_unit", "source", "disease_or_syndrome", "count"]


def read_counts(path: Path, database: Database, catalog: Catalog | None = None) -> list[CountWrite]:
    """Validate a counts file against the org units and the configuration; raise with every problem."""
    cat = catalog or shipped_catalog()
    with database.sessions() as session:
        levels = registry.org_unit_codes(session)
    table = read_table(path, ALIASES, REQUIRED)
    reader = CellReader(table)
    writes: list[CountWrite] = []
    seen: dict[tuple[str, str, str, object], int] = {}
    for row in table:
        day = reader.date(row, "date", required=True)
        org_unit = reader.required(row, "org_unit")
        if org_unit is not None and org_unit not in levels:
            reader.fail(row, "org_unit", f"组织机构“{org_unit}”不存在", f"org unit {org_unit!r} does not exist")
            org_unit = None
        elif org_unit is not None and levels[org_unit] == "facility":
            reader.fail(row, "org_unit", f"“{org_unit}”是机构，应填区划代码", f"{org_unit!r} is a facility, not an area")
            org_unit = None
        source_text = reader.required(row, "source")
        source = cat.source(source_text) if source_text else None
        if source_text and source is None:
            reader.fail(row, "source", f"未知的监测来源“{source_text}”，可选：{', '.join(cat.sources)}",
                        f"unknown source {source_text!r}; choose one of {', '.join(cat.sources)}")
        disease_text = reader.required(row, "disease_or_syndrome")
        disease = cat.disease(disease_text) if disease_text else None
        if disease_text and disease is None:
            reader.fail(row, "disease_or_syndrome", f"未配置的病种/症状“{disease_text}”",
                        f"{disease_text!r} is not a configured disease, syndrome or product")
        count = reader.number(row, "count", required=True)
        if count is not None and (count < 0 or count != int(count)):
            reader.fail(row, "count", f"计数应为非负整数，得到 {count:g}", f"count must be a non-negative integer, got {count:g}")
            count = None
        if day is None or org_unit is None or source is None or disease is None or count is None:
            continue
        key = (org_unit, source.code, disease.code, day)
        if key in seen:
            reader.fail(row, "count", f"与第 {seen[key]} 行重复", f"duplicates row {seen[key]}")
            continue
        seen[key] = row.number
        writes.append(CountWrite(org_unit, source.code, disease.code, day, int(count)))
    if reader.problems:
        raise ValidationFailed(reader.problems)
    return writes


def import_counts(path: Path, database: Database, user: str, catalog: Catalog | None = None) -> Changes:
    writes = read_counts(path, database, catalog)
    with database.transaction() as session:
        return write_counts(session, writes, user, reason=f"import {path.name}")
