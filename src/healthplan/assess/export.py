"""An assessment as .xlsx: the ranking with dimension scores, and every item's points and reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from healthplan.assess.result import Assessment

ITEM_COLUMNS = ("对象代码", "对象", "项目", "维度", "权重", "值", "要求", "得分", "扣分", "扣分原因")


def write_xlsx(result: Assessment, path: Path) -> None:
    from openpyxl import Workbook

    dimensions = list(dict.fromkeys((d.code, d.name) for s in result.subjects for d in s.dimensions))
    book = Workbook()
    ranking = book.active
    ranking.title = "考核结果"
    _head(ranking, result, ("排名", "对象代码", "对象", "得分(百分制)", "得分", "满分",
                            *(f"{name}" for _, name in dimensions), "等级", "主要失分"))
    for s in result.subjects:
        by_code = {d.code: d.points for d in s.dimensions}
        ranking.append([s.rank, s.org_unit, s.name, s.score, s.total, s.maximum,
                        *(by_code.get(code) for code, _ in dimensions), s.grade or None, "；".join(s.reasons())])
    items = book.create_sheet("计分明细")
    _head(items, result, ITEM_COLUMNS)
    names = dict(dimensions)
    for s in result.subjects:
        for i in s.items:
            items.append([s.org_unit, s.name, i.name, names.get(i.dimension, i.dimension), i.weight, i.value_text,
                          i.requirement, i.points, i.lost, i.reason or None])
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def _head(sheet: Any, result: Assessment, columns: tuple[str, ...]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet.append([f"{result.name}（{result.year}年）"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([result.document])
    sheet.append(list(columns))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for index, name in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = 60 if "原因" in name or "失分" in name else 14
    sheet.freeze_panes = "A4"
