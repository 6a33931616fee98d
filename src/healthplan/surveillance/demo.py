"""The 晋城 early-warning demo: daily counts 2019–2024 by township, a daily run over 2024, some responses.

The counts (``demo_data/jincheng_counts.csv``, a file a user can open) are synthetic, made by
:func:`generate_counts` from Noufaily-style baselines (``synthetic``) with outbreaks injected in 2024:
hand-foot-mouth disease in a 阳城县 township in May, influenza in a 高平市 township in December, a cholera
case in 沁水县 in August, and a diarrhoea cluster in a 泽州县 township in July seen by three independent
sources (pharmacy antidiarrhoeal sales, school absence, case reports) — the multi-point event.  Signals
are answered by a fixed pattern so the response metrics have something to show.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from rich.console import Console

from healthplan.domain.periods import Period
from healthplan.store import surveillance as store
from healthplan.store.database import Database
from healthplan.store.registry import Changes
from healthplan.surveillance.counts_import import import_counts
from healthplan.surveillance.lifecycle import Move, Status, respond
from healthplan.surveillance.metrics import compute_metrics, write_metrics
from healthplan.surveillance.run import run_detection
from healthplan.surveillance.synthetic import Scenario, baseline

if TYPE_CHECKING:
    from healthplan.demo.build import Step

FIRST, LAST = dt.date(2019, 1, 1), dt.date(2024, 12, 31)
SENTINEL_FROM = dt.date(2023, 1, 1)
RUN_FROM = dt.date(2024, 1, 1)
SEED = 20240716

# (source, disease): the daily baseline, phase of the season and first day (Scenario.mean with freq 365).
BASELINES: dict[tuple[str, str], tuple[Scenario, dt.date]] = {
    ("case_report", "infectious_diarrhoea"): (Scenario(np.log(0.12), 0.0, -0.5, -0.1, 1, 1.0, 365), FIRST),
    ("case_report", "hfmd"): (Scenario(np.log(0.06), 0.0, -0.8, 0.45, 1, 1.0, 365), FIRST),
    ("case_report", "influenza"): (Scenario(np.log(0.08), 0.0, 1.0, 0.0, 1, 1.0, 365), FIRST),
    ("pharmacy", "antidiarrhoeal"): (Scenario(np.log(12.0), 0.0, -0.3, 0.0, 1, 1.0, 365), SENTINEL_FROM),
    ("school_absence", "diarrhoea"): (Scenario(np.log(4.0), 0.0, -0.2, 0.0, 1, 1.0, 365), SENTINEL_FROM),
}
SENTINEL_SOURCES = {("pharmacy", "antidiarrhoeal"), ("school_absence", "diarrhoea")}
# (township index in its county, county, source, disease, first day, days, extra cases a day)
OUTBREAKS = [
    (0, "140525", "pharmacy", "antidiarrhoeal", dt.date(2024, 7, 16), 3, 25),
    (0, "140525", "school_absence", "diarrhoea", dt.date(2024, 7, 17), 3, 10),
    (0, "140525", "case_report", "infectious_diarrhoea", dt.date(2024, 7, 16), 4, 6),
    (2, "140522", "case_report", "hfmd", dt.date(2024, 5, 10), 10, 3),
    (3, "140581", "case_report", "influenza", dt.date(2024, 12, 2), 10, 4),
    (1, "140521", "case_report", "cholera", dt.date(2024, 8, 21), 1, 1),
]


def counts_file() -> Path:
    return Path(str(resources.files("healthplan.surveillance").joinpath("demo_data", "jincheng_counts.csv")))


def _townships() -> dict[str, list[str]]:
    """Township codes of 晋城 by county, from the demo registry."""
    from healthplan.demo.build import data_dir  # the demo package imports this module

    result: dict[str, list[str]] = {}
    with (data_dir("jincheng") / "orgunits.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["level"] == "township":
                result.setdefault(row["parent_code"], []).append(row["code"])
    return result


def generate_counts() -> str:
    """The demo counts CSV (deterministic: same seed, same file); zero days are left out."""
    rng = np.random.default_rng(SEED)
    townships = _townships()
    sentinel = townships["140502"][:3] + townships["140525"][:1]
    out = io.StringIO()
    out.write("date,org_unit,source,disease_or_syndrome,count\n")
    series: dict[tuple[str, str, str], tuple[dt.date, np.ndarray]] = {}
    for (source, disease), (scenario, first) in BASELINES.items():
        areas = sentinel if (source, disease) in SENTINEL_SOURCES else [c for codes in townships.values() for c in codes]
        length = (LAST - first).days + 1
        offset = (first - dt.date(first.year, 1, 1)).days
        drawn = baseline(rng, scenario, length + offset, len(areas))[:, offset:]
        for code, counts in zip(areas, drawn, strict=True):
            series[(code, source, disease)] = (first, counts)
    for index, county, source, disease, start, days, extra in OUTBREAKS:
        code = townships[county][index]
        first, counts = series.setdefault((code, source, disease), (FIRST, np.zeros((LAST - FIRST).days + 1)))
        at = (start - first).days
        counts[at:at + days] += extra
    for (code, source, disease), (first, counts) in sorted(series.items()):
        for day_index in np.flatnonzero(counts):
            day = first + dt.timedelta(days=int(day_index))
            out.write(f"{day.isoformat()},{code},{source},{disease},{int(counts[day_index])}\n")
    return out.getvalue()


def _answers(signal: store.Signal) -> list[Move]:
    """Responses by a fixed pattern: most in time, some late, a few never; class A and some others verified
    as suspected events."""
    fixed = signal.fixed_threshold
    pattern = signal.id % 10
    if pattern == 0 and not fixed:
        return []  # left unanswered
    delay = dt.timedelta(hours=1.5 if fixed else (30 if pattern == 1 else 2 + 2 * (signal.id % 7)))
    steps: list[tuple[Status, str]] = [(Status.VERIFYING, "电话核实 / verification started")]
    if fixed or signal.id % 6 == 0:
        steps += [(Status.SUSPECTED, "现场调查，疑似聚集 / suspected cluster"),
                  (Status.HANDLED, "已采样并开展消毒 / samples taken, disinfection done")]
    else:
        steps += [(Status.DISMISSED, "排除：散发病例 / dismissed: sporadic cases")]
    steps.append((Status.CLOSED, "结案 / closed"))
    at = signal.issued_at + delay
    return [Move(signal.id, status, at + dt.timedelta(hours=20 * number), note,
                 note if status is not Status.VERIFYING else None) for number, (status, note) in enumerate(steps)]


def build(database: Database, user: str, report: Callable[[str], None] | None = None) -> Changes:
    """Import the counts, run detection over 2024 (each day issued at 08:00 the next morning), answer the
    signals and write the quarterly and yearly response metrics as ``surv.*`` data values."""
    changes = import_counts(counts_file(), database, user)
    summary = run_detection(database, RUN_FROM, LAST, user,
                            issued_at=lambda day: dt.datetime.combine(day + dt.timedelta(days=1), dt.time(8)))
    changes.inserted += len(summary.signals_created) + summary.events_created
    changes.unchanged += summary.alarms_known
    with database.sessions() as session:
        fresh = store.find_signals(session, ids=summary.signals_created) if summary.signals_created else []
    respond(database, [move for signal in fresh for move in _answers(signal)], user)
    year = compute_metrics(database, Period.parse("2024"), "140500")
    metrics = list(year)
    for quarter in ("2024Q1", "2024Q2", "2024Q3", "2024Q4"):
        metrics += compute_metrics(database, Period.parse(quarter), "140500")
    changes += write_metrics(database, metrics, user)
    if report is not None and year:
        city = year[0]
        with database.sessions() as session:
            events = store.find_events(session, first=RUN_FROM, last=LAST)
        report(f"监测预警 2024：信号 {city.signals} 条，多点触发事件 {len(events)} 起，响应率 {city.response_rate}%，"
               f"及时响应率 {city.timely_rate}% / signals {city.signals}, events {len(events)}")
    return changes


def steps(regions: tuple[str, ...]) -> list[Step]:
    """The demo step for 晋城 (the only region with surveillance data)."""
    from healthplan.demo.build import Step

    if "jincheng" not in regions:
        return []
    console = Console(stderr=True)

    def run(database: Database, user: str) -> Changes:
        return build(database, user, report=lambda text: console.print(text, markup=False, highlight=False))

    return [Step("jincheng 监测预警", run)]
