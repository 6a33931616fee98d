"""Import and export DHIS2 data values through a mapping, the way DHIS2's own import behaves.

Import: every value is mapped and checked first; any conflict rejects the whole payload (DHIS2's
``atomicMode=ALL``) and nothing is written. Then each value is compared with what is stored: new → imported,
different value or comment → updated, the same → ignored (as DHIS2 counts it), ``deleted: true`` or
``importStrategy=DELETE`` → deleted. A dry run reports all of this, value by value, without writing.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from healthplan.domain.data import DataElement, ValueType
from healthplan.domain.periods import Period
from healthplan.domain.problems import Problem
from healthplan.interop.dhis2.mapping import Dhis2Mapping, IdScheme
from healthplan.interop.dhis2.values import Incoming, Outgoing, Payload
from healthplan.interop.documents import conflicts_json
from healthplan.interop.scope import RegistryTree
from healthplan.store.database import Database
from healthplan.store.values import ValueWrite, data_elements, read_values, write_values

_TRUE = {"true", "t", "1"}
_FALSE = {"false", "f", "0"}


class Strategy(StrEnum):
    """DHIS2's ``importStrategy``."""

    CREATE_AND_UPDATE = "create_and_update"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


@dataclass(frozen=True)
class Change:
    action: str  # imported | updated | deleted
    data_element: str
    org_unit: str
    period: str
    disaggregation: str
    old: float | None
    new: float | None

    def to_json(self) -> dict[str, object]:
        return {"action": self.action, "dataElement": self.data_element, "orgUnit": self.org_unit,
                "period": self.period, "disaggregation": self.disaggregation, "old": self.old, "new": self.new}


@dataclass
class ImportSummary:
    """DHIS2's import summary: status, importCount and conflicts (object = where, value = why)."""

    dry_run: bool
    imported: int = 0
    updated: int = 0
    ignored: int = 0
    deleted: int = 0
    conflicts: list[Problem] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    @property
    def status(self) -> str:
        return "ERROR" if self.conflicts else "SUCCESS"

    def to_json(self) -> dict[str, Any]:
        if self.conflicts:
            description = f"发现 {len(self.conflicts)} 处冲突，未导入任何数据 / {len(self.conflicts)} conflict(s), nothing imported"
        elif self.dry_run:
            description = "试运行：未写入 / dry run: nothing written"
        else:
            description = "导入完成 / import process completed successfully"
        data: dict[str, Any] = {
            "responseType": "ImportSummary", "status": self.status, "description": description,
            "importCount": {"imported": self.imported, "updated": self.updated, "ignored": self.ignored,
                            "deleted": self.deleted},
            "conflicts": conflicts_json(self.conflicts),
            "dryRun": self.dry_run,
        }
        if self.dry_run:
            data["changes"] = [c.to_json() for c in self.changes]
        return data


@dataclass(frozen=True)
class _Resolved:
    write: ValueWrite
    delete: bool
    keep_comment: bool  # the payload said nothing about the comment


def import_values(payload: Payload, mapping: Dhis2Mapping, database: Database, user: str,
                  strategy: Strategy = Strategy.CREATE_AND_UPDATE, dry_run: bool = False,
                  reason: str = "dhis2 import") -> ImportSummary:
    with database.sessions() as session:
        elements = data_elements(session)
    problems: list[Problem] = list(payload.problems)
    resolved: list[_Resolved] = []
    first: dict[tuple[str, str, str, str], Incoming] = {}
    for item in payload.values:
        found = _resolve(item, mapping, elements, strategy, problems)
        if found is None:
            continue
        w = found.write
        key = (w.data_element, w.org_unit, w.period, w.disaggregation)
        if key in first:
            where = first[key].locate("dataElement", "", "").located()
            problems.append(item.locate("dataElement", f"与 {where} 的数据值重复", f"duplicates the value at {where}"))
            continue
        first[key] = item
        resolved.append(found)
    summary = ImportSummary(dry_run)
    if problems:
        summary.conflicts = problems
        summary.ignored = payload.count
        return summary
    with database.sessions() as session, session.begin() as transaction:
        stored = _stored(session, [r.write for r in resolved])
        classified = [_classify(r, stored, strategy, summary) for r in resolved]
        writes = [w for w in classified if w is not None]
        write_values(session, writes, user, reason=reason)
        if dry_run:
            transaction.rollback()
    return summary


