"""A 公文-style .docx written by :class:`GovDocument`: page, fonts named for East Asian text, numbered headings,
page-number footers, tables, the font table's alternatives, and the same bytes for the same content."""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document

from healthplan.govdoc import ooxml, typeface
from healthplan.govdoc.document import GovDocument


@pytest.fixture(autouse=True)
def noto_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A machine without 公文 fonts, as a Linux server is (the fonts are chosen from what is installed)."""
    monkeypatch.setattr(typeface, "installed_families", lambda: {typeface.NOTO_SANS, typeface.NOTO_SERIF})
    typeface.fonts.cache_clear()
    yield
    typeface.fonts.cache_clear()


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" + b"\xff\x00\x00" * 2)) + chunk(b"IEND", b""))


def _sample(path: Path, *, landscape: bool = False) -> Path:
    doc = GovDocument("晋城市“十四五”医疗卫生服务体系规划\n2024年度监测报告", "晋城市卫生健康委员会",
                      landscape=landscape)
    doc.heading(1, "总体进展")
    doc.paragraph("全市共有医疗卫生机构2,345个。", lead="（一）总体情况。")
    doc.heading(2, "床位")
    doc.heading(3, "医院床位")
    doc.heading(3, "基层床位")
    doc.heading(1, "主要指标完成情况")
    doc.heading(2, "资源配置")
    doc.heading(2, "三、已编号的标题", numbered=False)
    doc.table(("类别", "序号", "指标"), [("服务体系", "1", "每千人口床位数"), ("服务体系", "2", "每千人口医师数"),
                                     ("健康水平", "3", "人均预期寿命")], (2, 1, 6), title="表1  主要指标",
              note="注：数据来自卫生健康统计年报。", spans={0: [(0, 1), (2, 2)]})
    doc.figure(_png(), 4.0, "图1  床位数")
    doc.closing_note("本报告由 healthplan 生成。")
    doc.save(path)
    return path


def _part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as package:
        return package.read(name).decode("utf-8")


def test_a4_with_the_type_area_and_landscape_turned(tmp_path: Path) -> None:
    section = Document(str(_sample(tmp_path / "p.docx"))).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [37, 35, 28, 26]  # 版心 156 × 225 mm
    wide = Document(str(_sample(tmp_path / "l.docx", landscape=True))).sections[0]
    assert (round(wide.page_width.mm), round(wide.page_height.mm)) == (297, 210)
    assert round((wide.page_width - wide.left_margin - wide.right_margin) / 36000) == 225  # EMU per mm


def test_headings_are_numbered_in_styles(tmp_path: Path) -> None:
    document = Document(str(_sample(tmp_path / "h.docx")))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [("Heading 1", "一、总体进展"), ("Heading 2", "（一）床位"), ("Heading 3", "1．医院床位"),
                        ("Heading 3", "2．基层床位"), ("Heading 1", "二、主要指标完成情况"),
                        ("Heading 2", "（一）资源配置"), ("Heading 2", "三、已编号的标题")]
    title = document.paragraphs[0]
    assert title.style.name == "Title" and title.text == "晋城市“十四五”医疗卫生服务体系规划\n2024年度监测报告"
    lead = document.paragraphs[3].runs[0]
    assert lead.text == "（一）总体情况。" and lead.bold


def test_east_asian_fonts_are_named_and_fall_back_to_noto(tmp_path: Path) -> None:
    path = _sample(tmp_path / "f.docx")
    styles = _part(path, "word/styles.xml")
    assert not re.search(r"w:(ascii|hAnsi|eastAsia|cs)[Tt]heme", styles)
    document = Document(str(path))

    def east_asian(style: str) -> str:
        return str(document.styles[style].element.rPr.rFonts.get(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"))

    assert east_asian("Title") == typeface.NOTO_SANS and east_asian("Heading 1") == typeface.NOTO_SANS
    assert east_asian("Normal") == typeface.NOTO_SERIF and east_asian("Heading 2") == typeface.NOTO_SERIF
    assert document.styles["Heading 3"].font.bold and document.styles["Normal"].font.name == typeface.WESTERN
    assert 'w:eastAsia="zh-CN"' in styles  # the default language, which decides ambiguous punctuation
    body = _part(path, "word/document.xml")
    for font in (typeface.NOTO_SANS, typeface.NOTO_SERIF):  # on the runs too, to survive copy and paste
        assert f'w:eastAsia="{font}"' in body
    fonts = _part(path, "word/fontTable.xml")
    for name, alternative in ((typeface.NOTO_SERIF, "仿宋_GB2312"), (typeface.NOTO_SANS, "黑体")):
        assert f'<w:font w:name="{name}"><w:altName w:val="{alternative}"/>' in fonts
    assert fonts.count(f'w:name="{typeface.NOTO_SERIF}"') == 1


def test_an_installed_official_font_is_written_with_noto_as_alternative(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(typeface, "installed_families", lambda: {"FangSong_GB2312", typeface.NOTO_SANS})
    typeface.fonts.cache_clear()
    path = _sample(tmp_path / "o.docx")
    assert 'w:eastAsia="仿宋_GB2312"' in _part(path, "word/styles.xml")
    assert f'<w:font w:name="仿宋_GB2312"><w:altName w:val="{typeface.NOTO_SERIF}"/>' in \
        _part(path, "word/fontTable.xml")


def test_page_numbers_are_a_page_field_on_the_outer_edge(tmp_path: Path) -> None:
    document = Document(str(_sample(tmp_path / "n.docx")))
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer, alignment in ((section.footer, "right"), (section.even_page_footer, "left")):
        xml = footer._element.xml
        assert [m for m in re.findall(r'w:fldCharType="(\w+)"', xml)] == ["begin", "separate", "end"]
        assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", xml)
        paragraph = footer.paragraphs[0]
        assert paragraph.text == "— 1 —" and str(paragraph.alignment).lower().startswith(alignment)


def test_tables_merge_runs_repeat_the_header_and_fill_the_type_area(tmp_path: Path) -> None:
    document = Document(str(_sample(tmp_path / "t.docx")))
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["类别", "序号", "指标"]
    assert table.cell(1, 0)._tc is table.cell(2, 0)._tc and table.cell(3, 0).text == "健康水平"
    assert "w:tblHeader" in table.rows[0]._tr.xml and all("w:cantSplit" in r._tr.xml for r in table.rows)
    assert round(sum(c.width for c in table.columns) / 36000) == 156  # mm, as the columns' shares of the width
    texts = [p.text for p in document.paragraphs]
    assert texts.index("表1  主要指标") + 1 == texts.index("注：数据来自卫生健康统计年报。")  # the table between
    assert "图1  床位数" in texts and texts[-1] == "本报告由 healthplan 生成。"
    assert len(document.inline_shapes) == 1


def test_the_same_content_gives_the_same_bytes(tmp_path: Path) -> None:
    first, second = _sample(tmp_path / "a.docx"), _sample(tmp_path / "b.docx")
    assert first.read_bytes() == second.read_bytes()
    assert "2023-01-01T00:00:00Z" in _part(first, "docProps/core.xml")


def test_editing_a_part_the_package_lacks_is_an_error(tmp_path: Path) -> None:
    data = _sample(tmp_path / "e.docx").read_bytes()
    with pytest.raises(KeyError):
        ooxml.pin(data, {"word/nothing.xml": lambda content: content})
