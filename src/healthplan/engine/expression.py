"""Parse indicator expressions (DESIGN §3.3) into a small typed AST; errors point at the column."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from lark import Lark, Token, Transformer, Tree, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput
from lark.exceptions import VisitError

from healthplan.domain.problems import HealthplanError

GRAMMAR = Path(__file__).with_name("grammar.lark")


class ExpressionError(HealthplanError):
    """A bad expression, with the 1-based column where the problem starts and a caret line."""

    def __init__(self, text: str, column: int, zh: str, en: str) -> None:
        self.text = text
        self.column = column
        caret = f"\n  {text}\n  {' ' * max(column - 1, 0)}^"
        super().__init__(f"第 {column} 列：{zh}{caret}", f"column {column}: {en}")


# ---- AST ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class BinOp:
    op: Literal["+", "-", "*", "/"]
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Neg:
    operand: Expr


@dataclass(frozen=True)
class Call:
    name: Literal["min", "max", "abs", "round"]
    args: tuple[Expr, ...]
    column: int = field(compare=False)


@dataclass(frozen=True)
class If:
    cond: Cond
    then: Expr
    other: Expr


@dataclass(frozen=True)
class Shift:
    """``previous(x)`` (one period earlier) or ``baseline(x)`` (in the plan's base year)."""

    kind: Literal["previous", "baseline"]
    expr: Expr
    column: int = field(compare=False)


@dataclass(frozen=True)
class SumTerm:
    de: str
    filter: Filter | None
    column: int = field(compare=False)


@dataclass(frozen=True)
class ValueTerm:
    de: str
    column: int = field(compare=False)


@dataclass(frozen=True)
class CountFacilities:
    filter: Filter | None
    column: int = field(compare=False)


@dataclass(frozen=True)
class CountAreas:
    level: str
    filter: Filter | None
    column: int = field(compare=False)


Term = SumTerm | ValueTerm | CountFacilities | CountAreas
Expr = Num | BinOp | Neg | Call | If | Shift | Term


@dataclass(frozen=True)
class Compare:
    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class BoolOp:
    op: Literal["and", "or"]
    left: Cond
    right: Cond


@dataclass(frozen=True)
class NotCond:
    operand: Cond


Cond = Compare | BoolOp | NotCond


@dataclass(frozen=True)
class Attr:
    name: str
    column: int = field(compare=False)


@dataclass(frozen=True)
class DeRef:
    code: str
    column: int = field(compare=False)


Operand = Attr | DeRef | SumTerm | CountFacilities
Literal_ = float | str


@dataclass(frozen=True)
class FCompare:
    operand: Operand
    op: str
    literal: Literal_
    column: int = field(compare=False)


@dataclass(frozen=True)
class FIn:
    operand: Operand
    literals: tuple[Literal_, ...]
    column: int = field(compare=False)


@dataclass(frozen=True)
class FHas:
    de: str
    column: int = field(compare=False)


@dataclass(frozen=True)
class FInGroup:
    code: str


@dataclass(frozen=True)
class FGroup:
    name: str


@dataclass(frozen=True)
class FBool:
    op: Literal["and", "or"]
    left: Filter
    right: Filter


@dataclass(frozen=True)
class FNot:
    operand: Filter


Filter = FCompare | FIn | FHas | FInGroup | FGroup | FBool | FNot


# ---- parsing -----------------------------------------------------------------------------------------

@cache
def _parser() -> Lark:
    return Lark(GRAMMAR.read_text(encoding="utf-8"), parser="lalr", propagate_positions=True,
                maybe_placeholders=True)


def _col(node: Token | Tree[Any]) -> int:
    if isinstance(node, Token):
        return node.column or 1
    return node.meta.column if not node.meta.empty else 1


def _literal(token: Token) -> Literal_:
    text = str(token)
    if token.type == "STRING":
        return text[1:-1]
    return float(text)


class _ToAst(Transformer[Token, Expr]):
    """Lark tree → AST. Methods are named after the grammar's rules and aliases."""

    def number(self, items: list[Token]) -> Num:
        return Num(float(items[0]))

    def add(self, items: list[Expr]) -> Expr:
        return BinOp("+", items[0], items[1])

    def sub(self, items: list[Expr]) -> Expr:
        return BinOp("-", items[0], items[1])

    def mul(self, items: list[Expr]) -> Expr:
        return BinOp("*", items[0], items[1])

    def div(self, items: list[Expr]) -> Expr:
        return BinOp("/", items[0], items[1])

    def neg(self, items: list[Expr]) -> Expr:
        return Neg(items[0])

    def sum_term(self, items: list[Any]) -> SumTerm:
        keyword, de, _where, flt = items
        return SumTerm(str(de), flt, _col(keyword))

    def value_term(self, items: list[Any]) -> ValueTerm:
        return ValueTerm(str(items[1]), _col(items[0]))

    def count_facilities(self, items: list[Any]) -> CountFacilities:
        keyword, _facilities, _where, flt = items
        return CountFacilities(flt, _col(keyword))

    def count_areas(self, items: list[Any]) -> CountAreas:
        keyword, _areas, _at, level, _where, flt = items
        return CountAreas(str(level), flt, _col(keyword))

    def shift(self, items: list[Any]) -> Shift:
        if str(items[0]) == "previous":
            return Shift("previous", items[1], _col(items[0]))
        return Shift("baseline", items[1], _col(items[0]))

    def if_func(self, items: list[Any]) -> If:
        return If(items[1], items[2], items[3])

    def call(self, items: list[Any]) -> Call:
        name = str(items[0])
        return Call(name, tuple(items[1:]), _col(items[0]))  # type: ignore[arg-type]

    def compare(self, items: list[Any]) -> Compare:
        return Compare(_norm_op(str(items[1])), items[0], items[2])

    def cond_and(self, items: list[Any]) -> BoolOp:
        return BoolOp("and", items[0], items[2])

    def cond_or(self, items: list[Any]) -> BoolOp:
        return BoolOp("or", items[0], items[2])

    def cond_not(self, items: list[Any]) -> NotCond:
        return NotCond(items[1])

    def attr(self, items: list[Token]) -> Attr:
        return Attr(str(items[0]), _col(items[0]))

    def de(self, items: list[Token]) -> DeRef:
        return DeRef(str(items[0]), _col(items[0]))

    def literal(self, items: list[Token]) -> Token:
        return items[0]

    def f_compare(self, items: list[Any]) -> FCompare:
        operand, op, token = items
        return FCompare(operand, _norm_op(str(op)), _literal(token), _col(token))

    def f_in(self, items: list[Any]) -> FIn:
        operand, keyword, *tokens = items
        return FIn(operand, tuple(_literal(t) for t in tokens), _col(keyword))

    def f_has(self, items: list[Token]) -> FHas:
        return FHas(str(items[1]), _col(items[1]))

    def f_in_group(self, items: list[Token]) -> FInGroup:
        return FInGroup(str(_literal(items[1])))

    def f_group(self, items: list[Token]) -> FGroup:
        return FGroup(str(items[0]))

    def f_and(self, items: list[Any]) -> FBool:
        return FBool("and", items[0], items[2])

    def f_or(self, items: list[Any]) -> FBool:
        return FBool("or", items[0], items[2])

    def f_not(self, items: list[Any]) -> FNot:
        return FNot(items[1])


def _norm_op(op: str) -> str:
    return "!=" if op == "<>" else op


_EXPECTED_NAMES = {
    "NUMBER": "数字/number", "DE": "数据元代码/data element code", "LPAR": "(", "RPAR": ")",
    "COMMA": ",", "STRING": "'文本'/'text'", "ATTR": "属性/attribute", "COMP": "比较符/comparison",
    "LEVEL": "层级/level", "WHERE": "where", "FACILITIES": "facilities", "AREAS": "areas",
    "FNAME": "min/max/abs/round", "MINUS": "-", "PLUS": "+", "STAR": "*", "SLASH": "/",
    "GROUP": "hospital/primary_care/public_health_institution",
}


def parse(text: str) -> Expr:
    """Parse an expression; raise :class:`ExpressionError` with the column of the first problem."""
    if not text or not text.strip():
        raise ExpressionError(text or "", 1, "表达式为空", "empty expression")
    try:
        tree = _parser().parse(text)
        result = _ToAst().transform(tree)
    except UnexpectedEOF as exc:
        raise ExpressionError(text, len(text) + 1, "表达式不完整", f"unexpected end; expected {_expected(exc)}") \
            from None
    except UnexpectedCharacters as exc:
        word = _word_at(text, exc.pos_in_stream or 0)
        raise ExpressionError(text, exc.column, f"无法识别“{word}”，此处应为 {_expected(exc)}",
                              f"unexpected {word!r}; expected {_expected(exc)}") from None
    except UnexpectedInput as exc:
        token = getattr(exc, "token", None)
        at_end = token is None or getattr(token, "type", "") == "$END"
        shown = "结尾/end" if at_end else str(token)
        column = len(text) + 1 if at_end else exc.column
        raise ExpressionError(text, column, f"此处不应出现“{shown}”，应为 {_expected(exc)}",
                              f"unexpected {shown!r}; expected {_expected(exc)}") from None
    except VisitError as exc:  # a transformer bug would surface here; keep the message located
        raise ExpressionError(text, 1, f"无法解析：{exc.orig_exc}", f"cannot parse: {exc.orig_exc}") from None
    if isinstance(result, Tree | Token):
        raise ExpressionError(text, 1, "无法解析", "cannot parse")
    return result


def _word_at(text: str, pos: int) -> str:
    end = pos
    while end < len(text) and (text[end].isalnum() or text[end] in "._"):
        end += 1
    return text[pos:max(end, pos + 1)]


def _expected(exc: UnexpectedInput) -> str:
    names = sorted(getattr(exc, "expected", None) or getattr(exc, "allowed", None) or [])
    shown = [_EXPECTED_NAMES.get(n, n.lower()) for n in names][:8]
    return ", ".join(shown) if shown else "?"
