"""Plan files: YAML (DESIGN §3.4) or an Excel workbook with the same columns; validated as a whole.

A target may give ``op``/``value`` or just the plan's own wording in ``target`` (``≥70``, ``27左右``,
``持续增长`` …), which is read with :func:`healthplan.domain.target_text.parse_target_text`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from healthplan.domain.indicators import ALLOWED_FACTORS, Display, Indicator, Polarity
from healthplan.domain.plans import Nature, Plan, Status, Target, TargetOp
from healthplan.domain.problems import Problem, ValidationFailed
from healthplan.domain.target_text import parse_target_text
from healthplan.engine.catalog import builtin_indicators, indicator_from_dict
from healthplan.engine.compiler import Compiler
from healthplan.engine.expression import ExpressionError
from healthplan.store import registry
from healthplan.store.database import Database
from healthplan.store.plans import save_indicators, save_plan
from healthplan.store.registry import Changes
from healthplan.store.values import data_elements
from healthplan.tabular.tables import EXCEL_SUFFIXES, read_table

PLAN_KEYS = {"code": ["规划代码", "代码"], "name": ["规划名称", "名称"], "org_unit": ["区划代码", "范围"],
             "base_year": ["基期", "基期年份"], "target_year": ["目标年", "目标年份"], "document": ["文号", "文件"]}
TARGET_KEYS = {
    "seq": ["序号"], "category": ["类别", "领域"], "label": ["指标", "指标名称", "主要指标"],
    "indicator": ["指标代码"], "target": ["目标", "目标值文本", "2025年目标"], "op": ["运算", "目标类型"],
    "value": ["目标值"], "value_high": ["目标上限"], "tolerance": ["容差"], "tolerance_kind": ["容差类型"],
    "baseline": ["基期值", "2020年现状"], "nature": ["指标性质", "性质"], "source": ["出处", "来源"],
    "org_unit": ["区划代码", "组织机构"], "judgement": ["判断", "人工判断"], "evidence": ["依据", "佐证"],
}
INDICATOR_KEYS = {
    "code": ["指标代码"], "name": ["指标名称"], "name_en": ["英文名称"], "numerator": ["分子"],
    "denominator": ["分母"], "factor": ["系数"], "unit": ["单位"], "decimals": ["小数位"],
    "polarity": ["方向"], "display": ["显示"], "definition": ["口径"],
}


@dataclass
class PlanFile:
    plan: Plan
    indicators: list[Indicator]


@dataclass
class _Item:
    """A mapping from the file with where it stands (line for YAML, row for Excel)."""

    data: dict[str, Any]
    row: int | None
    columns: Mapping[str, int]


class _LineLoader(yaml.SafeLoader):
    pass


def _mapping_with_line(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping: dict[Any, Any] = dict(loader.construct_mapping(node, deep=True))
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def _yaml_items(path: Path) -> tuple[_Item, list[_Item], list[_Item]]:
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        raise ValidationFailed([Problem(f"YAML 格式错误：{exc}", f"invalid YAML: {exc}", path.name, line, column)]) \
            from None
    if not isinstance(doc, dict) or not isinstance(doc.get("plan"), dict):
        raise ValidationFailed([Problem("缺少 plan: 段", "missing the 'plan:' section", path.name, 1)])

    def items(key: str) -> list[_Item]:
        values = doc.get(key) or []
        if not isinstance(values, list):
            raise ValidationFailed([Problem(f"“{key}”应为列表", f"{key!r} must be a list", path.name,
                                            doc.get("__line__"))])
        return [_Item({k: v for k, v in v.items() if k != "__line__"}, v.get("__line__"), {})
                if isinstance(v, dict) else _Item({}, None, {}) for v in values]

    plan = doc["plan"]
    return (_Item({k: v for k, v in plan.items() if k != "__line__"}, plan.get("__line__"), {}),
            items("indicators"), items("targets"))


def _excel_items(path: Path) -> tuple[_Item, list[_Item], list[_Item]]:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    names = book.sheetnames
    book.close()

    def sheet(*choices: str) -> str | None:
        return next((n for n in names if n.strip().lower() in choices), None)

    plan_sheet, target_sheet = sheet("plan", "规划"), sheet("targets", "目标")
    indicator_sheet = sheet("indicators", "指标定义", "指标")
    if plan_sheet is None or target_sheet is None:
        raise ValidationFailed([Problem("工作簿须有“规划”(plan)和“目标”(targets)两个工作表",
                                        "the workbook needs sheets 'plan' and 'targets'", path.name)])
    plan_table = read_table(path, {"key": ["项目"], "value": ["内容", "值"]}, ["key", "value"], plan_sheet)
    lookup = {alias: key for key, aliases in PLAN_KEYS.items() for alias in (key, *aliases)}
    plan = {lookup.get(r.get("key"), r.get("key")): r.get("value") for r in plan_table}

    def rows(sheet_name: str | None, keys: dict[str, list[str]]) -> list[_Item]:
        if sheet_name is None:
            return []
        table = read_table(path, keys, [], sheet_name)
        return [_Item({k: c.text for k, c in r.cells.items() if c.text}, r.number,
                      {k: c.column for k, c in r.cells.items()}) for r in table]

    return _Item(plan, None, {}), rows(indicator_sheet, INDICATOR_KEYS), rows(target_sheet, TARGET_KEYS)


class _Checker:
    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def fail(self, item: _Item, key: str | None, zh: str, en: str) -> None:
        column: int | str | None = item.columns.get(key) if key else None
        if column is None and key and not item.columns:
            column = key  # YAML: name the key
        self.problems.append(Problem(zh, en, self.source, item.row, column))

    def number(self, item: _Item, key: str, *, required: bool = False) -> float | None:
        raw = item.data.get(key)
        if raw is None or raw == "":
            if required:
                self.fail(item, key, f"“{key}”不能为空", f"{key} is required")
            return None
        try:
            return float(str(raw).replace(",", ""))
        except ValueError:
            self.fail(item, key, f"“{raw}”不是数字", f"{raw!r} is not a number")
            return None


def read_plan_file(path: Path, database: Database) -> PlanFile:
    """Parse and validate a plan file against the database (org units, data elements, indicators)."""
    if not path.exists():
        raise ValidationFailed([Problem(f"文件不存在：{path}", f"file not found: {path}", str(path))])
    plan_item, indicator_items, target_items = (
        _excel_items(path) if path.suffix.lower() in EXCEL_SUFFIXES else _yaml_items(path))
    check = _Checker(path.name)
    with database.sessions() as session:
        known_units = registry.org_unit_codes(session)
        elements = data_elements(session)
    compiler = Compiler(elements)
    p = plan_item.data
    for key in ("code", "name", "org_unit", "base_year", "target_year"):
        if not p.get(key):
            check.fail(plan_item, key, f"规划缺少“{key}”", f"plan is missing {key!r}")
    base = check.number(plan_item, "base_year")
    target_year = check.number(plan_item, "target_year")
    if base is not None and target_year is not None and not 1900 < base < target_year < 2200:
        check.fail(plan_item, "target_year", "目标年须晚于基期", "target_year must be after base_year")
    org_unit = str(p.get("org_unit") or "")
    if org_unit and org_unit not in known_units:
        check.fail(plan_item, "org_unit", f"区划“{org_unit}”不存在", f"org unit {org_unit!r} does not exist")
    plan_code = str(p.get("code") or "")
    builtin = {i.code for i in builtin_indicators()}
    inline: dict[str, Indicator] = {}
    declared = {str(item.data["code"]) for item in indicator_items if item.data.get("code")}
    for item in indicator_items:
        indicator = _read_indicator(check, item, plan_code, compiler, builtin)
        if indicator is not None:
            if indicator.code in inline:
                check.fail(item, "code", f"指标“{indicator.code}”重复定义", f"indicator {indicator.code!r} defined twice")
            inline[indicator.code] = indicator
    targets = []
    for position, item in enumerate(target_items, start=1):
        target = _read_target(check, item, position, known_units, declared | builtin | set(elements))
        if target is not None:
            targets.append(target)
    if not targets and not check.problems:
        check.problems.append(Problem("规划没有任何目标", "the plan has no targets", path.name))
    if check.problems:
        raise ValidationFailed(check.problems)
    plan = Plan(code=plan_code, name=str(p["name"]), org_unit=org_unit, base_year=int(base or 0),
                target_year=int(target_year or 0), document=str(p.get("document") or ""), targets=tuple(targets))
    return PlanFile(plan, list(inline.values()))


def _read_indicator(check: _Checker, item: _Item, plan_code: str, compiler: Compiler,
                    builtin: set[str]) -> Indicator | None:
    d = item.data
    for key in ("code", "name", "numerator"):
        if not d.get(key):
            check.fail(item, key, f"指标定义缺少“{key}”", f"indicator definition is missing {key!r}")
    if not (d.get("code") and d.get("name") and d.get("numerator")):
        return None
    if d["code"] in builtin:
        check.fail(item, "code", f"“{d['code']}”是内置指标，请换一个代码", f"{d['code']!r} is a built-in indicator")
        return None
    ok = True
    for key in ("numerator", "denominator"):
        if d.get(key):
            try:
                compiler.compile(str(d[key]))
            except ExpressionError as exc:
                check.fail(item, key, f"{key}：{exc.zh}", f"{key}: {exc.en}")
                ok = False
    factor = check.number(item, "factor")
    if factor is not None and factor not in ALLOWED_FACTORS:
        check.fail(item, "factor", f"系数应为 {ALLOWED_FACTORS} 之一", f"factor must be one of {ALLOWED_FACTORS}")
        ok = False
    for key, enum in (("polarity", Polarity), ("display", Display)):
        if d.get(key) and d[key] not in {m.value for m in enum}:
            check.fail(item, key, f"“{d[key]}”无效，可选：{enum.choices()}", f"invalid {key}; choose {enum.choices()}")
            ok = False
    return indicator_from_dict(d, plan_code) if ok else None


def _read_target(check: _Checker, item: _Item, position: int, known_units: Mapping[str, str],
                 known_indicators: set[str]) -> Target | None:
    d = item.data
    code = str(d.get("indicator") or "")
    if not code:
        check.fail(item, "indicator", "目标缺少指标代码", "target is missing 'indicator'")
    elif code not in known_indicators:
        check.fail(item, "indicator", f"未知的指标或数据元“{code}”", f"unknown indicator or data element {code!r}")
    text = str(d.get("target") or "").strip()
    value = check.number(item, "value")
    value_high = check.number(item, "value_high")
    op_text = str(d.get("op") or "").strip()
    op: TargetOp | None = None
    if op_text:
        try:
            op = TargetOp.from_text(op_text)
        except ValueError:
            check.fail(item, "op", f"无效的目标运算“{op_text}”，可选：{TargetOp.choices()}",
                       f"invalid op {op_text!r}; choose one of {TargetOp.choices()}")
            return None
    elif text:
        parsed = parse_target_text(text)
        op = parsed.op if parsed else TargetOp.QUALITATIVE
        if parsed is not None:
            value = parsed.value if value is None else value
            value_high = parsed.value_high if value_high is None else value_high
    else:
        check.fail(item, "op", "目标须给出 op 或 target（如“≥70”）", "give 'op' or the target text such as '≥70'")
        return None
    needs_value = op in (TargetOp.GE, TargetOp.LE, TargetOp.EQ, TargetOp.APPROX, TargetOp.REACH,
                         TargetOp.RAISE_BY, TargetOp.RANGE)
    if needs_value and value is None:
        check.fail(item, "value", f"目标运算 {op.value} 需要目标值", f"op {op.value} needs a value")
    if op is TargetOp.RANGE and (value_high is None or (value is not None and value_high < value)):
        check.fail(item, "value_high", "区间目标需要不小于下限的上限", "a range needs value_high ≥ value")
    nature_text = str(d.get("nature") or "expected")
    try:
        nature = Nature.from_text(nature_text)
    except ValueError:
        check.fail(item, "nature", f"指标性质“{nature_text}”应为 约束性/预期性", "nature must be binding or expected")
        return None
    org_unit = str(d["org_unit"]) if d.get("org_unit") else None
    if org_unit and org_unit not in known_units:
        check.fail(item, "org_unit", f"区划“{org_unit}”不存在", f"org unit {org_unit!r} does not exist")
    judgement = str(d["judgement"]) if d.get("judgement") else None
    if judgement and judgement not in {s.value for s in Status}:
        try:
            judgement = Status.from_text(judgement).value
        except ValueError:
            check.fail(item, "judgement", f"人工判断应为 {Status.choices()}", f"judgement must be one of {Status.choices()}")
    tolerance = check.number(item, "tolerance") if "tolerance" in d else check.number(item, "tol")
    tolerance_kind = str(d.get("tolerance_kind") or "relative")
    baseline = check.number(item, "baseline")
    seq = check.number(item, "seq")
    return Target(indicator=code, op=op, nature=nature, org_unit=org_unit, value=value, value_high=value_high,
                  tolerance=tolerance, tolerance_relative=tolerance_kind not in ("absolute", "绝对"),
                  baseline=baseline, category=str(d.get("category") or ""), label=str(d.get("label") or ""),
                  source=str(d.get("source") or ""), text=text, judgement=judgement,
                  evidence=str(d.get("evidence") or ""), seq=int(seq) if seq is not None else position)


def import_plan(path: Path, database: Database, user: str) -> tuple[Plan, Changes]:
    """Validate then store the plan and its inline indicators in one transaction."""
    parsed = read_plan_file(path, database)
    with database.transaction() as session:
        changes = save_indicators(session, parsed.indicators, user)
        changes += save_plan(session, parsed.plan, user)
    return parsed.plan, changes
