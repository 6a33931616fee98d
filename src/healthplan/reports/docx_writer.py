"""The report as a Word document in the format of Chinese official documents (党政机关公文格式, GB/T 9704-2012).

A4 with the 公文 type area (天头 37 mm, 订口 28 mm, 版心 156 × 225 mm); title 二号 小标宋, body 三号 仿宋 at a fixed
28.95 pt line pitch (22 lines a page), headings 一、 in 黑体, （一） in 楷体, 1. in bold 仿宋; page numbers
``— n —`` in 四号 宋体, right on odd pages and left on even ones. Every font is written for East Asian text too
(``w:eastAsia``), without theme fonts, so Word and LibreOffice both use it.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from healthplan.reports.fonts import DocumentFonts, document_fonts
from healthplan.reports.model import Figure, Heading, Paragraph, Report, Table

BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
PAGE_NUMBER_SIZE = Pt(14)  # 四号
TABLE_SIZE = Pt(10.5)  # 五号
WIDE_TABLE_SIZE = Pt(9)  # 小五, for tables of nine columns or more
LINE_PITCH = Pt(28.95)  # 22 lines in the 225 mm type area
TYPE_AREA_WIDTH_CM = 15.6
THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def set_font(element: Any, name: str) -> None:
    """Name ``name`` for every script of a run or style (``w:eastAsia`` included) and drop theme fonts."""
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)
    for attribute in THEME_ATTRIBUTES:
        fonts.attrib.pop(qn(attribute), None)


def _style(document: Any, name: str, font: str, size: Pt, bold: bool = False, base: str | None = None) -> Any:
    styles = document.styles
    try:
        style = styles[name]
    except KeyError:
        from docx.enum.style import WD_STYLE_TYPE

        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        if base:
            style.base_style = styles[base]
    set_font(style.element, font)
    link = style.element.find(qn("w:link"))
    if link is not None:  # the character style Word pairs with a heading or title uses the same font
        linked = next((x for x in styles if x.style_id == link.get(qn("w:val"))), None)
        if linked is not None:
            set_font(linked.element, font)
    style.font.size = size
    style.font.bold = bold
    style.font.italic = False
    color = style.element.get_or_add_rPr().find(qn("w:color"))
    if color is not None:
        style.element.get_or_add_rPr().remove(color)
    style.font.color.rgb = RGBColor(0, 0, 0)
    return style


def _setup(document: Any, fonts: DocumentFonts) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(20)
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts_default = defaults.find(qn("w:rFonts"))
    for attribute in THEME_ATTRIBUTES:
        fonts_default.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts_default.set(qn(attribute), fonts.body)
    language = defaults.find(qn("w:lang"))
    language.set(qn("w:val"), "zh-CN")
    language.set(qn("w:eastAsia"), "zh-CN")

    normal = _style(document, "Normal", fonts.body, BODY_SIZE)
    body = normal.paragraph_format
    body.line_spacing_rule, body.line_spacing = WD_LINE_SPACING.EXACTLY, LINE_PITCH
    body.space_before = body.space_after = Pt(0)
    body.first_line_indent = BODY_SIZE * 2
    body.widow_control = True
    title = _style(document, "Title", fonts.title, TITLE_SIZE)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.first_line_indent = Pt(0)
    title.paragraph_format.line_spacing = Pt(36)
    _drop_border(title.element)
    subtitle = _style(document, "Subtitle", fonts.subheading, BODY_SIZE, base="Normal")
    subtitle.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle.paragraph_format.first_line_indent = Pt(0)
    subtitle.paragraph_format.space_after = LINE_PITCH
    for level, font, bold in ((1, fonts.heading, False), (2, fonts.subheading, False), (3, fonts.body, True)):
        heading = _style(document, f"Heading {level}", font, BODY_SIZE, bold=bold)
        fmt = heading.paragraph_format
        fmt.first_line_indent = BODY_SIZE * 2
        fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, LINE_PITCH
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.keep_with_next = True
    caption = _style(document, "表图题", fonts.heading, Pt(12), base="Normal")
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.first_line_indent = Pt(0)
    caption.paragraph_format.line_spacing = Pt(20)
    caption.paragraph_format.space_before = Pt(6)
    caption.paragraph_format.space_after = Pt(3)
    for name, size in (("表格文字", TABLE_SIZE), ("宽表文字", WIDE_TABLE_SIZE), ("表注", Pt(10.5))):
        style = _style(document, name, fonts.body, size, base="Normal")
        fmt = style.paragraph_format
        fmt.first_line_indent = Pt(0)
        fmt.line_spacing = 1.0
    document.styles["表注"].paragraph_format.space_after = Pt(8)
    _page_numbers(document, fonts.page_number)
    for element in document.styles.element.iter(qn("w:rFonts")):  # no theme font may override ours anywhere
        themed = [a for a in THEME_ATTRIBUTES if element.get(qn(a)) is not None]
        for attribute in themed:
            element.attrib.pop(qn(attribute))
        if themed and element.get(qn("w:eastAsia")) is None:
            for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                element.set(qn(attribute), fonts.body)


def _drop_border(style_element: Any) -> None:
    """The default Title style underlines the title with a border; a 公文 title has none."""
    properties = style_element.find(qn("w:pPr"))
    if properties is not None:
        border = properties.find(qn("w:pBdr"))
        if border is not None:
            properties.remove(border)


def _page_numbers(document: Any, font: str) -> None:
    """``— n —`` one character in from the outer edge: right on odd pages, left on even pages."""
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    for footer, alignment in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                              (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        paragraph = footer.paragraphs[0]
        paragraph.alignment = alignment
        fmt = paragraph.paragraph_format
        fmt.first_line_indent = Pt(0)
        fmt.left_indent = PAGE_NUMBER_SIZE if alignment is WD_ALIGN_PARAGRAPH.LEFT else Pt(0)
        fmt.right_indent = PAGE_NUMBER_SIZE if alignment is WD_ALIGN_PARAGRAPH.RIGHT else Pt(0)
        for kind, text in (("text", "— "), ("begin", ""), ("code", " PAGE "), ("separate", ""), ("text", "1"),
                           ("end", ""), ("text", " —")):
            run = paragraph.add_run()
            set_font(run._element, font)
            run.font.size = PAGE_NUMBER_SIZE
            if kind == "text":
                run.text = text
            elif kind == "code":
                code = OxmlElement("w:instrText")
                code.set(qn("xml:space"), "preserve")
                code.text = text
                run._element.append(code)
            else:
                marker = OxmlElement("w:fldChar")
                marker.set(qn("w:fldCharType"), kind)
                run._element.append(marker)


def _paragraph(document: Any, block: Paragraph) -> None:
    paragraph = document.add_paragraph()
    if block.lead:
        paragraph.add_run(block.lead).bold = True
    paragraph.add_run(block.text)


def _cell_text(cell: Any, text: str, style: str, bold: bool, align: WD_ALIGN_PARAGRAPH) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.style = style
    paragraph.alignment = align
    run = paragraph.add_run(text)
    run.bold = bold


def _repeat_header(row: Any) -> None:
    properties = row._tr.get_or_add_trPr()
    for tag in ("w:tblHeader", "w:cantSplit"):
        flag = OxmlElement(tag)
        flag.set(qn("w:val"), "true")
        properties.append(flag)


def _keep_row(row: Any) -> None:
    flag = OxmlElement("w:cantSplit")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _table(document: Any, table: Table) -> None:
    caption = document.add_paragraph(table.title, style="表图题")
    caption.paragraph_format.keep_with_next = True
    columns = len(table.header)
    style = "宽表文字" if columns >= 9 else "表格文字"
    grid = document.add_table(rows=len(table.rows) + 1, cols=columns)
    grid.style = document.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    total = sum(table.widths)
    widths = [Cm(TYPE_AREA_WIDTH_CM * w / total) for w in table.widths]
    text_column = table.widths.index(max(table.widths))
    for index, title in enumerate(table.header):
        _cell_text(grid.rows[0].cells[index], title, style, True, WD_ALIGN_PARAGRAPH.CENTER)
    _repeat_header(grid.rows[0])
    for column in range(columns):
        for first, last in table.spans(column):
            cell = grid.cell(first + 1, column)
            if last > first:
                cell = cell.merge(grid.cell(last + 1, column))
            align = WD_ALIGN_PARAGRAPH.LEFT if column == text_column else WD_ALIGN_PARAGRAPH.CENTER
            _cell_text(cell, table.rows[first][column].text, style, False, align)
    for index, column in enumerate(grid.columns):
        column.width = widths[index]  # the table grid, which LibreOffice lays the table out by
    for row in grid.rows:
        for index, cell in enumerate(row.cells):
            cell.width = widths[index]
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for row in grid.rows[1:]:
        _keep_row(row)
    if table.note:
        document.add_paragraph(table.note, style="表注")
    else:
        document.add_paragraph(style="表注")


def _figure(document: Any, figure: Figure) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = Pt(0)
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    paragraph.paragraph_format.keep_with_next = True
    paragraph.add_run().add_picture(io.BytesIO(figure.png), width=Cm(figure.width_cm))
    document.add_paragraph(figure.title, style="表图题")


def write_docx(report: Report, path: Path) -> None:
    document = Document()
    _setup(document, document_fonts())
    document.core_properties.title = report.title.replace("\n", "")
    document.core_properties.author = "healthplan"
    title = document.add_paragraph(style="Title")
    for index, line in enumerate(report.title.split("\n")):
        if index:
            title.add_run().add_break()
        title.add_run(line)
    document.add_paragraph(report.subtitle, style="Subtitle")
    for block in report.layout():
        if isinstance(block, Heading):
            document.add_paragraph(block.text, style=f"Heading {min(block.level, 3)}")
        elif isinstance(block, Paragraph):
            _paragraph(document, block)
        elif isinstance(block, Table):
            _table(document, block)
        else:
            _figure(document, block)
    if report.footer_note:
        note = document.add_paragraph(report.footer_note, style="表注")
        note.paragraph_format.space_before = LINE_PITCH
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
