"""Import org units and facilities from CSV/Excel (DESIGN §4): validate everything, then write all or nothing."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from healthplan.domain.geo import gcj02_to_wgs84
from healthplan.domain.problems import ValidationFailed
from healthplan.domain.registry import (
    HOSPITAL_LEVEL_LABELS,
    Category,
    FacilityVersion,
    Grade,
    Host,
    Level,
    OrgUnit,
    Ownership,
    Specialty,
    UrbanRural,
)
from healthplan.store import registry
from healthplan.store.database import Database
from healthplan.store.registry import Changes
from healthplan.tabular.cells import CellReader
from healthplan.tabular.tables import Row, read_table

ORG_UNIT_ALIASES = {
    "code": ["代码", "区划代码", "编码"], "name": ["名称", "区划名称"], "level": ["层级", "级别"],
    "parent_code": ["上级代码", "上级区划代码", "parent"], "lat": ["纬度", "latitude"],
    "lon": ["经度", "longitude", "lng"], "urban_rural": ["城乡", "城乡类型"],
}
FACILITY_ALIASES = {
    "code": ["机构代码", "代码", "统一社会信用代码"], "name": ["机构名称", "名称"],
    "parent_code": ["所在区划代码", "上级代码", "区划代码"], "category": ["机构类别", "类别"],
    "specialty": ["专科类别", "专科"], "level": ["医院等级", "级别", "等级"], "grade": ["等次"],
    "ownership": ["经济类型", "所有制", "公立/非公立"], "host": ["主办单位", "主办单位层级"],
    "urban_rural": ["城乡"], "lat": ["纬度"], "lon": ["经度", "lng"], "valid_from": ["生效日期", "开业日期", "起始日期"],
    "valid_to": ["失效日期", "截止日期"], "groups": ["医共体/医联体", "所属医联体", "分组"],
    "central": ["中心卫生院"],
}
_GRADE_WORDS = {"甲": "A", "乙": "B", "丙": "C", "甲等": "A", "乙等": "B", "丙等": "C"}


def _coordinates(reader: CellReader, row: Row, gcj02: bool) -> tuple[float | None, float | None]:
    lat, lon = reader.number(row, "lat"), reader.number(row, "lon")
    if lat is not None and not -90 <= lat <= 90:
        reader.fail(row, "lat", f"纬度 {lat} 超出范围", f"latitude {lat} out of range")
        lat = None
    if lon is not None and not -180 <= lon <= 180:
        reader.fail(row, "lon", f"经度 {lon} 超出范围", f"longitude {lon} out of range")
        lon = None
    if (lat is None) != (lon is None) and not reader.problems:
        reader.fail(row, "lat" if lat is None else "lon", "经纬度须同时填写", "give both lat and lon or neither")
    if gcj02 and lat is not None and lon is not None:
        lon, lat = gcj02_to_wgs84(lon, lat)
    return lat, lon


def read_org_units(path: Path, database: Database, gcj02: bool = False) -> list[OrgUnit]:
    table = read_table(path, ORG_UNIT_ALIASES, ["code", "name", "level", "parent_code"])
    reader = CellReader(table)
    with database.sessions() as session:
        known = registry.org_unit_codes(session)
    in_file: dict[str, tuple[Row, Level | None]] = {}
    units: list[OrgUnit] = []
    for row in table:
        code, name = reader.required(row, "code"), reader.required(row, "name")
        level = reader.enum(row, "level", Level, required=True)
        if level is Level.FACILITY:
            reader.fail(row, "level", "机构请用机构文件导入", "import facilities with the facilities file")
            level = None
        if code and code in in_file:
            reader.fail(row, "code", f"代码“{code}”在第 {in_file[code][0].number} 行已出现",
                        f"code {code!r} already on row {in_file[code][0].number}")
            continue
        if code and known.get(code) == Level.FACILITY.value:
            reader.fail(row, "code", f"代码“{code}”已是机构代码", f"code {code!r} belongs to a facility")
        lat, lon = _coordinates(reader, row, gcj02)
        urban_rural = reader.enum(row, "urban_rural", UrbanRural)
        if code:
            in_file[code] = (row, level)
        if code and name and level:
            units.append(OrgUnit(code, name, level, row.get("parent_code") or None, lat, lon, urban_rural))
    for unit in units:
        row = in_file[unit.code][0]
        parent = unit.parent_code
        if parent is None:
            continue
        parent_level = in_file[parent][1] if parent in in_file else (
            Level(known[parent]) if parent in known else None)
        if parent not in in_file and parent not in known:
            reader.fail(row, "parent_code", f"上级代码“{parent}”不存在", f"parent code {parent!r} does not exist")
        elif parent_level is None or parent_level is Level.FACILITY:
            reader.fail(row, "parent_code", f"上级“{parent}”不是区域", f"parent {parent!r} is not an area")
        elif parent_level.depth >= unit.level.depth:
            reader.fail(row, "parent_code", f"上级“{parent}”({parent_level.label})的层级不高于本级({unit.level.label})",
                        f"parent {parent!r} ({parent_level.value}) is not above {unit.level.value}")
    if reader.problems:
        raise ValidationFailed(reader.problems)
    return units


def import_org_units(path: Path, database: Database, user: str, gcj02: bool = False) -> Changes:
    units = read_org_units(path, database, gcj02)
    with database.transaction() as session:
        return registry.upsert_org_units(session, units, user)


def _level(reader: CellReader, row: Row) -> int:
    text = row.get("level")
    if not text:
        return 0
    for number, label in HOSPITAL_LEVEL_LABELS.items():
        if text in (str(number), label):
            return number
    reader.fail(row, "level", f"等级“{text}”应为 0–3 或 三级/二级/一级/未定级",
                f"level {text!r} must be 0-3 (0 = unrated)")
    return 0


def read_facilities(path: Path, database: Database, gcj02: bool = False) -> list[FacilityVersion]:
    table = read_table(path, FACILITY_ALIASES, ["code", "name", "parent_code", "category", "valid_from"])
    reader = CellReader(table)
    with database.sessions() as session:
        known = registry.org_unit_codes(session)
    versions: list[tuple[Row, FacilityVersion]] = []
    for row in table:
        code, name, parent = (reader.required(row, k) for k in ("code", "name", "parent_code"))
        category = reader.enum(row, "category", Category, required=True)
        specialty = reader.enum(row, "specialty", Specialty)
        grade = reader.enum(row, "grade", Grade, synonyms=_GRADE_WORDS)
        ownership = reader.enum(row, "ownership", Ownership) or Ownership.PUBLIC
        host = reader.enum(row, "host", Host)
        urban_rural = reader.enum(row, "urban_rural", UrbanRural)
        valid_from = reader.date(row, "valid_from", required=True)
        valid_to = reader.date(row, "valid_to")
        lat, lon = _coordinates(reader, row, gcj02)
        level = _level(reader, row)
        central_text = row.get("central")
        if central_text not in ("", "0", "1", "是", "否"):
            reader.fail(row, "central", "中心卫生院标志应为 0 或 1", "central must be 0 or 1")
        if valid_from and valid_to and valid_to <= valid_from:
            reader.fail(row, "valid_to", "失效日期须晚于生效日期", "valid_to must be after valid_from")
        if parent and parent not in known:
            reader.fail(row, "parent_code", f"所在区划“{parent}”不存在（请先导入组织机构）",
                        f"area {parent!r} does not exist (import org units first)")
        elif parent and known[parent] == Level.FACILITY.value:
            reader.fail(row, "parent_code", f"“{parent}”是机构，不是区域", f"{parent!r} is a facility, not an area")
        if code and code in known and known[code] != Level.FACILITY.value:
            reader.fail(row, "code", f"代码“{code}”已被区域使用", f"code {code!r} belongs to an area")
        if code and name and parent and category and valid_from:
            groups = tuple(g.strip() for g in row.get("groups").replace("；", ";").split(";") if g.strip())
            versions.append((row, FacilityVersion(
                code=code, name=name, parent_code=parent, category=category, valid_from=valid_from,
                valid_to=valid_to, specialty=specialty, level=level, grade=grade, ownership=ownership, host=host,
                urban_rural=urban_rural, lat=lat, lon=lon, central=central_text in ("1", "是"), groups=groups)))
    by_code: dict[str, list[tuple[Row, FacilityVersion]]] = {}
    for item in versions:
        by_code.setdefault(item[1].code, []).append(item)
    for items in by_code.values():
        items.sort(key=lambda i: i[1].valid_from)
        for (_, a), (row_b, b) in pairwise(items):
            if a.valid_to is None or a.valid_to > b.valid_from:
                reader.fail(row_b, "valid_from", f"机构“{b.code}”的版本时间重叠（上一版本至 {a.valid_to or '今'}）",
                            f"versions of {b.code!r} overlap (previous one valid to {a.valid_to or 'open'})")
    if reader.problems:
        raise ValidationFailed(reader.problems)
    return [v for _, v in versions]


def import_facilities(path: Path, database: Database, user: str, gcj02: bool = False) -> Changes:
    versions = read_facilities(path, database, gcj02)
    with database.transaction() as session:
        return registry.upsert_facilities(session, versions, user)
