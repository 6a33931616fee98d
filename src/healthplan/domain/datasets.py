"""Data sets (报表): which data elements a report collects, per facility or per area, how often, and the rules
its values must satisfy (负压病床 ≤ 传染病床位).

One definition serves both the site's data entry and approval and the Excel report templates, so a form and its
template never disagree. Pure: ``parse_data_sets`` checks definitions and reports every mistake located and
bilingual; rules evaluate a mapping of values. The shipped definitions are read by ``store.datasets``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from healthplan.domain.data import RecordedAt
from healthplan.domain.labels import LabelledEnum, labelled
from healthplan.domain.periods import Period, PeriodError, PeriodType
from healthplan.domain.problems import HealthplanError, Problem, ValidationFailed
from healthplan.domain.registry import Level

#: ``period_type`` words (DHIS2's period types) → the period type a report's periods must have.
PERIOD_TYPES: dict[str, PeriodType] = {"yearly": PeriodType.YEAR, "quarterly": PeriodType.QUARTER,
                                       "monthly": PeriodType.MONTH, "weekly": PeriodType.WEEK,
                                       "daily": PeriodType.DAY}
_PERIOD_WORDS = {kind: word for word, kind in PERIOD_TYPES.items()}
_EXAMPLES = {PeriodType.YEAR: "2024", PeriodType.QUARTER: "2024Q3", PeriodType.MONTH: "202407",
             PeriodType.WEEK: "2024W27", PeriodType.DAY: "20240705"}
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")  # a URL path segment and the approval key (64 characters)
_ALIAS = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")  # another name a data set answers to on the command line
LINE_KEY = "__line__"  # where a loader that tracks lines says a mapping starts; used to locate problems


@labelled({"le": "≤", "lt": "<", "ge": "≥", "gt": ">", "eq": "="})
class Op(LabelledEnum):
    LE = "le"
    LT = "lt"
    GE = "ge"
    GT = "gt"
    EQ = "eq"

    def holds(self, left: float, right: float) -> bool:
        if self is Op.LE:
            return left <= right
        if self is Op.LT:
            return left < right
        if self is Op.GE:
            return left >= right
        if self is Op.GT:
            return left > right
        return abs(left - right) < 1e-9  # sums of entered decimals: equal up to rounding


@labelled({"error": "错误", "warning": "提示"})
class Severity(LabelledEnum):
    """An error keeps the values from being saved; a warning is shown and the values are saved."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Violation:
    """A rule the values break, with both sides' sums (shown next to the fields involved)."""

    rule: Rule
    left: float
    right: float

    @property
    def blocking(self) -> bool:
        return self.rule.severity is Severity.ERROR

    def message(self, english: bool = False) -> str:
        """``负压病床 ≤ 传染病床位：12 ≤ 10 不成立`` — the rule, then the numbers that break it."""
        symbol = self.rule.op.label
        if english:
            return f"{self.rule.name_en or self.rule.name}: {self.left:g} {symbol} {self.right:g} does not hold"
        return f"{self.rule.name}：{self.left:g} {symbol} {self.right:g} 不成立"

    def to_json(self) -> dict[str, object]:
        return {"rule": self.rule.code, "name": self.rule.name, "name_en": self.rule.name_en,
                "severity": self.rule.severity.value, "left": self.left, "right": self.right,
                "elements": list(self.rule.elements), "message_zh": self.message(), "message_en": self.message(True)}


@dataclass(frozen=True)
class Rule:
    """The sum of ``left`` compared with the sum of ``right`` for one org unit and period."""

    code: str
    left: tuple[str, ...]
    op: Op
    right: tuple[str, ...]
    name: str
    name_en: str = ""
    severity: Severity = Severity.ERROR

    @property
    def elements(self) -> tuple[str, ...]:
        return self.left + self.right

    def check(self, values: Mapping[str, float | None]) -> Violation | None:
        """The violation, or None when the rule holds or an element on either side is not filled in
        (missing is not zero: a half-filled form is not yet wrong)."""
        sides = [[values.get(e) for e in side] for side in (self.left, self.right)]
        if any(v is None for side in sides for v in side):
            return None
        left, right = (sum(v for v in side if v is not None) for side in sides)
        return None if self.op.holds(left, right) else Violation(self, left, right)

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "name": self.name, "name_en": self.name_en, "left": list(self.left),
                "op": self.op.value, "right": list(self.right), "severity": self.severity.value}


@dataclass(frozen=True)
class Section:
    """A group of fields on a form (床位, 人员 …)."""

    name: str
    name_en: str
    elements: tuple[str, ...]


