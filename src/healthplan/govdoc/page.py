"""The 公文 page and its styles (GB/T 9704-2012): A4 with the type area (版心) 156 × 225 mm, 天头 37 mm, 订口 28 mm;
title 二号 in the title font, body 三号 at a fixed 28.95 pt pitch (22 lines a page), headings 一、 in 黑体, （一） in
楷体, 1． in bold 仿宋, captions and tables in 五号/小五.

Everything is set as named styles, so Word's navigation pane and table of contents see the headings.
"""

from __future__ import annotations

from typing import Any

from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt, RGBColor

from healthplan.govdoc.footer import page_numbers
from healthplan.govdoc.rfonts import name_fonts, remove_theme_fonts, set_font
from healthplan.govdoc.typeface import Font

BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
TITLE_PITCH = Pt(36)
CAPTION_SIZE = Pt(12)  # 小四
TABLE_SIZE = Pt(10.5)  # 五号
WIDE_TABLE_SIZE = Pt(9)  # 小五, for tables of nine columns or more
LINE_PITCH = Pt(28.95)  # 22 lines in the 225 mm type area
FOOTER_DISTANCE = Mm(20)  # puts the page number about 7 mm below the type area

CAPTION = "表图题"
TABLE_TEXT = "表格文字"
WIDE_TABLE_TEXT = "宽表文字"
NOTE = "表注"


def set_up(document: Any, fonts: dict[str, Font], *, landscape: bool = False) -> None:
    """A4 (turned for wide lists), the 公文 styles in the chosen fonts, and the page numbers."""
    _page(document.sections[0], landscape)
    _defaults(document, fonts["body"].name)
    _styles(document, fonts)
    page_numbers(document, fonts["page"].name)
    remove_theme_fonts(document.styles.element, fonts["body"].name)  # no theme font may override ours anywhere


def type_area_width(document: Any) -> Length:
    section = document.sections[0]
    return Length(section.page_width - section.left_margin - section.right_margin)


def _page(section: Any, landscape: bool) -> None:
    if landscape:  # the same type area turned: 225 × 156 mm
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin, section.bottom_margin = Mm(28), Mm(26)
        section.left_margin, section.right_margin = Mm(37), Mm(35)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = FOOTER_DISTANCE


def _defaults(document: Any, body: str) -> None:
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    name_fonts(defaults.find(qn("w:rFonts")), body)
    language = defaults.find(qn("w:lang"))
    language.set(qn("w:val"), "zh-CN")
    language.set(qn("w:eastAsia"), "zh-CN")


def _styles(document: Any, fonts: dict[str, Font]) -> None:
    normal = _style(document, "Normal", fonts["body"].name, BODY_SIZE)
    body = normal.paragraph_format
    body.line_spacing_rule, body.line_spacing = WD_LINE_SPACING.EXACTLY, LINE_PITCH
    body.space_before = body.space_after = Pt(0)
    body.first_line_indent = BODY_SIZE * 2
    body.widow_control = True
    title = _style(document, "Title", fonts["title"].name, TITLE_SIZE)
    _centred(title)
    title.paragraph_format.line_spacing = TITLE_PITCH
    _drop_border(title.element)
    subtitle = _style(document, "Subtitle", fonts["subheading"].name, BODY_SIZE, base="Normal")
    _centred(subtitle)
    subtitle.paragraph_format.space_after = LINE_PITCH
    for level, role, bold in ((1, "heading", False), (2, "subheading", False), (3, "body", True),
                              (4, "body", False)):
        heading = _style(document, f"Heading {level}", fonts[role].name, BODY_SIZE, bold=bold)
        fmt = heading.paragraph_format
        fmt.first_line_indent = BODY_SIZE * 2
        fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, LINE_PITCH
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.keep_with_next = True
    caption = _style(document, CAPTION, fonts["heading"].name, CAPTION_SIZE, base="Normal")
    _centred(caption)
    caption.paragraph_format.line_spacing = Pt(20)
    caption.paragraph_format.space_before = Pt(6)
    caption.paragraph_format.space_after = Pt(3)
    caption.paragraph_format.keep_with_next = True
    for name, size in ((TABLE_TEXT, TABLE_SIZE), (WIDE_TABLE_TEXT, WIDE_TABLE_SIZE), (NOTE, TABLE_SIZE)):
        style = _style(document, name, fonts["body"].name, size, base="Normal")
        fmt = style.paragraph_format
        fmt.first_line_indent = Pt(0)
        fmt.line_spacing = 1.0
    document.styles[NOTE].paragraph_format.space_after = Pt(8)


def _style(document: Any, name: str, font: str, size: Length, bold: bool = False, base: str | None = None) -> Any:
    styles = document.styles
    try:
        style = styles[name]
    except KeyError:
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


def _centred(style: Any) -> None:
    style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    style.paragraph_format.first_line_indent = Pt(0)


def _drop_border(style_element: Any) -> None:
    """The default Title style underlines the title with a border; a 公文 title has none."""
    properties = style_element.find(qn("w:pPr"))
    if properties is not None:
        border = properties.find(qn("w:pBdr"))
        if border is not None:
            properties.remove(border)
