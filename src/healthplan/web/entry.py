"""Data entry: a data set's form for one org unit and year, Excel upload, and the lock approval puts on both.

Writes go through ``store.values.write_values`` (audited with old and new value) in one transaction that first
re-reads the report's approval state, so a report submitted meanwhile is never changed. Nothing is written
while any field or rule of error severity fails.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from healthplan.domain.data import DataElement, RecordedAt
from healthplan.domain.datasets import DataSet, Violation
from healthplan.domain.problems import HealthplanError, Problem, ValidationFailed
from healthplan.domain.registry import Level
from healthplan.interop.values_import import read_values as read_value_file
from healthplan.store import approval
from healthplan.store.registry import Changes
from healthplan.store.users import User
from healthplan.store.values import ValueWrite, read_values, write_values
from healthplan.web.errors import Conflict, Forbidden
from healthplan.web.permissions import may_enter, require_scope
from healthplan.web.state import AppState
from healthplan.web.uploads import saved

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


@dataclass(frozen=True)
class Form:
    data_set: DataSet
    org_unit: str
    period: str
    values: dict[str, float | None]
    approval: approval.Approval
    editable: bool
    violations: list[Violation]

    def to_json(self, state: AppState) -> dict[str, object]:
        return {"data_set": self.data_set.code, "org_unit": self.org_unit,
                "org_unit_name": state.tree.label(self.org_unit), "period": self.period,
                "approval_unit": self.approval.org_unit, "values": self.values,
                "approval": self.approval.to_json(), "editable": self.editable,
                "violations": [v.to_json() for v in self.violations]}


def check_org_unit(state: AppState, ds: DataSet, org_unit: str) -> None:
    """The org unit exists and is of the kind the data set is recorded at (facility or area)."""
    level = state.tree.level.get(org_unit)
    if level is None:
        raise HealthplanError(f"组织机构“{org_unit}”不存在", f"org unit {org_unit!r} does not exist")
    if (level is Level.FACILITY) != (ds.recorded_at is RecordedAt.FACILITY):
        kind = "机构" if ds.recorded_at is RecordedAt.FACILITY else "区域"
        raise HealthplanError(f"“{ds.name}”按{kind}填报，{state.tree.label(org_unit)}不是{kind}",
                              f"{ds.code} is recorded per {ds.recorded_at.value}; {org_unit} is not one")


def stored_values(state: AppState, ds: DataSet, org_unit: str, period: str) -> dict[str, float | None]:
    with state.database.sessions() as session:
        rows = read_values(session, org_unit=org_unit, period=period)
    found = {de: value for de, _ou, _p, disagg, value, _c in rows if disagg == ""}
    return {e: found.get(e) for e in ds.elements}


def load_form(state: AppState, user: User, ds: DataSet, org_unit: str, period: str) -> Form:
    check_org_unit(state, ds, org_unit)
    period = ds.check_period(period)
    vis = state.visibility(user)
    if vis.report_hidden(ds, org_unit, period):
        raise Forbidden(f"{state.tree.label(org_unit)} {period} 年的“{ds.name}”尚未审核，您无权查看",
                        f"{ds.code} of {org_unit} for {period} is not approved and is outside your area")
    values = stored_values(state, ds, org_unit, period)
    unit = state.tree.approval_unit(org_unit)
    with state.database.sessions() as session:
        current = approval.get_approval(session, ds.code, unit, period)
    editable = may_enter(state.tree, user, org_unit) and not current.locked
    return Form(ds, org_unit, period, values, current, editable, ds.violations(values))


def parse_fields(ds: DataSet, elements: Mapping[str, DataElement], raw: Mapping[str, str]
                 ) -> tuple[dict[str, float | None], list[Problem]]:
    """The data set's fields present in ``raw`` as numbers (empty = not reported, deleting a stored value);
    each bad field is a problem located at its element. Other keys are ignored."""
    values: dict[str, float | None] = {}
    problems: list[Problem] = []
    for code in ds.elements:
        if code not in raw:
            continue
        text = (raw[code] or "").strip().replace(",", "").replace("，", "")
        if not text:
            values[code] = None
            continue
        element = elements[code]
        if not _NUMBER.match(text):
            problems.append(Problem(f"“{element.name}”应为数字，得到“{text}”", f"{code} must be a number, got {text!r}",
                                    ds.code, None, code))
            values[code] = None
            continue
        value = float(text)
        complaint = element.check(value)
        if complaint:
            problems.append(Problem(*complaint, ds.code, None, code))
        values[code] = value
    return values, problems


def rule_problems(violations: Iterable[Violation], source: str, row: int | None = None) -> list[Problem]:
    return [Problem(v.message(), v.message(english=True), source, row, v.rule.left[0])
            for v in violations if v.blocking]


def validate(state: AppState, ds: DataSet, org_unit: str, period: str, raw: Mapping[str, str]
             ) -> tuple[dict[str, float | None], list[Problem], list[Violation]]:
    """The fields given, their problems, and the rules broken by the stored values overlaid with them."""
    values, problems = parse_fields(ds, state.catalog.data_elements, raw)
    merged = {**stored_values(state, ds, org_unit, period), **values}
    violations = ds.violations({k: v for k, v in merged.items() if v is not None})
    return values, problems, violations


def _require_unlocked(session: Session, ds: DataSet, unit: str, period: str, label: str) -> None:
    current = approval.get_approval(session, ds.code, unit, period)
    if current.locked:
        raise Conflict(f"{label} {period} 年的“{ds.name}”{current.state.label}，已锁定，不能修改",
                       f"{ds.code} of {unit} for {period} is {current.state.value} and locked")


def save_form(state: AppState, user: User, ds: DataSet, org_unit: str, period: str,
              raw: Mapping[str, str]) -> Changes:
    check_org_unit(state, ds, org_unit)
    period = ds.check_period(period)
    if not may_enter(state.tree, user, org_unit):
        require_scope(state.tree, user, org_unit)
        raise Forbidden("您的角色不能填报数据", "your role cannot enter data")
    unit = state.tree.approval_unit(org_unit)
    with state.database.sessions() as session:  # a locked report is not even checked
        _require_unlocked(session, ds, unit, period, state.tree.label(unit))
    values, problems, violations = validate(state, ds, org_unit, period, raw)
    problems += rule_problems(violations, ds.code)
    if problems:
        raise ValidationFailed(problems)
    writes = [ValueWrite(code, org_unit, period, value) for code, value in values.items()]
    with state.database.transaction() as session:
        _require_unlocked(session, ds, unit, period, state.tree.label(unit))
        changes = write_values(session, writes, user.username, reason=f"web form {ds.code}")
    state.sync()
    return changes


# ---- Excel / CSV upload ---------------------------------------------------------------------------------

def upload(state: AppState, user: User, ds: DataSet, filename: str, content: bytes,
           period: str | None = None) -> Changes:
    """Import a long or wide values file for this data set: the importer's per-row problems first, then scope,
    data set membership, locks and the data set's rules; all or nothing."""
    if not may_enter(state.tree, user, user.scope):
        raise Forbidden("您的角色不能填报数据", "your role cannot enter data")
    with saved(filename, content) as path:
        name = path.name
        writes = read_value_file(path, state.database, ds.check_period(period) if period else None)
    problems: list[Problem] = []
    tree = state.tree
    kept: list[ValueWrite] = []
    for w in writes:
        where = f"{w.org_unit} {w.period} {w.data_element}"
        if w.data_element not in ds.elements:
            problems.append(Problem(f"{where}：数据元不属于“{ds.name}”", f"{where}: not part of {ds.code}", name))
        elif not may_enter(tree, user, w.org_unit):
            problems.append(Problem(f"{where}：{tree.label(w.org_unit)}不在您的管辖范围内",
                                    f"{where}: outside your scope {user.scope}", name))
        elif (tree.level[w.org_unit] is Level.FACILITY) != (ds.recorded_at is RecordedAt.FACILITY):
            problems.append(Problem(f"{where}：“{ds.name}”不在此级别填报", f"{where}: {ds.code} is not recorded here",
                                    name))
        else:
            try:
                ds.check_period(w.period)
            except HealthplanError as exc:
                problems.append(Problem(f"{where}：{exc.zh}", f"{where}: {exc.en}", name))
                continue
            kept.append(w)
    problems += _upload_rules(state, ds, kept, name)
    if problems:
        raise ValidationFailed(problems)
    with state.database.transaction() as session:
        for unit, p in sorted({(tree.approval_unit(w.org_unit), w.period) for w in kept}):
            _require_unlocked(session, ds, unit, p, tree.label(unit))
        changes = write_values(session, kept, user.username, reason=f"web upload {name}")
    state.sync()
    return changes


