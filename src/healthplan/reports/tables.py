"""The 主要指标 table in the layout of the plans' own 表1/表2 (类别 merged down its rows, 序号, 指标 …) with the
monitoring columns, and the per-county tables of one indicator."""

from __future__ import annotations

from collections.abc import Sequence

from healthplan.domain.indicators import Display
from healthplan.plans.evaluation import PlanEvaluation, TargetResult
from healthplan.reports.model import Cell, ReportKind, Table
from healthplan.reports.outlook import METHOD_TEXT, Outlook


def number(r: TargetResult, v: float | None) -> Cell:
    """A value of ``r``'s indicator as the plan prints it, with the number behind it."""
    ind = r.indicator
    return Cell(ind.format(v), None if v is None else round(v, ind.decimals), ind.decimals,
                ind.display is Display.RATIO)


def completion(r: TargetResult) -> Cell:
    c = r.progress.completion
    return Cell("—") if c is None else Cell(f"{c * 100:.1f}", round(c * 100, 1), 1)


def status(r: TargetResult) -> Cell:
    return Cell(r.status.label, status=r.status.value)


def verdict(o: Outlook) -> Cell:
    return Cell(o.verdict.label, status=o.verdict.value)


def targets_table(evaluation: PlanEvaluation, kind: ReportKind, outlooks: Sequence[Outlook]) -> Table:
    """表1 of the report; column widths in cm of the 15.6 cm type area, so that numbers never wrap."""
    plan, year = evaluation.plan, evaluation.year
    base, now, target = f"基期值\n{plan.base_year}年", f"当年值\n{year}年", f"目标值\n{plan.target_year}年"
    rows: list[tuple[Cell, ...]] = []
    for r, o in zip(evaluation.targets, outlooks, strict=True):
        lead = (Cell(r.target.category or "—"), Cell(str(r.target.seq), r.target.seq, 0), Cell(r.label),
                number(r, r.baseline), number(r, r.value), Cell(r.target_text))
        nature = Cell(r.target.nature.label)
        if kind is ReportKind.ANNUAL:
            rows.append((*lead, nature, status(r)))
        elif kind is ReportKind.MIDTERM:
            projected = Cell("—") if o.projected is None else number(r, o.projected)
            rows.append((*lead, completion(r), projected, verdict(o), nature))
        else:
            rows.append((*lead, completion(r), verdict(o), nature))
    if kind is ReportKind.ANNUAL:
        header: tuple[str, ...] = ("类别", "序号", "指标", base, now, target, "指标\n性质", "进展状态")
        widths: tuple[float, ...] = (1.6, 1.1, 4.0, 1.65, 1.65, 1.9, 1.6, 2.0)
    elif kind is ReportKind.MIDTERM:
        header = ("类别", "序号", "指标", base, now, target, "完成率\n（%）", f"预计值\n{plan.target_year}年",
                  "预计\n能否达标", "指标\n性质")
        widths = (1.3, 1.1, 2.75, 1.45, 1.45, 1.5, 1.45, 1.45, 1.75, 1.4)
    else:
        header = ("类别", "序号", "指标", base, f"评估值\n{year}年", target, "完成率\n（%）", "是否\n完成",
                  "指标\n性质")
        widths = (1.4, 1.1, 4.0, 1.45, 1.45, 1.6, 1.45, 1.6, 1.45)
    title = f"{plan.name}主要指标{'完成' if kind is ReportKind.FINAL else '进展'}情况（{year}年）"
    note = "注：进展状态按当年值与基期至目标年的直线进度比较判定：达到目标为已达标，不低于进度为进度正常，" \
        "介于基期值与进度之间为滞后，差于基期值为倒退。"
    if kind is not ReportKind.ANNUAL:
        note += "完成率 =（当年值 − 基期值）÷（目标值 − 基期值）× 100%。"
    if kind is ReportKind.MIDTERM:
        note += f"预计值{METHOD_TEXT}。"
    return Table("targets", title, header, tuple(rows), widths, merge=(0,), note=note)
