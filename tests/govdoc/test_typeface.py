"""The fonts of each role: the 公文 font when installed, Noto CJK otherwise, the other one as alternative; and the
chart font, which must really draw Chinese."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from healthplan.govdoc import typeface


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch) -> Iterator[set[str]]:
    """The set of installed families :func:`typeface.fonts` sees; fill it in the test."""
    families: set[str] = set()
    monkeypatch.setattr(typeface, "installed_families", lambda: families)
    typeface.fonts.cache_clear()
    yield families
    typeface.fonts.cache_clear()


def test_without_official_fonts_every_role_falls_back_to_noto(installed: set[str]) -> None:
    chosen = typeface.fonts()
    assert set(chosen) == set(typeface.ROLES)
    assert {role: font.name for role, font in chosen.items()} == {
        "title": typeface.NOTO_SANS, "heading": typeface.NOTO_SANS, "subheading": typeface.NOTO_SERIF,
        "body": typeface.NOTO_SERIF, "page": typeface.NOTO_SERIF}
    assert chosen["title"].alternative == "方正小标宋简体" and chosen["body"].alternative == "仿宋_GB2312"
    assert chosen["heading"].alternative == "黑体" and chosen["subheading"].alternative == "楷体_GB2312"


def test_an_installed_official_font_is_named_with_noto_as_its_alternative(installed: set[str]) -> None:
    installed.update({"SimHei", "仿宋"})  # found by family name or by the name documents use
    chosen = typeface.fonts()
    assert chosen["heading"] == typeface.Font("黑体", typeface.NOTO_SANS)
    assert chosen["title"] == typeface.Font("黑体", typeface.NOTO_SANS)  # no 小标宋: the next in line
    assert chosen["body"] == typeface.Font("仿宋", typeface.NOTO_SERIF)
    assert chosen["subheading"] == typeface.Font(typeface.NOTO_SERIF, "楷体_GB2312")


def test_choose_takes_the_first_installed_candidate() -> None:
    candidates = (("方正不存在体", "NoSuchFamily"), ("黑体", "SimHei"), ("Noto Sans CJK SC", "Noto Sans CJK SC"))
    assert typeface.choose(candidates, set()) == typeface.Font("Noto Sans CJK SC", "方正不存在体")
    assert typeface.choose(candidates, {"SimHei", "NoSuchFamily"}).name == "方正不存在体"


def test_the_chart_font_is_a_real_cjk_font() -> None:
    font = typeface.chart_font()
    assert font.family in {family for _, family in typeface.CHART}
    assert Path(font.path).is_file()
    assert typeface.missing_glyphs(font, "晋城市泽州县每千常住人口床位数（张）‰") == ""


@pytest.mark.filterwarnings("ignore:Glyph")
def test_a_latin_font_misses_chinese_glyphs() -> None:
    from matplotlib import font_manager

    latin = typeface.ChartFont("DejaVu Sans", font_manager.findfont("DejaVu Sans"), 0)
    assert typeface.missing_glyphs(latin, "县 A\n") == "县"