def _upload_rules(state: AppState, ds: DataSet, writes: list[ValueWrite], source: str) -> list[Problem]:
    """The data set's rules over stored values overlaid with the file's, per org unit and period."""
    groups: dict[tuple[str, str], dict[str, float | None]] = {}
    for w in writes:
        groups.setdefault((w.org_unit, w.period), {})[w.data_element] = w.value
    problems = []
    for (ou, period), new in sorted(groups.items()):
        merged = {k: v for k, v in {**stored_values(state, ds, ou, period), **new}.items() if v is not None}
        for v in ds.violations(merged):
            if v.blocking:
                problems.append(Problem(f"{ou} {period}：{v.message()}", f"{ou} {period}: {v.message(True)}", source,
                                        None, v.rule.left[0]))
    return problems


def template(state: AppState, user: User, ds: DataSet, area: str, period: str) -> bytes:
    """A wide workbook for ``area``: one row per facility (or sub-area), one column per element, current values."""
    period = ds.check_period(period)
    tree = state.tree
    require_scope(tree, user, area)
    vis = state.visibility(user)
    if ds.recorded_at is RecordedAt.FACILITY:
        units = sorted(c for c, lv in tree.level.items() if lv is Level.FACILITY and tree.within(c, area))
    else:
        units = [area, *(c for c in tree.children.get(area, []) if tree.level[c] is not Level.FACILITY)]
    elements = state.catalog.data_elements
    with state.database.sessions() as session:
        rows = read_values(session, period=period)
    stored = {(de, ou): value for de, ou, _p, disagg, value, _c in rows if disagg == ""}
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = period
    sheet.append(["机构代码", "机构名称", "年份", *(elements[e].name for e in ds.elements)])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for ou in units:
        hidden = vis.report_hidden(ds, ou, period)
        sheet.append([ou, tree.label(ou), period,
                      *(None if hidden else stored.get((e, ou)) for e in ds.elements)])
    sheet.freeze_panes = "D2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
