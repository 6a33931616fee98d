"""Import data values: the long layout (one value a row) and the wide per-facility statistical sheet.

Long: ``data_element,org_unit,period,value[,disaggregation,comment]``. Wide: ``org_unit,period`` then one column
per data element (header = the element's code or its Chinese name); an empty cell is "not reported".
Both read the templates of ``interop.workbook``: a header of codes followed by a row of Chinese column names
(skipped), and in the long layout the informational columns 数据元名称/名称/单位 (ignored).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from healthplan.domain.data import DataElement
from healthplan.domain.periods import Period, PeriodError
from healthplan.domain.problems import Problem, ValidationFailed
from healthplan.store import registry
from healthplan.store.database import Database
from healthplan.store.registry import Changes
from healthplan.store.values import ValueWrite, data_elements, write_values
from healthplan.tabular.cells import CellReader
from healthplan.tabular.tables import Row, read_raw, read_table

LONG_ALIASES = {
    "data_element": ["数据元", "数据元代码", "指标代码"], "org_unit": ["组织机构", "机构代码", "区划代码", "单位代码"],
    "period": ["期间", "时期", "年份"], "value": ["值", "数值"], "disaggregation": ["分类", "分组"],
    "comment": ["备注", "说明"],
    "data_element_name": ["数据元名称", "指标名称"], "name": ["名称", "机构名称", "区划名称"], "unit": ["单位", "计量单位"],
}
WIDE_KEYS = {"org_unit": LONG_ALIASES["org_unit"] + ["code", "代码"], "period": LONG_ALIASES["period"],
             "name": ["名称", "机构名称"]}


def _is_wide(header: list[str], elements: Mapping[str, DataElement]) -> bool:
    names = {h.strip() for h in header}
    long_names = {"data_element", *LONG_ALIASES["data_element"]}
    if names & long_names:
        return False
    by_name = {e.name for e in elements.values()}
    return any(n in elements or n in by_name for n in names)


def read_values(path: Path, database: Database, period: str | None = None,
                sheet: str | None = None) -> list[ValueWrite]:
    """Validate a values file against the registry and data elements; raise with every problem found."""
    with database.sessions() as session:
        elements = data_elements(session)
        known = registry.org_unit_codes(session)
    raw = read_raw(path, sheet)
    header = raw[0] if raw else []
    if _is_wide(header, elements):
        return _read_wide(path, elements, known, period, sheet)
    return _read_long(path, elements, known, sheet)


def _is_label_row(row: Row, key: str, aliases: Mapping[str, list[str]]) -> bool:
    """The row under a header of codes that repeats the columns' Chinese names (a template's visible header)."""
    return row.number == 2 and row.get(key).lower() in {key, *(a.lower() for a in aliases[key])}


def _check_period(reader: CellReader, row: Row, name: str, text: str) -> str | None:
    try:
        return Period.parse(text).code
    except PeriodError as exc:
        zh, en = str(exc).split(" / ", 1)
        reader.fail(row, name, zh, en)
        return None


def _check_value(reader: CellReader, row: Row, column: str, element: DataElement, value: float) -> bool:
    complaint = element.check(value)
    if complaint:
        reader.fail(row, column, *complaint)
        return False
    return True


def _read_long(path: Path, elements: Mapping[str, DataElement], known: Mapping[str, str],
               sheet: str | None) -> list[ValueWrite]:
    table = read_table(path, LONG_ALIASES, ["data_element", "org_unit", "period", "value"], sheet)
    reader = CellReader(table)
    writes: list[ValueWrite] = []
    seen: dict[tuple[str, str, str, str], int] = {}
    template = bool(table.rows) and _is_label_row(table.rows[0], "data_element", LONG_ALIASES)
    for row in table:
        if _is_label_row(row, "data_element", LONG_ALIASES) or (template and not row.get("value")):
            continue  # the label row; in a template a blank value is "not reported", as in the wide layout
        de, ou, period_text = (reader.required(row, k) for k in ("data_element", "org_unit", "period"))
        value = reader.number(row, "value", required=True)
        element = elements.get(de) if de else None
        if de and element is None:
            reader.fail(row, "data_element", f"未知的数据元“{de}”", f"unknown data element {de!r}")
        if ou and ou not in known:
            reader.fail(row, "org_unit", f"组织机构“{ou}”不存在", f"org unit {ou!r} does not exist")
        period = _check_period(reader, row, "period", period_text) if period_text else None
        if element is not None and value is not None and not _check_value(reader, row, "value", element, value):
            continue
        if not (element and ou and ou in known and period and value is not None):
            continue
        key = (element.code, ou, period, row.get("disaggregation"))
        if key in seen:
            reader.fail(row, "value", f"与第 {seen[key]} 行重复", f"duplicates row {seen[key]}")
            continue
        seen[key] = row.number
        writes.append(ValueWrite(element.code, ou, period, value, row.get("disaggregation"), row.get("comment")))
    if reader.problems:
        raise ValidationFailed(reader.problems)
    return writes


def _read_wide(path: Path, elements: Mapping[str, DataElement], known: Mapping[str, str], period: str | None,
               sheet: str | None) -> list[ValueWrite]:
    by_name = {e.name: e.code for e in elements.values()}
    table = read_table(path, WIDE_KEYS, ["org_unit"], sheet, keep_unknown=True)
    reader = CellReader(table)
    columns = [name for name in table.columns if name not in WIDE_KEYS]
    codes: dict[str, str] = {}
    for name in columns:
        code = name if name in elements else by_name.get(name)
        if code is None:
            reader.problems.append(Problem(f"无法识别的列“{name}”（不是数据元代码或名称）",
                                           f"column {name!r} is not a data element code or name",
                                           table.source, 1, table.columns[name]))
        else:
            codes[name] = code
    if "period" not in table.columns and period is None:
        reader.problems.append(Problem("缺少“period”列，也未指定 --period", "no period column and no --period given",
                                       table.source, 1))
    if reader.problems:
        raise ValidationFailed(reader.problems)
    writes: list[ValueWrite] = []
    seen: dict[tuple[str, str], int] = {}
    fixed = Period.parse(period).code if period else None
    for row in table:
        if _is_label_row(row, "org_unit", WIDE_KEYS):
            continue
        ou = reader.required(row, "org_unit")
        if ou and ou not in known:
            reader.fail(row, "org_unit", f"组织机构“{ou}”不存在", f"org unit {ou!r} does not exist")
            continue
        period_text = row.get("period") if "period" in table.columns else ""
        row_period = _check_period(reader, row, "period", period_text) if period_text else fixed
        if row_period is None:
            if not period_text:
                reader.fail(row, "period", "期间不能为空", "period is required")
            continue
        if ou is None:
            continue
        if (ou, row_period) in seen:
            reader.fail(row, "org_unit", f"与第 {seen[(ou, row_period)]} 行重复", f"duplicates row {seen[(ou, row_period)]}")
            continue
        seen[(ou, row_period)] = row.number
        for name, code in codes.items():
            if not row.get(name):
                continue
            value = reader.number(row, name)
            if value is None or not _check_value(reader, row, name, elements[code], value):
                continue
            writes.append(ValueWrite(code, ou, row_period, value))
    if reader.problems:
        raise ValidationFailed(reader.problems)
    return writes


def import_values(path: Path, database: Database, user: str, period: str | None = None,
                  sheet: str | None = None) -> Changes:
    writes = read_values(path, database, period, sheet)
    with database.transaction() as session:
        return write_values(session, writes, user, reason=f"import {path.name}")