@dataclass(frozen=True)
class DataSet:
    """A report. ``rows`` is what one form (one template row) stands for: a facility, or an area — the level
    Excel templates list (forms on the site may be for an area of any level). ``approval``: values go through
    the approval workflow, one report per (data set, approval unit, year), and the site offers the form."""

    code: str
    name: str
    name_en: str
    rows: Level
    period_type: PeriodType
    sections: tuple[Section, ...]
    rules: tuple[Rule, ...] = ()
    approval: bool = False
    aliases: tuple[str, ...] = ()  # names it is also known by (yearly-resources, the name the issue gave it)

    @property
    def recorded_at(self) -> RecordedAt:
        return RecordedAt.FACILITY if self.rows is Level.FACILITY else RecordedAt.AREA

    @property
    def elements(self) -> tuple[str, ...]:
        return tuple(e for s in self.sections for e in s.elements)

    def period(self, year: int | None = None, period: str | None = None) -> Period:
        """The reporting period from a year or a period code (exactly one), of the data set's period type."""
        if (year is None) == (period is None):
            raise HealthplanError("请给出年份（--year）或期间（--period）之一", "give exactly one of --year or --period")
        text = str(year) if year is not None else str(period)
        try:
            chosen = Period.year(year) if year is not None else Period.parse(text)
        except (PeriodError, ValueError) as exc:
            raise HealthplanError(f"期间无效：{text}", f"invalid period: {text} ({exc})") from None
        if chosen.type is not self.period_type:
            kind = self.period_type
            raise HealthplanError(
                f"“{self.name}”按{kind.label}填报，期间应为{kind.label}（如 {_EXAMPLES[kind]}），"
                f"{chosen.code} 是{chosen.type.label}",
                f"{self.code} is reported {_PERIOD_WORDS[kind]}: give a {kind.name.lower()} such as "
                f"{_EXAMPLES[kind]}; {chosen.code} is a {chosen.type.name.lower()}")
        return chosen

    def check_period(self, code: str) -> str:
        """A period code of this data set's period type, normalised."""
        return self.period(period=code).code

    @staticmethod
    def approval_periods(period: str) -> list[str]:
        """The approval years a period of any length touches (its values depend on those reports)."""
        p = Period.parse(period)
        return [str(y) for y in range(p.start.year, p.end.year + 1)]

    def violations(self, values: Mapping[str, float | None]) -> list[Violation]:
        return [v for rule in self.rules if (v := rule.check(values)) is not None]

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "aliases": list(self.aliases), "name": self.name, "name_en": self.name_en,
                "recorded_at": self.recorded_at.value, "rows": self.rows.value,
                "period_type": _PERIOD_WORDS[self.period_type], "approval": self.approval,
                "data_elements": list(self.elements),
                "sections": [{"name": s.name, "name_en": s.name_en, "elements": list(s.elements)}
                             for s in self.sections],
                "rules": [r.to_json() for r in self.rules]}


