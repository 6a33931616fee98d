"""Word documents in the style of Chinese government documents (GB/T 9704-2012 公文格式), for the bulletins.

A4, 版心 156 × 225 mm; title in 二号 方正小标宋简体, body in 三号 仿宋_GB2312 at a fixed 29 pt line; headings numbered
一、(黑体) （一）(楷体) 1. (仿宋 bold); page numbers in 四号 宋体 as ``— 1 —``. Each role names its 公文 font when it
is installed where the document is made, else Noto CJK (fonts-noto-cjk: Sans for title and headings, Serif for
the text); the font table gives the other one as its alternative (``w:altName``), so the document reads well
both on a government PC and on the Linux server that wrote it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from healthplan.tasks import ooxml
from healthplan.tasks.numerals import to_chinese

WESTERN = "Times New Roman"
NOTO_SANS = "Noto Sans CJK SC"
NOTO_SERIF = "Noto Serif CJK SC"
# role → (公文 font as documents name it, the family name font managers know it by), then the Noto fallback
ROLES: dict[str, tuple[tuple[tuple[str, str], ...], str]] = {  # the first role using a Noto font names its alternative
    "body": ((("仿宋_GB2312", "FangSong_GB2312"), ("仿宋", "FangSong")), NOTO_SERIF),
    "heading": ((("黑体", "SimHei"),), NOTO_SANS),
    "title": ((("方正小标宋简体", "FZXiaoBiaoSong-B05S"), ("方正小标宋_GBK", "FZXiaoBiaoSong-B05"), ("黑体", "SimHei")),
              NOTO_SANS),
    "subheading": ((("楷体_GB2312", "KaiTi_GB2312"), ("楷体", "KaiTi")), NOTO_SERIF),
    "page": ((("宋体", "SimSun"),), NOTO_SERIF),
}
HEADING_ROLES = ("heading", "subheading", "body")
TITLE_PT, BODY_PT, TABLE_PT, PAGE_PT = 22, 16, 11, 14
LINE_PT = 29


@dataclass(frozen=True)
class Font:
    name: str  # written into the document
    alternative: str  # declared as its substitute in the font table


@cache
def fonts() -> dict[str, Font]:
    """For each role the first 公文 font installed here, else the Noto fallback (with the other as alternative)."""
    installed = _installed_families()
    chosen = {}
    for role, (candidates, noto) in ROLES.items():
        found = next((name for name, family in candidates if family in installed or name in installed), None)
        chosen[role] = Font(found, noto) if found else Font(noto, candidates[0][0])
    return chosen


def _installed_families() -> set[str]:
    from matplotlib import font_manager

    return {entry.name for entry in font_manager.fontManager.ttflist}


class GovDocument:
    """A document under construction; headings are numbered as they are added."""

    def __init__(self, title: str, subtitle: str = "", *, landscape: bool = False) -> None:
        from docx import Document
        from docx.enum.section import WD_ORIENT
        from docx.shared import Mm

        self.fonts = fonts()
        self.doc: Any = Document()
        section = self.doc.sections[0]
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Mm(297), Mm(210)
            section.top_margin, section.bottom_margin = Mm(28), Mm(26)
            section.left_margin, section.right_margin = Mm(37), Mm(35)
        else:
            section.page_width, section.page_height = Mm(210), Mm(297)
            section.top_margin, section.bottom_margin = Mm(37), Mm(35)
            section.left_margin, section.right_margin = Mm(28), Mm(26)
        self.width_mm = (section.page_width - section.left_margin - section.right_margin) / Mm(1)
        normal = self.doc.styles["Normal"]
        self._font(normal.element.get_or_add_rPr(), "body")
        normal.font.size = _pt(BODY_PT)
        self._counters = [0, 0, 0]
        self._page_numbers(section)
        self._line(title, "title", TITLE_PT, centre=True)
        if subtitle:
            self._line(subtitle, "subheading", BODY_PT, centre=True)
        self._line("", "body", BODY_PT)

    def heading(self, level: int, text: str) -> None:
        """A numbered heading: level 1 一、 level 2 （一） level 3 1．"""
        self._counters[level - 1] += 1
        for lower in range(level, 3):
            self._counters[lower] = 0
        n = self._counters[level - 1]
        number = f"{n}．" if level == 3 else f"{to_chinese(n)}、" if level == 1 else f"（{to_chinese(n)}）"
        self._line(number + text, HEADING_ROLES[level - 1], BODY_PT, bold=level == 3, indent=True)

    def paragraph(self, text: str) -> None:
        self._line(text, "body", BODY_PT, indent=True)

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]], shares: Sequence[float]) -> None:
        """A bordered table across the text width (columns in proportion to ``shares``), header repeated."""
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Mm

        table = self.doc.add_table(rows=1 + len(rows), cols=len(header))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        widths = [Mm(self.width_mm * share / sum(shares)) for share in shares]
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        table.rows[0]._tr.get_or_add_trPr().append(repeat)
        for r, values in enumerate([list(header), *[list(v) for v in rows]]):
            for c, value in enumerate(values):
                cell = table.cell(r, c)
                cell.width = widths[c]
                paragraph = cell.paragraphs[0]
                run = paragraph.add_run(str(value))
                self._font(run._element.get_or_add_rPr(), "heading" if r == 0 else "body")
                run.font.size = _pt(TABLE_PT)
                if r == 0 or len(str(value)) <= 10:
                    paragraph.alignment = 1  # centre
        self._line("", "body", BODY_PT)

    def save(self, path: Path) -> None:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(ooxml.pin(buffer.getvalue(), {"word/fontTable.xml": self._declare_alternatives}))

    def _line(self, text: str, role: str, size: float, *, centre: bool = False, bold: bool = False,
              indent: bool = False) -> None:
        from docx.enum.text import WD_LINE_SPACING

        paragraph = self.doc.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = _pt(LINE_PT if size <= BODY_PT else size * 1.6)
        fmt.space_before = fmt.space_after = _pt(0)
        if centre:
            paragraph.alignment = 1
        if indent:
            fmt.first_line_indent = _pt(size * 2)
        if text:
            run = paragraph.add_run(text)
            self._font(run._element.get_or_add_rPr(), role)
            run.font.size = _pt(size)
            run.font.bold = bold

    def _page_numbers(self, section: Any) -> None:
        """``— n —`` centred in the footer (公文 page numbers, 四号 宋体)."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        paragraph = section.footer.paragraphs[0]
        paragraph.alignment = 1

        def run(text: str = "", field: str | None = None, instruction: str | None = None) -> None:
            r = paragraph.add_run(text)
            self._font(r._element.get_or_add_rPr(), "page")
            r.font.size = _pt(PAGE_PT)
            if field is not None:
                element = OxmlElement("w:fldChar")
                element.set(qn("w:fldCharType"), field)
                r._element.append(element)
            if instruction is not None:
                element = OxmlElement("w:instrText")
                element.set(qn("xml:space"), "preserve")
                element.text = instruction
                r._element.append(element)

        run("— ")
        run(field="begin")
        run(instruction=" PAGE ")
        run(field="separate")
        run("1")
        run(field="end")
        run(" —")

    def _font(self, rpr: Any, role: str) -> None:
        """Chinese text in the role's font, Latin letters and digits in Times New Roman."""
        from docx.oxml.ns import qn

        element = rpr.get_or_add_rFonts()
        for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
            element.set(qn(attribute), WESTERN)
        element.set(qn("w:eastAsia"), self.fonts[role].name)

    def _declare_alternatives(self, font_table: bytes) -> bytes:
        """Add each font used to the font table with its alternative."""
        used: dict[str, str] = {}
        for font in self.fonts.values():
            used.setdefault(font.name, font.alternative)
        entries = "".join(
            f'<w:font w:name="{escape(name)}"><w:altName w:val="{escape(alternative)}"/><w:charset w:val="86"/>'
            f'<w:pitch w:val="variable"/></w:font>' for name, alternative in used.items())
        return re.sub(rb"</w:fonts>\s*$", entries.encode() + b"</w:fonts>", font_table)


def _pt(value: float) -> Any:
    from docx.shared import Pt

    return Pt(value)
