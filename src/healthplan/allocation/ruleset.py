"""The plans' allocation rules as data (YAML), each with the clause it comes from.

Why data: the standards change between plans and provinces (晋城 asks 0.32 ambulances per 10,000, 朔州 one per
20,000), and several national figures are known only second-hand; a planner edits the file, and every rule
marked ``verified: false`` is reported as 待核对 rather than presented as settled.

Four kinds of rule:
- ``line``: a per-population standard that becomes a row of the allocation table (公立中医医院床位 0.55/千人);
- ``freeze``: conditions under which named lines get no increase in an area (床位使用率 < 75% 且 平均住院日 > 9天);
- ``share``: a share that must lie in a range (负压救护车 ≥ 40%; 专科医院床位 ≤ 15%), optionally checked at the
  target year against another line's or rule's requirement (``basis``);
- ``minimum``: a floor per area (城区传染病床位 ≥ 80; 每县 1 所县办中医医院).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from healthplan.domain.indicators import Indicator
from healthplan.domain.problems import HealthplanError, NotFound, Problem, ValidationFailed
from healthplan.engine.catalog import Catalog
from healthplan.engine.compiler import Compiler
from healthplan.engine.expression import ExpressionError

Areas = Literal["scope", "counties", "both"]
Comparison = Literal["lt", "le", "gt", "ge"]
UNVERIFIED = "待核对"


@dataclass(frozen=True)
class Clause:
    """Where a rule or parameter comes from; ``verified`` False means the figure is second-hand (待核对)."""

    document: str
    text: str
    verified: bool
    note: str = ""

    @property
    def status(self) -> str:
        return "已核对" if self.verified else UNVERIFIED

    def to_json(self) -> dict[str, object]:
        return {"document": self.document, "clause": self.text, "verified": self.verified,
                "status": self.status, "note": self.note}


@dataclass(frozen=True)
class Parameter:
    value: float
    name: str
    clause: Clause

    def to_json(self) -> dict[str, object]:
        return {"value": self.value, "name": self.name, **self.clause.to_json()}


@dataclass(frozen=True)
class LineRule:
    code: str
    name: str
    clause: Clause
    indicator: Indicator
    value: float  # in the indicator's own unit (per its factor)


@dataclass(frozen=True)
class Condition:
    indicator: Indicator
    op: Comparison
    value: float

    def holds(self, measured: float) -> bool:
        return {"lt": measured < self.value, "le": measured <= self.value, "gt": measured > self.value,
                "ge": measured >= self.value}[self.op]

    @property
    def text(self) -> str:
        return f"{self.indicator.name}{ {'lt': '<', 'le': '≤', 'gt': '>', 'ge': '≥'}[self.op]}{self.value:g}"


@dataclass(frozen=True)
class FreezeRule:
    code: str
    name: str
    clause: Clause
    areas: Areas
    conditions: tuple[Condition, ...]
    withhold: tuple[str, ...]  # line codes that get no increase where every condition holds


@dataclass(frozen=True)
class ShareRule:
    code: str
    name: str
    clause: Clause
    areas: Areas
    indicator: Indicator  # numerator / denominator × 100
    low: float | None
    high: float | None
    basis: str | None  # a line or minimum rule whose target-year requirement is the planned denominator


@dataclass(frozen=True)
class MinimumRule:
    code: str
    name: str
    clause: Clause
    indicator: Indicator
    minimum: Mapping[str, float]  # org unit code → floor; "*" applies to every area of ``areas``
    areas: Areas

    def floor(self, code: str) -> float | None:
        return self.minimum.get(code, self.minimum.get("*"))


Rule = LineRule | FreezeRule | ShareRule | MinimumRule


@dataclass(frozen=True)
class RuleSet:
    source: str
    parameters: Mapping[str, Parameter] = field(default_factory=dict)
    rules: tuple[Rule, ...] = ()

    @property
    def lines(self) -> list[LineRule]:
        return [r for r in self.rules if isinstance(r, LineRule)]

    def parameter(self, code: str) -> Parameter:
        if code not in self.parameters:
            raise HealthplanError(f"配置规则文件 {self.source} 缺少参数 {code}",
                                  f"the rules file {self.source} lacks the parameter {code}")
        return self.parameters[code]


# ---- file schema ---------------------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _IndicatorSpec(_Strict):
    numerator: str
    denominator: str | None = None
    factor: float = 1
    name: str | None = None
    unit: str = ""
    decimals: int = 0


IndicatorRef = str | _IndicatorSpec


class _Sourced(_Strict):
    document: str
    clause: str
    verified: bool
    note: str = ""


class _ParameterSpec(_Sourced):
    value: float
    name: str


class _ConditionSpec(_Strict):
    indicator: IndicatorRef
    op: Comparison
    value: float


class _RuleSpec(_Sourced):
    code: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    kind: Literal["line", "freeze", "share", "minimum"]
    name: str
    indicator: IndicatorRef | None = None
    value: float | None = None
    per: float | None = None
    areas: Areas = "counties"
    when: list[_ConditionSpec] = []
    withhold: list[str] = []
    low: float | None = None
    high: float | None = None
    basis: str | None = None
    minimum: dict[str, float] | float | None = None

    @model_validator(mode="after")
    def _complete(self) -> _RuleSpec:
        needs: dict[str, tuple[str, ...]] = {"line": ("indicator", "value"), "freeze": ("when", "withhold"),
                                             "share": ("indicator",), "minimum": ("indicator", "minimum")}
        missing = [k for k in needs[self.kind] if getattr(self, k) in (None, [])]
        if missing:
            raise ValueError(f"a {self.kind} rule needs {', '.join(missing)}")
        if self.kind == "share" and self.low is None and self.high is None:
            raise ValueError("a share rule needs low, high or both")
        return self


def _located_loader() -> type[yaml.SafeLoader]:
    """A loader whose sequence items under ``rules`` keep the line they start on (for file:line errors)."""

    class Loader(yaml.SafeLoader):
        pass

    def mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
        value = loader.construct_mapping(node, deep=True)
        return _Lines(value, node.start_mark.line + 1)

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    return Loader


class _Lines(dict[Any, Any]):
    """A mapping that remembers the YAML line it was read from."""

    def __init__(self, value: Mapping[Any, Any], line: int) -> None:
        super().__init__(value)
        self.line = line


def shipped_rules(plan_code: str | None) -> Path:
    """The packaged rules for ``plan_code`` when there are some, otherwise the national defaults."""
    folder = resources.files("healthplan.allocation").joinpath("rules")
    if plan_code:
        candidate = folder.joinpath(f"{plan_code}.yaml")
        if candidate.is_file():
            return Path(str(candidate))
    return Path(str(folder.joinpath("national.yaml")))


def load_rules(path: Path, catalog: Catalog, compiler: Compiler) -> RuleSet:
    """Read and check a rules file as a whole (and the file it ``extends``); every problem is reported."""
    problems: list[Problem] = []
    parameters: dict[str, Parameter] = {}
    rules: dict[str, Rule] = {}
    _read(path, catalog, compiler, problems, parameters, rules, seen=())
    if problems:
        raise ValidationFailed(problems)
    _check_references(path, rules)
    return RuleSet(str(path), parameters, tuple(rules.values()))


def _read(path: Path, catalog: Catalog, compiler: Compiler, problems: list[Problem],
          parameters: dict[str, Parameter], rules: dict[str, Rule], seen: tuple[Path, ...]) -> None:
    source = str(path)
    if path.resolve() in seen:
        problems.append(Problem("配置规则文件循环引用（extends）", "the rules files extend each other in a loop", source))
        return
    try:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=_located_loader())
    except OSError as exc:
        problems.append(Problem("无法读取配置规则文件", f"cannot read the rules file: {exc}", source))
        return
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append(Problem("YAML 格式错误", f"invalid YAML: {exc}", source, mark.line + 1 if mark else None))
        return
    if not isinstance(document, dict) or not isinstance(document.get("rules", []), list):
        problems.append(Problem("配置规则文件应为含 rules 列表的映射", "a rules file is a mapping with a 'rules' list",
                                source))
        return
    unknown = set(document) - {"extends", "parameters", "rules"}
    if unknown:
        problems.append(Problem(f"未知的段：{', '.join(sorted(unknown))}", f"unknown section(s): {sorted(unknown)}",
                                source, getattr(document, "line", None)))
    if document.get("extends"):
        base = path.parent / f"{document['extends']}.yaml"
        _read(base, catalog, compiler, problems, parameters, rules, (*seen, path.resolve()))
    for code, spec in (document.get("parameters") or {}).items():
        try:
            p = _ParameterSpec.model_validate(dict(spec) if isinstance(spec, dict) else spec)
        except ValidationError as exc:
            problems += _problems(exc, source, getattr(spec, "line", None), f"parameters.{code}")
            continue
        parameters[str(code)] = Parameter(p.value, p.name, Clause(p.document, p.clause, p.verified, p.note))
    for spec in document.get("rules") or []:
        line = getattr(spec, "line", None)
        try:
            rule_spec = _RuleSpec.model_validate(dict(spec) if isinstance(spec, dict) else spec)
        except ValidationError as exc:
            problems += _problems(exc, source, line, "rules")
            continue
        built = _Builder(source, line, catalog, compiler, problems).rule(rule_spec)
        if built is not None:
            rules[built.code] = built  # a later file (the plan's own) replaces a rule of the same code


def _problems(exc: ValidationError, source: str, line: int | None, where: str) -> list[Problem]:
    found = []
    for error in exc.errors():
        field_path = ".".join(str(p) for p in error["loc"]) or where
        found.append(Problem(f"配置规则“{field_path}”无效：{error['msg']}", f"invalid {field_path}: {error['msg']}",
                             source, line, field_path))
    return found


@dataclass
class _Builder:
    source: str
    line: int | None
    catalog: Catalog
    compiler: Compiler
    problems: list[Problem]

    def fail(self, column: str, zh: str, en: str) -> None:
        self.problems.append(Problem(zh, en, self.source, self.line, column))

    def rule(self, spec: _RuleSpec) -> Rule | None:
        clause = Clause(spec.document, spec.clause, spec.verified, spec.note)
        if spec.kind == "freeze":
            conditions = []
            for k, c in enumerate(spec.when):
                ind = self.indicator(c.indicator, f"{spec.code}.when{k + 1}", "when")
                if ind is not None:
                    conditions.append(Condition(ind, c.op, c.value))
            if len(conditions) != len(spec.when):
                return None
            return FreezeRule(spec.code, spec.name, clause, spec.areas, tuple(conditions), tuple(spec.withhold))
        assert spec.indicator is not None
        indicator = self.indicator(spec.indicator, spec.code, "indicator", spec.name)
        if indicator is None:
            return None
        if spec.kind == "line":
            assert spec.value is not None
            if not indicator.denominator:
                self.fail("indicator", "配置标准须为每千/每万人口等比值指标", "a line needs a per-population ratio")
                return None
            value = spec.value * indicator.factor / spec.per if spec.per else spec.value
            return LineRule(spec.code, spec.name, clause, indicator, value)
        if spec.kind == "share":
            if not indicator.denominator:
                self.fail("indicator", "占比规则须有分母", "a share rule needs a denominator")
                return None
            return ShareRule(spec.code, spec.name, clause, spec.areas, indicator, spec.low, spec.high, spec.basis)
        minimum = spec.minimum if isinstance(spec.minimum, dict) else {"*": float(spec.minimum or 0)}
        return MinimumRule(spec.code, spec.name, clause, indicator, minimum, spec.areas)

    def indicator(self, ref: IndicatorRef, code: str, column: str, name: str | None = None) -> Indicator | None:
        if isinstance(ref, str):
            try:
                return self.catalog.get(ref)
            except NotFound as exc:
                self.fail(column, exc.zh, exc.en)
                return None
        for key in ("numerator", "denominator"):
            text = getattr(ref, key)
            if text:
                try:
                    self.compiler.compile(text)
                except ExpressionError as exc:
                    self.fail(f"{column}.{key}", exc.zh, exc.en)
                    return None
        return Indicator(code=f"allocation.{code}", name=ref.name or name or code, numerator=ref.numerator,
                         denominator=ref.denominator, factor=ref.factor, unit=ref.unit, decimals=ref.decimals)


def _check_references(path: Path, rules: Mapping[str, Rule]) -> None:
    """A ``basis`` naming a rule must name a line or a minimum rule (other names are plan lines, resolved when
    allocating)."""
    problems = [
        Problem(f"规则 {rule.code} 的 basis“{rule.basis}”不是配置标准（line）或下限（minimum）规则",
                f"rule {rule.code}: basis {rule.basis!r} is neither a line nor a minimum rule", str(path), None, "basis")
        for rule in rules.values()
        if isinstance(rule, ShareRule) and rule.basis is not None and rule.basis in rules
        and not isinstance(rules[rule.basis], LineRule | MinimumRule)]
    if problems:
        raise ValidationFailed(problems)
