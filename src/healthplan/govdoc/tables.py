"""Tables as 公文 print them: across the type area (columns in proportion), centred, ruled, the header row
repeated on every page, rows kept whole, runs of equal text merged down a column (类别, as in the plans)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length

from healthplan.govdoc.page import TABLE_TEXT, WIDE_TABLE_TEXT
from healthplan.govdoc.rfonts import set_font
from healthplan.govdoc.typeface import Font

WIDE = 9  # columns from which the table is set in 小五

Spans = Mapping[int, Sequence[tuple[int, int]]]  # column → (first row, last row) of each merged run


def add_table(document: Any, header: Sequence[str], rows: Sequence[Sequence[str]], shares: Sequence[float],
              width: Length, fonts: Mapping[str, Font], *, spans: Spans | None = None,
              text_columns: Collection[int] | None = None) -> Any:
    """The table; the header in the heading font, ``text_columns`` (default: the widest) aligned left."""
    columns = len(header)
    style = WIDE_TABLE_TEXT if columns >= WIDE else TABLE_TEXT
    left = set(text_columns) if text_columns is not None else {shares.index(max(shares))}
    grid = document.add_table(rows=len(rows) + 1, cols=columns)
    grid.style = document.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    widths = [Length(int(width * share / sum(shares))) for share in shares]
    for index, title in enumerate(header):
        _cell_text(grid.cell(0, index), title, style, WD_ALIGN_PARAGRAPH.CENTER, fonts["heading"])
    for column in range(columns):
        for first, last in (spans or {}).get(column, [(r, r) for r in range(len(rows))]):
            cell = grid.cell(first + 1, column)
            if last > first:
                cell = cell.merge(grid.cell(last + 1, column))
            align = WD_ALIGN_PARAGRAPH.LEFT if column in left else WD_ALIGN_PARAGRAPH.CENTER
            _cell_text(cell, str(rows[first][column]), style, align, fonts["body"])
    for index, column_ in enumerate(grid.columns):
        column_.width = widths[index]  # the table grid, which LibreOffice lays the table out by
    for row in grid.rows:
        _flag(row, "w:cantSplit")
        for index, cell in enumerate(row.cells):
            cell.width = widths[index]
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    _flag(grid.rows[0], "w:tblHeader")  # after w:cantSplit, in the schema's order
    return grid


def _cell_text(cell: Any, text: str, style: str, align: WD_ALIGN_PARAGRAPH, font: Font) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.style = style
    paragraph.alignment = align
    set_font(paragraph.add_run(text)._element, font.name)


def _flag(row: Any, tag: str) -> None:
    flag = OxmlElement(tag)
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)
