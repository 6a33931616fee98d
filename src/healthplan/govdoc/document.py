"""A 公文-style Word document under construction: title, numbered headings, paragraphs, tables, figures.

The fonts are chosen once (:func:`~healthplan.govdoc.typeface.fonts`), the page and styles set up by
:mod:`~healthplan.govdoc.page`. Each run also names its role's font itself, so text copied from here into
another document keeps its 公文 font. Saving declares each font's alternative in the font table and pins the
timestamps, so the same content gives the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.shared import Cm, Pt

from healthplan.govdoc import ooxml
from healthplan.govdoc.headings import Numbering
from healthplan.govdoc.page import CAPTION, LINE_PITCH, NOTE, set_up, type_area_width
from healthplan.govdoc.rfonts import set_font
from healthplan.govdoc.tables import Spans, add_table
from healthplan.govdoc.typeface import fonts

AUTHOR = "healthplan"
HEADING_ROLES = {1: "heading", 2: "subheading", 3: "body", 4: "body"}  # 黑体, 楷体, 仿宋 (bold), 仿宋


class GovDocument:
    """``title`` may hold line breaks (``\\n``); ``landscape`` turns the page for wide lists."""

    def __init__(self, title: str, subtitle: str = "", *, landscape: bool = False) -> None:
        self.fonts = fonts()
        self.doc: Any = Document()
        set_up(self.doc, self.fonts, landscape=landscape)
        self.doc.core_properties.title = title.replace("\n", "")
        self.doc.core_properties.author = AUTHOR
        self._numbering = Numbering()
        heading = self.doc.add_paragraph(style="Title")
        for index, line in enumerate(title.split("\n")):
            if index:
                heading.add_run().add_break()
            self._run(heading, line, "title")
        if subtitle:
            self._run(self.doc.add_paragraph(style="Subtitle"), subtitle, "subheading")
        else:
            heading.paragraph_format.space_after = LINE_PITCH

    def heading(self, level: int, text: str, *, numbered: bool = True) -> None:
        """A heading at ``level`` (1 一、 2 （一） 3 1． 4 （1）), numbered here unless ``text`` already is."""
        label = self._numbering.next(level) if numbered else ""
        self._run(self.doc.add_paragraph(style=f"Heading {level}"), label + text, HEADING_ROLES[level])

    def paragraph(self, text: str, lead: str = "") -> None:
        """A body paragraph; ``lead`` is a run-in label printed bold before the text."""
        paragraph = self.doc.add_paragraph()
        if lead:
            self._run(paragraph, lead, "body").bold = True
        self._run(paragraph, text, "body")

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]], shares: Sequence[float], *,
              title: str = "", note: str = "", spans: Spans | None = None,
              text_columns: Collection[int] | None = None) -> None:
        """A table across the type area with its caption above and its note (or a small gap) below."""
        if title:
            self._run(self.doc.add_paragraph(style=CAPTION), title, "heading")
        add_table(self.doc, header, rows, shares, type_area_width(self.doc), self.fonts, spans=spans,
                  text_columns=text_columns)
        below = self.doc.add_paragraph(style=NOTE)
        if note:
            self._run(below, note, "body")

    def figure(self, png: bytes, width_cm: float, title: str) -> None:
        """A picture centred on its own line, its caption below."""
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt = paragraph.paragraph_format
        fmt.first_line_indent = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        fmt.keep_with_next = True
        paragraph.add_run().add_picture(io.BytesIO(png), width=Cm(width_cm))
        caption = self.doc.add_paragraph(style=CAPTION)
        caption.paragraph_format.keep_with_next = False
        self._run(caption, title, "heading")

    def closing_note(self, text: str) -> None:
        """A small-print note at the end, a line below the text (data sources, how the report was made)."""
        note = self.doc.add_paragraph(style=NOTE)
        note.paragraph_format.space_before = LINE_PITCH
        self._run(note, text, "body")

    def save(self, path: Path) -> None:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        alternatives: dict[str, str] = {}
        for font in self.fonts.values():
            alternatives.setdefault(font.name, font.alternative)
        data = ooxml.pin(buffer.getvalue(), {"word/fontTable.xml": ooxml.declare_alternatives(alternatives)})
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    def _run(self, paragraph: Any, text: str, role: str) -> Any:
        run = paragraph.add_run(text)
        set_font(run._element, self.fonts[role].name)
        return run