def _resolve(item: Incoming, mapping: Dhis2Mapping, elements: dict[str, DataElement], strategy: Strategy,
             problems: list[Problem]) -> _Resolved | None:
    before = len(problems)
    code = mapping.data_elements.ours(item.data_element)
    if code is None:
        problems.append(item.locate("dataElement", f"映射中没有数据元“{item.data_element}”",
                                    f"data element {item.data_element!r} is not in the mapping"))
    org_unit = mapping.org_unit(item.org_unit)
    if org_unit is None:
        problems.append(item.locate("orgUnit", f"映射中没有组织机构“{item.org_unit}”",
                                    f"org unit {item.org_unit!r} is not in the mapping"))
    disaggregation = _disaggregation(item, mapping, problems)
    if item.attribute_option_combo and mapping.disaggregation(item.attribute_option_combo) != "":
        problems.append(item.locate("attributeOptionCombo",
                                    f"不支持属性组合“{item.attribute_option_combo}”（只接受默认组合）",
                                    f"attribute option combo {item.attribute_option_combo!r} is not supported "
                                    "(only the default)"))
    delete = item.deleted or strategy is Strategy.DELETE
    value = None if delete or code is None else _number(item, elements[code], problems)
    if len(problems) > before or code is None or org_unit is None or disaggregation is None or item.period is None:
        return None
    return _Resolved(ValueWrite(code, org_unit, item.period.code, value, disaggregation, item.comment or ""),
                     delete, item.comment is None)


def _disaggregation(item: Incoming, mapping: Dhis2Mapping, problems: list[Problem]) -> str | None:
    if item.category_options is not None:
        if not item.category_options:
            return ""
        entry = mapping.category_option_combos.by_adx(item.category_options)
        if entry is None:
            shown = " ".join(f'{k}="{v}"' for k, v in sorted(item.category_options))
            problems.append(item.locate("categoryOptionCombo", f"映射中没有类别组合 {shown}",
                                        f"no category option combo is mapped for {shown}"))
            return None
        return entry.ours
    found = mapping.disaggregation(item.category_option_combo)
    if found is None:
        problems.append(item.locate("categoryOptionCombo", f"映射中没有类别组合“{item.category_option_combo}”",
                                    f"category option combo {item.category_option_combo!r} is not in the mapping"))
    return found


def _number(item: Incoming, element: DataElement, problems: list[Problem]) -> float | None:
    text = (item.value or "").strip()
    if not text:
        problems.append(item.locate("value", "值为空（删除请用 deleted: true 或删除策略）",
                                    "the value is empty (to delete, use deleted: true or the delete strategy)"))
        return None
    if element.value_type is ValueType.TEXT:
        problems.append(item.locate("value", f"“{element.name}”是文本型数据元，不能导入数值",
                                    f"{element.code} is a text data element"))
        return None
    if element.value_type is ValueType.BOOLEAN and text.lower() in _TRUE | _FALSE:
        return 1.0 if text.lower() in _TRUE else 0.0
    try:
        value = float(text)
    except ValueError:
        problems.append(item.locate("value", f"“{text}”不是数字", f"{text!r} is not a number"))
        return None
    if not math.isfinite(value):
        problems.append(item.locate("value", f"“{text}”不是有效数字", f"{text!r} is not a finite number"))
        return None
    complaint = element.check(value)
    if complaint:
        problems.append(item.locate("value", *complaint))
        return None
    return value


_Key = tuple[str, str, str, str]


def _stored(session: Session, writes: Iterable[ValueWrite]) -> dict[_Key, tuple[float, str]]:
    """(value, comment) stored for the keys of ``writes``, read per (data element, period)."""
    wanted = {(w.data_element, w.org_unit, w.period, w.disaggregation) for w in writes}
    found: dict[_Key, tuple[float, str]] = {}
    for de, period in sorted({(k[0], k[2]) for k in wanted}):
        for _de, ou, _p, disaggregation, value, comment in read_values(session, de, None, period):
            key = (de, ou, period, disaggregation)
            if key in wanted:
                found[key] = (value, comment)
    return found


