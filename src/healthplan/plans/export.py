"""An evaluation as a table (the layout of the plans' own 表1/表2) in .xlsx, .csv or .json."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from healthplan.plans.evaluation import PlanEvaluation, TargetResult

COLUMNS = ["序号", "类别", "指标", "区划", "基期值", "当年值", "目标值", "指标性质", "状态", "完成率(%)",
           "预计目标年值", "资源缺口", "出处"]


def table_rows(evaluation: PlanEvaluation) -> list[list[object]]:
    """One row per target, numbers at the indicator's published precision."""
    return [_row(evaluation, r) for r in evaluation.targets]


def _row(evaluation: PlanEvaluation, r: TargetResult) -> list[object]:
    ind = r.indicator
    completion = None if r.progress.completion is None else round(r.progress.completion * 100, 1)
    projection = ind.format(r.projection.value) if r.projection else "—"
    gap = "—" if r.gap is None else f"{r.gap.gap:+,.0f}（需 {r.gap.needed:,.0f}，现 {r.gap.current:,.0f}）"
    area = r.org_unit if r.org_unit != evaluation.plan.org_unit else ""
    return [r.target.seq, r.target.category, r.label, area, ind.format(r.baseline), ind.format(r.value),
            r.target_text, r.target.nature.label, r.status.label, completion, projection, gap, r.target.source]


def write_json(evaluation: PlanEvaluation, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(evaluation.to_json(), ensure_ascii=False, indent=2), encoding="utf-8")


def write_csv(evaluation: PlanEvaluation, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(table_rows(evaluation))


def write_xlsx(evaluation: PlanEvaluation, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    path.parent.mkdir(parents=True, exist_ok=True)
    book = Workbook()
    sheet = book.active
    sheet.title = "规划监测"
    plan = evaluation.plan
    sheet.append([f"{plan.name}主要指标监测表（{evaluation.year}年）"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([f"基期 {plan.base_year} 年，目标年 {plan.target_year} 年；{plan.document}"])
    sheet.append(COLUMNS)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in table_rows(evaluation):
        sheet.append(row)
    widths = [6, 14, 40, 10, 10, 10, 18, 10, 10, 10, 12, 28, 10]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A4"
    book.save(path)


def write(evaluation: PlanEvaluation, path: Path) -> None:
    suffix = path.suffix.lower()
    writers = {".json": write_json, ".csv": write_csv, ".xlsx": write_xlsx}
    if suffix not in writers:
        from healthplan.domain.problems import HealthplanError

        raise HealthplanError(f"不支持的输出格式“{suffix}”（可用 .xlsx .csv .json）",
                              f"unsupported output format {suffix!r} (use .xlsx, .csv or .json)")
    writers[suffix](evaluation, path)
