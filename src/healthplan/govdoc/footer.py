"""公文 page numbers (GB/T 9704-2012 7.5): ``— n —`` in 四号 宋体, one character in from the outer edge — right on
odd pages, left on even ones — as a PAGE field, so Word and LibreOffice count the pages themselves."""

from __future__ import annotations

from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from healthplan.govdoc.rfonts import set_font

PAGE_NUMBER_SIZE = Pt(14)  # 四号
# the runs of the footer: the dashes around a PAGE field whose last computed value is 1
PAGE_FIELD = (("text", "— "), ("begin", ""), ("code", " PAGE "), ("separate", ""), ("text", "1"), ("end", ""),
              ("text", " —"))


def page_numbers(document: Any, font: str) -> None:
    """Odd and even footers of the first section, each holding the page-number field."""
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
        for kind, text in PAGE_FIELD:
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
