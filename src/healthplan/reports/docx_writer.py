"""The report as a Word document in the format of Chinese official documents (党政机关公文格式, GB/T 9704-2012),
written through :mod:`healthplan.govdoc`; the headings come numbered from :meth:`Report.layout`."""

from __future__ import annotations

from pathlib import Path

from healthplan.govdoc.document import GovDocument
from healthplan.reports.model import Figure, Heading, Paragraph, Report, Table

DEEPEST_HEADING = 3


def _table(document: GovDocument, table: Table) -> None:
    rows = [[cell.text for cell in row] for row in table.rows]
    spans = {column: table.spans(column) for column in table.merge}
    document.table(table.header, rows, table.widths, title=table.title, note=table.note, spans=spans)


def write_docx(report: Report, path: Path) -> None:
    document = GovDocument(report.title, report.subtitle)
    for block in report.layout():
        if isinstance(block, Heading):
            document.heading(min(block.level, DEEPEST_HEADING), block.text, numbered=False)
        elif isinstance(block, Paragraph):
            document.paragraph(block.text, block.lead)
        elif isinstance(block, Table):
            _table(document, block)
        elif isinstance(block, Figure):
            document.figure(block.png, block.width_cm, block.title)
    if report.footer_note:
        document.closing_note(report.footer_note)
    document.save(path)