def _classify(item: _Resolved, stored: dict[_Key, tuple[float, str]], strategy: Strategy,
              summary: ImportSummary) -> ValueWrite | None:
    w = item.write
    key = (w.data_element, w.org_unit, w.period, w.disaggregation)
    old = stored.get(key)
    if item.delete:
        if old is None:
            summary.ignored += 1
            return None
        summary.deleted += 1
        summary.changes.append(Change("deleted", *key, old[0], None))
        return ValueWrite(*key[:3], None, key[3])
    comment = old[1] if item.keep_comment and old is not None else w.comment
    if old is None:
        if strategy is Strategy.UPDATE:
            summary.ignored += 1
            return None
        summary.imported += 1
        summary.changes.append(Change("imported", *key, None, w.value))
        return ValueWrite(*key[:3], w.value, key[3], comment)
    if strategy is Strategy.CREATE or old == (w.value, comment):
        summary.ignored += 1
        return None
    summary.updated += 1
    summary.changes.append(Change("updated", *key, old[0], w.value))
    return ValueWrite(*key[:3], w.value, key[3], comment)


# ---- export -------------------------------------------------------------------------------------

@dataclass
class ExportResult:
    values: list[Outgoing]
    skipped: Counter[str] = field(default_factory=Counter)  # reason → values left out

    def to_json(self) -> dict[str, object]:
        return {"exported": len(self.values), "skipped": dict(sorted(self.skipped.items()))}


def export_values(database: Database, mapping: Dhis2Mapping, *, org_units: Sequence[str] = (),
                  children: bool = False, periods: Sequence[str] = (), start: dt.date | None = None,
                  end: dt.date | None = None, elements: Sequence[str] = (),
                  scheme: IdScheme = IdScheme.UID, adx: bool = False) -> ExportResult:
    """The stored values of mapped data elements, selected like DHIS2's dataValueSets query."""
    wanted_periods = {Period.parse(p).code for p in periods}
    with database.sessions() as session:
        known = data_elements(session)
        scope: set[str] | None = None
        if org_units:
            tree = RegistryTree.load(session)
            scope = set()
            for code in org_units:
                scope |= tree.codes_under(code) if children else {code}
        codes = [e.ours for e in mapping.data_elements.entries if not elements or e.ours in elements]
        rows = [row for code in codes for row in read_values(session, code)]
    result = ExportResult([])
    for de, ou, period_code, disaggregation, value, comment in rows:
        period = Period.parse(period_code)
        if (wanted_periods and period.code not in wanted_periods) or (start and period.start < start) or (
                end and period.end > end) or (scope is not None and ou not in scope):
            continue
        element_entry = mapping.data_elements.entry(de)
        element_id = element_entry.identifier(scheme) if element_entry else ""
        org_unit_id = mapping.org_unit_id(ou, scheme)
        combo = mapping.category_option_combos.entry(disaggregation)
        if not element_id:
            result.skipped[f"data_element_without_{scheme.value}"] += 1
        elif org_unit_id is None:
            result.skipped["org_unit_not_mapped"] += 1
        elif combo is None and disaggregation:
            result.skipped["disaggregation_not_mapped"] += 1
        elif adx and disaggregation and not (combo and combo.adx):
            result.skipped["disaggregation_without_adx_categories"] += 1
        else:
            result.values.append(Outgoing(element_id, period, org_unit_id,
                                          combo.identifier(scheme) if combo else "",
                                          _text(value, known[de]), comment, combo.adx if combo else frozenset()))
    return result


def _text(value: float, element: DataElement) -> str:
    if element.value_type is ValueType.BOOLEAN:
        return "true" if value else "false"
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def default_combo(mapping: Dhis2Mapping, scheme: IdScheme) -> str | None:
    """DHIS2's default combo id, written as the attribute option combo of exported values when mapped."""
    entry = mapping.category_option_combos.entry("")
    return (entry.identifier(scheme) or None) if entry else None
