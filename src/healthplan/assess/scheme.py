"""Assessment schemes (考核方案) as data: YAML files read and checked as a whole, errors as file:line:key.

Two kinds:
- ``indicators``: items, each an indicator (a catalog code, a data element, or an inline numerator/denominator
  in the expression language) with a weight, a dimension and a scoring rule; optionally a tier (基本标准 /
  推荐标准 …) for the grades, a first year it applies, subjects exempt from it and per-subject rules.
- ``plan_targets``: the targets of a plan, applied to each subject (a county), each scored by its completion
  and weighted by its nature (约束性/预期性); the dimensions are the targets' categories.
Subjects are facilities (by code, or the hospitals under an area by category and level) or areas (by code, or
every area of a level under another).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from healthplan.assess.rules import COMPARISONS, Linear, PassFail, Rule, Steps
from healthplan.domain.indicators import Indicator
from healthplan.domain.problems import NotFound, Problem, ValidationFailed
from healthplan.domain.registry import Category, Level
from healthplan.engine.catalog import Catalog
from healthplan.engine.compiler import Compiler
from healthplan.engine.expression import ExpressionError


@dataclass(frozen=True)
class Subjects:
    kind: str  # facilities | areas
    codes: tuple[str, ...] = ()
    under: str | None = None
    level: Level | None = None  # areas: which level under ``under``
    categories: tuple[Category, ...] = ()  # facilities under ``under``
    min_level: int = 0  # facilities: hospital level (二级 = 2)


@dataclass(frozen=True)
class Dimension:
    code: str
    name: str


@dataclass(frozen=True)
class Item:
    code: str
    name: str
    dimension: str
    weight: float
    indicator: Indicator
    rule: Rule
    tier: str = ""
    from_year: int | None = None
    exempt: frozenset[str] = frozenset()
    overrides: Mapping[str, Rule] = field(default_factory=dict)
    source: str = ""

    def applies(self, subject: str, year: int) -> bool:
        return subject not in self.exempt and (self.from_year is None or year >= self.from_year)

    def rule_for(self, subject: str) -> Rule:
        return self.overrides.get(subject, self.rule)


@dataclass(frozen=True)
class Grade:
    name: str
    tiers: tuple[str, ...]  # every applicable item of these tiers at full marks


@dataclass(frozen=True)
class IndicatorScheme:
    code: str
    name: str
    subjects: Subjects
    dimensions: tuple[Dimension, ...]
    items: tuple[Item, ...]
    grades: tuple[Grade, ...] = ()
    fallback_grade: str = ""
    document: str = ""


@dataclass(frozen=True)
class TargetScheme:
    code: str
    name: str
    subjects: Subjects
    plan: str
    weights: Mapping[str, float]  # target nature → weight
    exclude: tuple[str, ...] = ()  # indicator codes left out
    document: str = ""


Scheme = IndicatorScheme | TargetScheme


def shipped() -> dict[str, Path]:
    """The schemes shipped in ``assess/schemes``, by code (the file name)."""
    folder = Path(str(resources.files("healthplan.assess").joinpath("schemes")))
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))}


def scheme_path(reference: str) -> Path:
    """A shipped scheme's code or a YAML file's path."""
    known = shipped()
    if reference in known:
        return known[reference]
    path = Path(reference)
    if path.suffix.lower() in (".yaml", ".yml") and path.exists():
        return path
    names = "、".join(known) or "（无/none）"
    raise NotFound(f"找不到考核方案“{reference}”（内置方案：{names}；或给出 YAML 文件路径）",
                   f"no assessment scheme {reference!r} (shipped: {names}; or give a YAML file)")


class _Loader(yaml.SafeLoader):
    """Mappings remember their line, so problems can say where they are."""


def _mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping: dict[Any, Any] = dict(loader.construct_mapping(node, deep=True))
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def load_scheme(path: Path, catalog: Catalog, compiler: Compiler) -> Scheme:
    """Read and check a scheme file; :class:`ValidationFailed` lists every problem."""
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ValidationFailed([Problem(f"YAML 格式错误：{exc}", f"invalid YAML: {exc}", path.name,
                                        mark.line + 1 if mark else None)]) from None
    reader = _Reader(path.name, catalog, compiler)
    scheme = reader.scheme(doc)
    if reader.problems or scheme is None:
        raise ValidationFailed(reader.problems or [Problem("方案为空", "empty scheme", path.name, 1)])
    return scheme


class _Reader:
    def __init__(self, source: str, catalog: Catalog, compiler: Compiler) -> None:
        self.source = source
        self.catalog = catalog
        self.compiler = compiler
        self.problems: list[Problem] = []

    def fail(self, where: Mapping[str, Any], key: str | None, zh: str, en: str) -> None:
        self.problems.append(Problem(zh, en, self.source, where.get("__line__"), key))

    def text(self, where: Mapping[str, Any], key: str, *, required: bool = True) -> str:
        value = where.get(key)
        if value is None or str(value).strip() == "":
            if required:
                self.fail(where, key, f"缺少“{key}”", f"{key!r} is required")
            return ""
        return str(value).strip()

    def number(self, where: Mapping[str, Any], key: str, *, required: bool = True) -> float | None:
        value = where.get(key)
        if value is None:
            if required:
                self.fail(where, key, f"缺少“{key}”", f"{key!r} is required")
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(where, key, f"“{key}”应为数字，得到“{value}”", f"{key!r} must be a number, got {value!r}")
            return None
        return float(value)

    def mapping(self, where: Mapping[str, Any], key: str) -> dict[str, Any] | None:
        value = where.get(key)
        if not isinstance(value, dict):
            self.fail(where, key, f"“{key}”应为映射（键: 值）", f"{key!r} must be a mapping")
            return None
        return value

    def scheme(self, doc: Any) -> Scheme | None:
        if not isinstance(doc, dict) or not isinstance(doc.get("scheme"), dict):
            self.fail({"__line__": 1}, "scheme", "缺少 scheme: 段", "missing the 'scheme:' section")
            return None
        head = doc["scheme"]
        code, name = self.text(head, "code"), self.text(head, "name")
        subjects = self.subjects(head)
        kind = self.text(head, "kind", required=False) or "indicators"
        document = self.text(head, "document", required=False)
        if kind == "plan_targets":
            weights = self.mapping(doc, "weights") or {}
            for nature in ("binding", "expected"):
                self.number(weights, nature)
            exclude = doc.get("exclude") or []
            return None if subjects is None else TargetScheme(
                code, name, subjects, self.text(head, "plan"),
                {k: float(v) for k, v in weights.items() if k != "__line__"},
                tuple(str(e) for e in exclude), document)
        if kind != "indicators":
            self.fail(head, "kind", f"未知的方案类型“{kind}”（indicators 或 plan_targets）",
                      f"unknown scheme kind {kind!r} (indicators or plan_targets)")
            return None
        dimensions = tuple(Dimension(self.text(d, "code"), self.text(d, "name"))
                           for d in self.entries(doc, "dimensions"))
        known = {d.code for d in dimensions}
        items = tuple(i for i in (self.item(d, known) for d in self.entries(doc, "items")) if i is not None)
        codes = [i.code for i in items]
        for duplicate in sorted({c for c in codes if codes.count(c) > 1}):
            self.fail(head, "items", f"考核项目代码“{duplicate}”重复", f"item code {duplicate!r} repeats")
        tiers = {i.tier for i in items}
        grades = []
        for g in self.entries(doc, "grades", required=False):
            wanted = tuple(str(t) for t in g.get("tiers") or [])
            for tier in set(wanted) - tiers:
                self.fail(g, "tiers", f"没有考核项目属于“{tier}”", f"no item has tier {tier!r}")
            grades.append(Grade(self.text(g, "name"), wanted))
        if subjects is None:
            return None
        return IndicatorScheme(code, name, subjects, dimensions, items, tuple(grades),
                               str(doc.get("fallback_grade") or ""), document)

    def entries(self, doc: Mapping[str, Any], key: str, *, required: bool = True) -> list[dict[str, Any]]:
        values = doc.get(key)
        if values is None and not required:
            return []
        if not isinstance(values, list) or not all(isinstance(v, dict) for v in values) or not values:
            self.fail(doc, key, f"“{key}”应为非空列表", f"{key!r} must be a non-empty list")
            return []
        return values

    def subjects(self, head: Mapping[str, Any]) -> Subjects | None:
        spec = self.mapping(head, "subjects")
        if spec is None:
            return None
        kind = self.text(spec, "kind")
        codes = tuple(str(c) for c in spec.get("codes") or [])
        under = str(spec["under"]) if spec.get("under") else None
        if kind not in ("facilities", "areas"):
            self.fail(spec, "kind", "subjects.kind 应为 facilities 或 areas", "subjects.kind must be facilities or areas")
            return None
        if not codes and under is None:
            self.fail(spec, "codes", "须给出 codes 或 under", "give codes or under")
            return None
        try:
            level = Level(spec["level"]) if spec.get("level") else None
            categories = tuple(Category(c) for c in spec.get("categories") or [])
        except ValueError as exc:
            self.fail(spec, "level", f"无效的级别或类别：{exc}", f"invalid level or category: {exc}")
            return None
        return Subjects(kind, codes, under, level, categories, int(spec.get("min_level") or 0))

    def item(self, spec: dict[str, Any], dimensions: set[str]) -> Item | None:
        code, name = self.text(spec, "code"), self.text(spec, "name")
        dimension = self.text(spec, "dimension")
        if dimension and dimension not in dimensions:
            self.fail(spec, "dimension", f"未定义的维度“{dimension}”", f"undefined dimension {dimension!r}")
        weight = self.number(spec, "weight")
        if weight is not None and weight <= 0:
            self.fail(spec, "weight", "权重应大于 0", "weight must be positive")
        indicator = self.indicator(spec, code, name)
        rule = self.rule(spec.get("rule"), spec)
        overrides = {}
        for subject, value in (spec.get("overrides") or {}).items():
            if subject != "__line__":
                overrides[str(subject)] = self.rule(value, spec)
        from_year = self.number(spec, "from_year", required=False)
        if None in (indicator, rule, weight) or None in overrides.values() or not (code and name and dimension):
            return None
        assert indicator is not None and rule is not None and weight is not None
        return Item(code, name, dimension, weight, indicator, rule, str(spec.get("tier") or ""),
                    int(from_year) if from_year else None, frozenset(str(e) for e in spec.get("exempt") or []),
                    {k: v for k, v in overrides.items() if v is not None}, str(spec.get("source") or ""))

    def indicator(self, spec: Mapping[str, Any], code: str, name: str) -> Indicator | None:
        if spec.get("indicator"):
            try:
                return self.catalog.get(str(spec["indicator"]))
            except NotFound as exc:
                self.fail(spec, "indicator", exc.zh, exc.en)
                return None
        if not spec.get("numerator"):
            self.fail(spec, "indicator", "须给出 indicator（指标或数据元代码）或 numerator（表达式）",
                      "give indicator (a code) or numerator (an expression)")
            return None
        ok = True
        for key in ("numerator", "denominator"):
            if spec.get(key):
                try:
                    self.compiler.compile(str(spec[key]))
                except ExpressionError as exc:
                    self.fail(spec, key, f"{key}：{exc.zh}", f"{key}: {exc.en}")
                    ok = False
        factor = self.number(spec, "factor", required=False)
        decimals = self.number(spec, "decimals", required=False)
        if not ok:
            return None
        return Indicator(code=f"assess.{code}", name=name, numerator=str(spec["numerator"]),
                         denominator=str(spec["denominator"]) if spec.get("denominator") else None,
                         factor=factor or 1, unit=str(spec.get("unit") or ""),
                         decimals=int(decimals) if decimals is not None else 2)

    def rule(self, spec: Any, item: Mapping[str, Any]) -> Rule | None:
        if not isinstance(spec, dict):
            self.fail(item, "rule", "缺少计分规则 rule（linear / steps / pass）", "missing the scoring rule")
            return None
        kind = spec.get("type")
        if kind == "linear":
            floor, target = self.number(spec, "floor"), self.number(spec, "target")
            if floor is not None and target is not None and floor == target:
                self.fail(spec, "target", "满分值不能等于起评值", "target must differ from floor")
                return None
            return Linear(floor, target) if floor is not None and target is not None else None
        if kind == "steps":
            steps = spec.get("steps")
            if not isinstance(steps, list) or not steps or not all(
                    isinstance(s, list) and len(s) == 2 and all(isinstance(x, int | float) for x in s)
                    and 0 <= s[1] <= 1 for s in steps):
                self.fail(spec, "steps", "steps 应为 [[阈值, 得分比例0–1], …]", "steps must be [[threshold, share 0–1], …]")
                return None
            return Steps(tuple((float(t), float(s)) for t, s in steps), bool(spec.get("lower_better", False)))
        if kind == "pass":
            op = str(spec.get("op") or "ge")
            value = self.number(spec, "value")
            if op not in COMPARISONS:
                self.fail(spec, "op", f"op 应为 {'/'.join(COMPARISONS)}", f"op must be one of {list(COMPARISONS)}")
                return None
            return PassFail(op, value) if value is not None else None
        self.fail(spec, "type", f"未知的计分规则“{kind}”（linear / steps / pass）",
                  f"unknown rule type {kind!r} (linear, steps or pass)")
        return None