class _Reader:
    """Reads one definition's fields, collecting every problem located at the mapping's line and key."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems

    def problem(self, item: Mapping[str, Any], key: str, zh: str, en: str) -> None:
        line = item.get(LINE_KEY)
        self.problems.append(Problem(zh, en, self.source, line if isinstance(line, int) else None, key))

    def text(self, item: Mapping[str, Any], key: str, required: bool = True) -> str:
        value = item.get(key)
        if value is None or value == "":
            if required:
                self.problem(item, key, f"缺少“{key}”", f"{key} is required")
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.problem(item, key, f"“{key}”应为文字", f"{key} must be text")
            return ""
        return str(value)

    def codes(self, item: Mapping[str, Any], key: str) -> tuple[str, ...]:
        value = item.get(key)
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
            self.problem(item, key, f"“{key}”应为非空的数据元代码列表", f"{key} must be a non-empty list of codes")
            return ()
        return tuple(value)

    def mappings(self, item: Mapping[str, Any], key: str, required: bool) -> list[Mapping[str, Any]]:
        value = item.get(key)
        if value is None and not required:
            return []
        if not isinstance(value, list) or (required and not value) or \
                not all(isinstance(v, Mapping) for v in value):
            self.problem(item, key, f"“{key}”应为列表", f"{key} must be a list of mappings")
            return []
        return value

    def choice(self, item: Mapping[str, Any], key: str, choices: Mapping[str, Any], default: str) -> Any:
        value = item.get(key, default)
        if not isinstance(value, str) or value not in choices:
            self.problem(item, key, f"“{key}”应为 {'/'.join(choices)} 之一，得到“{value}”",
                         f"{key} must be one of {', '.join(choices)}, got {value!r}")
            return choices[default]
        return choices[value]


def _rule(read: _Reader, item: Mapping[str, Any], collected: set[str]) -> Rule:
    rule = Rule(read.text(item, "code"), read.codes(item, "left"),
                read.choice(item, "op", {o.value: o for o in Op}, "le"), read.codes(item, "right"),
                read.text(item, "name"), read.text(item, "name_en", required=False),
                read.choice(item, "severity", {s.value: s for s in Severity}, "error"))
    outside = [e for e in rule.elements if e not in collected]
    if outside:
        read.problem(item, "left" if outside[0] in rule.left else "right",
                     f"规则“{rule.code}”用到本报表不收集的数据元：{', '.join(outside)}",
                     f"rule {rule.code} uses elements the data set does not collect: {', '.join(outside)}")
    return rule


def _data_set(read: _Reader, item: Mapping[str, Any], known: Collection[str] | None) -> DataSet:
    code = read.text(item, "code")
    if code and not _CODE.match(code):
        read.problem(item, "code", f"报表代码“{code}”只能用小写字母、数字和下划线，以字母开头，最长 64 个字符",
                     f"data set code {code!r} must be lower-case letters, digits and _, starting with a letter, "
                     f"at most 64 characters")
    sections = []
    seen: set[str] = set()
    for raw in read.mappings(item, "sections", required=True):
        section = Section(read.text(raw, "name"), read.text(raw, "name_en", required=False),
                          read.codes(raw, "elements"))
        for element in section.elements:
            if element in seen:
                read.problem(raw, "elements", f"数据元“{element}”在本报表中出现两次",
                             f"{element} appears twice in {code}")
            elif known is not None and element not in known:
                read.problem(raw, "elements", f"未知的数据元“{element}”", f"unknown data element {element!r}")
            seen.add(element)
        sections.append(section)
    rules = [_rule(read, r, seen) for r in read.mappings(item, "rules", required=False)]
    duplicated = sorted({r.code for r in rules if [x.code for x in rules].count(r.code) > 1})
    if duplicated:
        read.problem(item, "rules", f"规则代码重复：{', '.join(duplicated)}", f"duplicate rule codes: {', '.join(duplicated)}")
    approval = item.get("approval", False)
    if not isinstance(approval, bool):
        read.problem(item, "approval", "“approval”应为 true 或 false", "approval must be true or false")
        approval = False
    period_type = read.choice(item, "period_type", PERIOD_TYPES, "yearly")
    if approval and period_type is not PeriodType.YEAR:
        read.problem(item, "approval", "审核按年进行：参与审核的报表应按年填报（period_type: yearly）",
                     "approval is per year: a data set under approval must be yearly")
    aliases = read.codes(item, "aliases") if "aliases" in item else ()
    for alias in aliases:
        if not _ALIAS.match(alias):
            read.problem(item, "aliases", f"别名“{alias}”只能用小写字母、数字、下划线和连字符，以字母开头",
                         f"alias {alias!r} must be lower-case letters, digits, _ and -, starting with a letter")
    return DataSet(code, read.text(item, "name"), read.text(item, "name_en", required=False),
                   read.choice(item, "rows", {level.value: level for level in Level}, "facility"), period_type,
                   tuple(sections), tuple(rules), approval, aliases)


def parse_data_sets(items: Iterable[Mapping[str, Any]], source: str = "datasets.yaml",
                    known_elements: Collection[str] | None = None) -> dict[str, DataSet]:
    """Data sets by code, in the order given, or ``ValidationFailed`` listing every problem.

    Besides each definition's own fields: codes are unique, a rule only uses elements its data set collects
    (otherwise it could never be checked), and each element belongs to at most one data set under approval —
    the approval of that report decides who may see the element's values. ``known_elements``, when given, are
    the data element codes a data set may name.
    """
    problems: list[Problem] = []
    read = _Reader(source, problems)
    result: dict[str, DataSet] = {}
    approved_by: dict[str, str] = {}
    names: dict[str, str] = {}  # every code and alias → the data set's code
    for item in items:
        if not isinstance(item, Mapping):
            problems.append(Problem("每个报表应为一个映射", "each data set must be a mapping", source))
            continue
        data_set = _data_set(read, item, known_elements)
        if data_set.code in result:
            read.problem(item, "code", f"报表代码“{data_set.code}”重复", f"duplicate data set code {data_set.code!r}")
        for name in (data_set.code, *data_set.aliases):
            if name in names and names[name] != data_set.code:
                read.problem(item, "aliases" if name != data_set.code else "code",
                             f"名称“{name}”已是报表“{names[name]}”的代码或别名",
                             f"{name!r} already names data set {names[name]!r}")
            names.setdefault(name, data_set.code)
        result[data_set.code] = data_set
        for element in dict.fromkeys(data_set.elements) if data_set.approval else ():
            if element in approved_by:
                read.problem(item, "sections",
                             f"数据元“{element}”已由参与审核的报表“{approved_by[element]}”收集",
                             f"{element} is already collected by the approved data set {approved_by[element]}")
            approved_by.setdefault(element, data_set.code)
    if problems:
        raise ValidationFailed(problems)
    return result
