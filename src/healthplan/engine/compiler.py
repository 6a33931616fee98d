"""Check an expression against the data elements and attributes, and compile it to DuckDB SQL.

The SQL of an expression refers to its terms by alias; :mod:`healthplan.engine.rollup` builds one table per
term (the roll-up of DESIGN §3.2) and the evaluator joins them on (org unit, period).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from healthplan.domain.data import Aggregation, DataElement
from healthplan.domain.registry import (
    CATEGORY_GROUPS,
    HOSPITAL_LEVEL_LABELS,
    Category,
    Grade,
    Host,
    Ownership,
    Specialty,
    UrbanRural,
)
from healthplan.engine.expression import (
    Attr,
    BinOp,
    BoolOp,
    Call,
    Compare,
    Cond,
    CountAreas,
    CountFacilities,
    DeRef,
    Expr,
    ExpressionError,
    FBool,
    FCompare,
    FGroup,
    FHas,
    Filter,
    FIn,
    FInGroup,
    FNot,
    If,
    Literal_,
    Neg,
    NotCond,
    Num,
    Operand,
    Shift,
    SumTerm,
    Term,
    ValueTerm,
    parse,
)

_ENUM_ATTRS: dict[str, type[Category | Specialty | Grade | Ownership | Host | UrbanRural]] = {
    "category": Category, "specialty": Specialty, "grade": Grade, "ownership": Ownership, "host": Host,
    "urban_rural": UrbanRural,
}
_AREA_ATTRS = {"urban_rural"}


@dataclass(frozen=True)
class TermRef:
    """A term evaluated ``shift`` periods away (0 = the period itself; None = the plan's base period)."""

    term: Term
    shift: int | None


@dataclass(frozen=True)
class FilterSql:
    """A filter as a SQL condition over a row alias, with the data elements / terms it needs joined.

    A comparison with a missing value is unknown (SQL NULL) and the filter is passed only when it is true, so a
    facility without the value fails ``dept.x = 1`` and ``not dept.x = 1`` alike (DESIGN §3.3: missing fails the
    filter), yet passes ``primary_care or dept.x = 1`` when it is primary care: the other side decides."""

    sql: str  # may be NULL for a row: use it in WHERE or as coalesce(sql, FALSE)
    data_elements: tuple[str, ...]  # joined as columns named by :func:`de_column`
    required: tuple[str, ...]  # compared data elements: an area where none is recorded has no value
    terms: tuple[Term, ...] = ()  # area filters: terms joined as columns named by :func:`term_column`


@dataclass
class CompiledExpr:
    sql: str
    refs: dict[TermRef, str] = field(default_factory=dict)

    @property
    def uses_shift(self) -> bool:
        return any(ref.shift != 0 for ref in self.refs)


def de_column(code: str) -> str:
    return "de_" + code.replace(".", "__")


def term_column(index: int) -> str:
    return f"term_{index}"


def sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _num(value: float) -> str:
    return repr(float(value))


class Compiler:
    """Compiles the expressions of indicators; one instance per known set of data elements."""

    def __init__(self, data_elements: Mapping[str, DataElement]) -> None:
        self.data_elements = data_elements

    # ---- expressions ----------------------------------------------------------------------------------

    def compile(self, text: str, *, refs: dict[TermRef, str] | None = None,
                allow_baseline: bool = True) -> CompiledExpr:
        """Compile ``text``; pass ``refs`` to share term aliases with another expression (num/den)."""
        expr = parse(text)
        compiled = CompiledExpr("", refs if refs is not None else {})
        compiled.sql = _ExprWriter(self, text, compiled, allow_baseline).expr(expr, 0)
        return compiled

    def check(self, text: str) -> None:
        """Raise :class:`ExpressionError` if ``text`` does not compile."""
        self.compile(text)

    # ---- filters ----------------------------------------------------------------------------------------

    def facility_filter(self, flt: Filter | None, text: str, alias: str = "f") -> FilterSql:
        if flt is None:
            return FilterSql("TRUE", (), ())
        writer = _FilterWriter(self, text, alias, area=False)
        sql = writer.filter(flt)
        return writer.result(sql)

    def area_filter(self, flt: Filter | None, text: str, alias: str = "a") -> FilterSql:
        if flt is None:
            return FilterSql("TRUE", (), ())
        writer = _FilterWriter(self, text, alias, area=True)
        sql = writer.filter(flt)
        return writer.result(sql)

    def element(self, code: str, text: str, column: int) -> DataElement:
        element = self.data_elements.get(code)
        if element is None:
            raise ExpressionError(text, column, f"未知的数据元“{code}”", f"unknown data element {code!r}")
        return element


class _ExprWriter:
    def __init__(self, compiler: Compiler, text: str, out: CompiledExpr, allow_baseline: bool) -> None:
        self.compiler = compiler
        self.text = text
        self.out = out
        self.allow_baseline = allow_baseline

    def expr(self, node: Expr, shift: int | None) -> str:
        match node:
            case Num(value):
                return _num(value)
            case BinOp("/", left, right):
                return f"({self.expr(left, shift)} / NULLIF({self.expr(right, shift)}, 0))"
            case BinOp(op, left, right):
                return f"({self.expr(left, shift)} {op} {self.expr(right, shift)})"
            case Neg(operand):
                return f"(-{self.expr(operand, shift)})"
            case Call(name, args, column):
                return self.call(name, [self.expr(a, shift) for a in args], args, column)
            case If(cond, then, other):
                c = self.cond(cond, shift)
                return (f"(CASE WHEN ({c}) IS NULL THEN NULL WHEN {c} THEN {self.expr(then, shift)} "
                        f"ELSE {self.expr(other, shift)} END)")
            case Shift("previous", inner, _):
                return self.expr(inner, None if shift is None else shift - 1)
            case Shift(_, inner, column):
                if not self.allow_baseline:
                    raise ExpressionError(self.text, column, "baseline() 只能用于规划目标（需要基期）",
                                          "baseline() needs a plan (its base year)")
                return self.expr(inner, None)
            case SumTerm() | ValueTerm() | CountFacilities() | CountAreas():
                self.check_term(node)
                ref = TermRef(node, shift)
                alias = self.out.refs.setdefault(ref, f"c{len(self.out.refs)}")
                return f"{alias}.v"
        raise AssertionError(node)

    def call(self, name: str, sqls: list[str], args: tuple[Expr, ...], column: int) -> str:
        if name in ("abs",):
            self.arity(name, args, 1, column)
            return f"abs({sqls[0]})"
        if name == "round":
            self.arity(name, args, 2, column)
            digits = args[1]
            if not isinstance(digits, Num) or digits.value != int(digits.value):
                raise ExpressionError(self.text, column, "round 的第二个参数应为整数常量",
                                      "round(x, n): n must be an integer constant")
            return f"round({sqls[0]}, {int(digits.value)})"
        if len(args) < 2:
            raise ExpressionError(self.text, column, f"{name} 至少需要两个参数", f"{name} needs 2+ arguments")
        any_null = " OR ".join(f"{s} IS NULL" for s in sqls)
        fn = "least" if name == "min" else "greatest"
        return f"(CASE WHEN {any_null} THEN NULL ELSE {fn}({', '.join(sqls)}) END)"

    def arity(self, name: str, args: tuple[Expr, ...], n: int, column: int) -> None:
        if len(args) != n:
            raise ExpressionError(self.text, column, f"{name} 需要 {n} 个参数，得到 {len(args)} 个",
                                  f"{name} takes {n} argument(s), got {len(args)}")

    def cond(self, node: Cond, shift: int | None) -> str:
        match node:
            case Compare(op, left, right):
                sql_op = "<>" if op == "!=" else op
                return f"({self.expr(left, shift)} {sql_op} {self.expr(right, shift)})"
            case BoolOp(op, left, right):
                return f"({self.cond(left, shift)} {op.upper()} {self.cond(right, shift)})"
            case NotCond(operand):
                return f"(NOT {self.cond(operand, shift)})"
        raise AssertionError(node)

    def check_term(self, term: Term) -> None:
        """Validate data elements and filters now, so errors carry the column of the expression."""
        match term:
            case SumTerm(de, flt, column):
                self.compiler.element(de, self.text, column)
                self.compiler.facility_filter(flt, self.text)
            case ValueTerm(de, column):
                self.compiler.element(de, self.text, column)
            case CountFacilities(flt, _):
                self.compiler.facility_filter(flt, self.text)
            case CountAreas(_, flt, _):
                self.compiler.area_filter(flt, self.text)


class _FilterWriter:
    def __init__(self, compiler: Compiler, text: str, alias: str, *, area: bool) -> None:
        self.compiler = compiler
        self.text = text
        self.alias = alias
        self.area = area
        self.elements: dict[str, None] = {}
        self.required: dict[str, None] = {}
        self.terms: dict[Term, None] = {}

    def result(self, sql: str) -> FilterSql:
        return FilterSql(sql, tuple(self.elements), tuple(self.required), tuple(self.terms))

    def filter(self, node: Filter) -> str:
        match node:
            case FBool(op, left, right):
                return f"({self.filter(left)} {op.upper()} {self.filter(right)})"
            case FNot(operand):
                return f"(NOT {self.filter(operand)})"
            case FGroup(name):
                self.facility_only("hospital/primary_care/public_health_institution", 1)
                cats = ", ".join(sql_string(c.value) for c in sorted(CATEGORY_GROUPS[name]))
                return f"({self.alias}.category IN ({cats}))"
            case FInGroup(code):
                self.facility_only("in_group", 1)
                return f"list_contains({self.alias}.groups, {sql_string(code)})"
            case FHas(de, column):
                self.compiler.element(de, self.text, column)
                return f"({self.operand_sql(DeRef(de, column), track_required=False)} IS NOT NULL)"
            case FCompare(operand, op, literal, column):
                return self.compare(operand, op, literal, column)
            case FIn(operand, literals, column):
                parts = [self.compare(operand, "=", lit, column) for lit in literals]
                return "(" + " OR ".join(parts) + ")"
        raise AssertionError(node)

    def facility_only(self, what: str, column: int) -> None:
        if self.area:
            raise ExpressionError(self.text, column, f"“{what}”只能用于机构筛选，不能用于区域筛选",
                                  f"{what!r} filters facilities, not areas")

    def compare(self, operand: Operand, op: str, literal: Literal_, column: int) -> str:
        sql_op = "<>" if op == "!=" else op
        if isinstance(operand, Attr):
            return self.compare_attr(operand, sql_op, literal, column)
        if isinstance(literal, str):
            raise ExpressionError(self.text, column, "数据元只能与数字比较", "data elements compare with numbers")
        return f"({self.operand_sql(operand)} {sql_op} {_num(literal)})"

    def operand_sql(self, operand: Operand, track_required: bool = True) -> str:
        match operand:
            case DeRef(code, column):
                element = self.compiler.element(code, self.text, column)
                if self.area:
                    term: Term = SumTerm(code, None, 0)
                    if element.aggregation is Aggregation.NONE:
                        term = ValueTerm(code, 0)
                    self.terms.setdefault(term, None)
                    return term_column(list(self.terms).index(term))
                self.elements.setdefault(code, None)
                if track_required:
                    self.required.setdefault(code, None)
                return f"{de_column(code)}.value"
            case SumTerm(_, _, column) | CountFacilities(_, column):
                if not self.area:
                    raise ExpressionError(self.text, column, "机构筛选条件中不能再使用 sum/count",
                                          "sum()/count() cannot be used inside a facility filter")
                _ExprWriter(self.compiler, self.text, CompiledExpr(""), True).check_term(operand)
                self.terms.setdefault(operand, None)
                return term_column(list(self.terms).index(operand))
        raise AssertionError(operand)

    def compare_attr(self, attr: Attr, op: str, literal: Literal_, column: int) -> str:
        name = attr.name
        if self.area and name not in _AREA_ATTRS:
            raise ExpressionError(self.text, attr.column, f"区域筛选只能使用属性 {', '.join(sorted(_AREA_ATTRS))}",
                                  f"area filters can use only {', '.join(sorted(_AREA_ATTRS))}")
        column_sql = f"{self.alias}.{name}"
        if name == "level":
            return f"coalesce({column_sql} {op} {self.level_literal(literal, column)}, FALSE)"
        if name == "central":
            flag = self.bool_literal(literal, column)
            self.equality_only(op, column)
            return f"coalesce({column_sql} {op} {flag}, FALSE)"
        self.equality_only(op, column)
        enum = _ENUM_ATTRS[name]
        try:
            code = enum.from_text(str(literal)).value
        except ValueError:
            raise ExpressionError(self.text, column, f"“{literal}”不是有效的 {name}，可选：{enum.choices()}",
                                  f"{literal!r} is not a valid {name}; choose one of {enum.choices()}") from None
        return f"coalesce({column_sql} {op} {sql_string(code)}, FALSE)"

    def equality_only(self, op: str, column: int) -> None:
        if op not in ("=", "<>"):
            raise ExpressionError(self.text, column, "此属性只能用 = 或 != 比较",
                                  "this attribute compares with = or != only")

    def level_literal(self, literal: Literal_, column: int) -> str:
        if isinstance(literal, float) and literal in (0, 1, 2, 3):
            return str(int(literal))
        for number, label in HOSPITAL_LEVEL_LABELS.items():
            if literal == label:
                return str(number)
        raise ExpressionError(self.text, column, "level 应为 0–3（或 三级/二级/一级/未定级）",
                              "level must be 0-3 (or 三级/二级/一级/未定级)")

    def bool_literal(self, literal: Literal_, column: int) -> str:
        if literal in (1.0, "true", "是"):
            return "TRUE"
        if literal in (0.0, "false", "否"):
            return "FALSE"
        raise ExpressionError(self.text, column, "central 应为 0 或 1", "central must be 0 or 1")
