"""The report model (numbering, merged cells, number formats) and the tracing of numbers in sentences."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from healthplan.reports.claims import matches, problems, resolve
from healthplan.reports.model import (
    Cell,
    Claim,
    Figure,
    Heading,
    Paragraph,
    Report,
    ReportKind,
    Section,
    Source,
    Table,
)
from healthplan.reports.sentences import Sentence

DATA = {"evaluation": {"year": 2024, "targets": [
    {"name": "5岁以下儿童死亡率(‰)", "value": 4.587, "value_text": "4.59", "status": "met", "nature": "binding"},
    {"name": "床位", "value": 7.05, "value_text": "7.05", "status": "behind", "nature": "expected"},
    {"name": "护士", "value": None, "value_text": "—", "status": "met", "nature": "expected"},
], "gap": {"denominator": 2151169.5, "gap": -169.0}, "a/b": {"~x": 3}}}


def _table(key: str, categories: list[str]) -> Table:
    rows = tuple((Cell(c), Cell(str(i), i, 0)) for i, c in enumerate(categories, start=1))
    return Table(key, f"title {key}", ("类别", "序号"), rows, (1, 1), merge=(0,))


def test_spans_merge_runs_of_equal_text_only_in_merged_columns() -> None:
    table = _table("t", ["健康", "健康", "服务", "健康"])
    assert table.spans(0) == [(0, 1), (2, 2), (3, 3)]
    assert table.spans(1) == [(0, 0), (1, 1), (2, 2), (3, 3)]


def test_layout_numbers_headings_tables_and_figures_in_reading_order() -> None:
    claim = Claim("x", ())
    report = Report(ReportKind.ANNUAL, "T", "S", [
        Section("总体进展", [Paragraph((claim,)), _table("a", ["x"])]),
        Section("比较", [Section("概况", [_table("b", ["y"]), Figure("f", "地图", b"png")]), Section("重点")]),
    ], {})
    outline = list(report.layout())
    headings = [b.text for b in outline if isinstance(b, Heading)]
    assert headings == ["一、总体进展", "二、比较", "（一）概况", "（二）重点"]
    assert [t.title for t in report.tables()] == ["表1  title a", "表2  title b"]
    assert [b.title for b in outline if isinstance(b, Figure)] == ["图1  地图"]
    assert report.claims() == [claim]
    assert report.to_json()["outline"][-1] == {"type": "heading", "level": 2, "text": "（二）重点"}


def test_number_formats_print_values_as_the_text_does() -> None:
    assert Cell("7.05", 7.05, 2).number_format == "0.00"
    assert Cell("19", 19, 0).number_format == "0"
    assert Cell("1:1.55", 1.55, 2, ratio=True).number_format == '"1:"0.00'


def test_resolve_follows_pointers_and_counts() -> None:
    assert resolve(DATA, Source("/evaluation/targets/1/value", "7.05")) == 7.05
    assert resolve(DATA, Source("/evaluation/a~1b/~0x", "3")) == 3
    assert resolve(DATA, Source("/evaluation/targets", "3", ())) == 3
    assert resolve(DATA, Source("/evaluation/targets", "1", (("status", "met"), ("nature", "expected")))) == 1


def test_matches_compares_strings_verbatim_and_numbers_at_printed_precision() -> None:
    assert matches(Source("p", "4.59"), "4.59")
    assert not matches(Source("p", "4.6"), "4.59")
    assert matches(Source("p", "4.59"), 4.587)
    assert not matches(Source("p", "4.58"), 4.587)
    assert matches(Source("p", "215.1", scale=1e-4), 2151169.5)
    assert matches(Source("p", "169", scale=-1), -169.0)
    assert not matches(Source("p", "169"), -169.0)
    assert not matches(Source("p", "1"), None)
    assert not matches(Source("p", "1"), True)


def test_a_traceable_sentence_has_no_problems() -> None:
    s = Sentence().number("5岁以下儿童死亡率(‰)", "/evaluation/targets/0/name").number("2024", "/evaluation/year")
    s.text("年为").number("4.59", "/evaluation/targets/0/value_text").text("，")
    s.count(2, "/evaluation/targets", status="met").text("项已达标，富余")
    s.number("169", "/evaluation/gap/gap", scale=-1).text("张。")
    assert problems(s.claim(), DATA) == []


def test_untraceable_numbers_are_reported() -> None:
    unsourced = Claim("2024年为4.59。", (Source("/evaluation/year", "2024"),))
    assert any("“4.59” has no source" in p for p in problems(unsourced, DATA))
    wrong = Claim("当年值7.06。", (Source("/evaluation/targets/1/value", "7.06"),))
    assert any("≠" in p for p in problems(wrong, DATA))
    absent = Claim("当年值7.05。", (Source("/evaluation/targets/9/value", "7.05"),))
    assert any("no such result" in p for p in problems(absent, DATA))
    elsewhere = Claim("当年值。", (Source("/evaluation/targets/1/value", "7.05"),))
    assert any("not in the sentence" in p for p in problems(elsewhere, DATA))
    miscounted = Claim("3项已达标。", (Source("/evaluation/targets", "3", (("status", "met"),)),))
    assert problems(miscounted, DATA)


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), st.integers(min_value=0, max_value=4))
@example(1.5, 0)  # 1.5 and 2.5 both print as "2" (half to even): the neighbour is of the printed text
def test_a_value_printed_at_any_precision_matches_itself_and_not_its_neighbour(value: float, places: int) -> None:
    text = f"{abs(value):.{places}f}"
    scale = -1.0 if value < 0 else 1.0
    assert matches(Source("p", text, scale=scale), value)
    step = 10 ** -places
    assert not matches(Source("p", f"{float(text) + step:.{places}f}", scale=scale), value)
