"""The daily run (set-based reads, matrices of series, zero-count series skipped, bulk writes) finds exactly
the alarms the single-series detectors find when each series is run on its own, on both databases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
import yaml

from healthplan.store import surveillance as store
from healthplan.store.database import Database
from healthplan.surveillance.catalog import Catalog, load_catalog
from healthplan.surveillance.methods import run_series, window_days
from healthplan.surveillance.run import detect, run_detection

AREAS = ("140502", "140525", "140525100")
SOURCES = ("case_report", "pharmacy")
ORIGIN = dt.date(2018, 1, 1)  # before every series: the per-series reference starts here, NaN until the first count
FIRST, LAST = dt.date(2024, 2, 20), dt.date(2024, 3, 12)
# (code, method, params, daily rate): sparse rates so that many series have no case in the window.
DISEASES = [
    ("cidars80", "cidars", {}, 0.15),
    ("cidars_min", "cidars", {"percentile": 50, "years": 2, "neighbours": 2, "min_cases": 3}, 0.3),
    ("c1_negative_z", "ears_c1", {"alpha": 0.7}, 0.1),  # z < 0: a day without cases can alarm, none skipped
    ("c2", "ears_c2", {"baseline": 5}, 0.8),
    ("c3", "ears_c3", {}, 0.3),
    ("fixed2", "fixed", {"threshold": 2}, 0.1),
    ("farrington", "farrington", {"b": 1, "w": 2, "limit54": "1,2"}, 1.5),
]


def catalog(folder: Path) -> Catalog:
    shipped = load_catalog()
    data = {"sources": [{"code": s.code, "name": s.name} for s in shipped.sources.values()],
            "diseases": [{"code": code, "name": code, "method": method, "params": params}
                         for code, method, params, _ in DISEASES]}
    (folder / "catalog.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    (folder / "rules.yaml").write_text("rules: []\n", encoding="utf-8")
    return load_catalog(folder / "catalog.yaml", folder / "rules.yaml")


def random_counts(seed: int) -> dict[tuple[str, str, str], tuple[dt.date, np.ndarray]]:
    """Per series: its first day (2019–2021) and daily counts from there to LAST."""
    rng = np.random.default_rng(seed)
    series = {}
    for area in AREAS:
        for source in SOURCES:
            for code, _, _, rate in DISEASES:
                first = dt.date(2019, 1, 1) + dt.timedelta(days=int(rng.integers(0, 3 * 365)))
                length = (LAST - first).days + 1
                counts = rng.poisson(rate * rng.uniform(0.2, 2.0), length).astype(float)
                counts[0] = max(counts[0], 1.0)  # the first day has a row
                if rng.random() < 0.5:  # an outbreak somewhere in the evaluated days
                    at = length - 1 - int(rng.integers(0, (LAST - FIRST).days + 1))
                    counts[at:at + 3] += rng.integers(2, 9)
                series[(area, source, code)] = (first, counts)
    # Edges of skipping series without a case: a lone case on the first day of the block evaluated on
    # FIRST (CIDARS alarms on it), and a C1 (z < 0) series whose only recent case precedes FIRST (it
    # alarms on days without a case, so it is evaluated although it has no case in the window).
    for code, before in (("cidars80", 6), ("c1_negative_z", 3)):
        quiet = np.zeros((LAST - dt.date(2019, 1, 1)).days + 1)
        quiet[0] = quiet[(FIRST - dt.date(2019, 1, 1)).days - before] = 1
        series[(AREAS[0], SOURCES[0], code)] = (dt.date(2019, 1, 1), quiet)
    return series


def per_series(cat: Catalog, series: dict[tuple[str, str, str], tuple[dt.date, np.ndarray]],
               ids: dict[tuple[str, str, str], int]) -> dict[tuple[int, dt.date], tuple[float, float | None]]:
    """Each series alone through the single-series detector: (series, day) -> (observed, threshold)."""
    expected: dict[tuple[int, dt.date], tuple[float, float | None]] = {}
    evaluated = np.arange((FIRST - ORIGIN).days, (LAST - ORIGIN).days + 1)
    dates = np.datetime64(ORIGIN, "D") + np.arange((LAST - ORIGIN).days + 1)
    for key, (first, counts) in series.items():
        disease = cat.diseases[key[2]]
        full = np.concatenate([np.full((first - ORIGIN).days, np.nan), counts])
        result = run_series(disease.method, full, disease.params, at=evaluated, dates=dates, freq=365)
        for j in np.flatnonzero(np.ma.filled(result.alarm, False)):
            threshold = float(result.upperbound[j])
            expected[(ids[key], ORIGIN + dt.timedelta(days=int(result.index[j])))] = (
                float(result.observed[j]), None if np.isnan(threshold) else threshold)
    return expected


def test_batched_run_equals_per_series_run(region: Database, tmp_path: Path) -> None:
    cat = catalog(tmp_path)
    series = random_counts(2024)
    writes = [store.CountWrite(area, source, code, first + dt.timedelta(days=int(d)), int(counts[d]))
              for (area, source, code), (first, counts) in series.items() for d in np.flatnonzero(counts)]
    with region.transaction() as session:
        store.write_counts(session, writes, "cdc")
    with region.sessions() as session:
        ids = {(s.org_unit, s.source, s.disease): s.id for s in store.list_series(session)}
    expected = per_series(cat, series, ids)
    disease_of = {i: key[2] for key, i in ids.items()}
    assert {disease_of[i] for i, _ in expected} == {code for code, *_ in DISEASES}  # every method alarms
    edges = {ids[(AREAS[0], SOURCES[0], code)] for code in ("cidars80", "c1_negative_z")}
    assert {i for i, _ in expected} >= edges

    found = {(a.series_id, a.day): (a.observed, a.threshold) for a in detect(region, FIRST, LAST, cat)}
    assert found.keys() == expected.keys()
    for key, (observed, threshold) in expected.items():
        assert found[key][0] == observed
        assert found[key][1] == pytest.approx(threshold, rel=1e-9)

    # End to end: the stored signals hold exactly these alarm days, each in one signal of its series.
    summary = run_detection(region, FIRST, LAST, "cdc", catalog=cat)
    with region.sessions() as session:
        signals = store.get_signals(session, summary.signals_created)
    stored = [(s.series_id, day) for s in signals for day in s.alarm_days]
    assert sorted(stored) == sorted(expected) and summary.alarms == len(expected)
    for signal in signals:
        window = window_days(signal.method, cat.diseases[signal.disease].params)
        assert signal.window_start == signal.alarm_days[0] - dt.timedelta(days=window - 1)
        assert signal.window_end == signal.alarm_days[-1]
        gaps = np.diff([d.toordinal() for d in signal.alarm_days])
        assert np.all(gaps <= window)  # an alarm joins a signal when its window overlaps or touches
    again = run_detection(region, FIRST, LAST, "cdc", catalog=cat)
    assert again.signals_created == [] and again.alarms_known == len(expected)
