"""Counts import, the daily run, signal lifecycle, multi-point events and metrics on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from healthplan.domain.periods import Period
from healthplan.domain.problems import HealthplanError, ValidationFailed
from healthplan.store import audit
from healthplan.store import surveillance as store
from healthplan.store.database import Database
from healthplan.store.values import read_values
from healthplan.surveillance.counts_import import import_counts
from healthplan.surveillance.lifecycle import Move, Status, respond
from healthplan.surveillance.metrics import compute_metrics, write_metrics
from healthplan.surveillance.run import run_detection

TOWN = "140525100"
SPIKE = dt.date(2024, 7, 16)


def counts_csv(path: Path) -> Path:
    """Three sources in one township: steady baselines, then all three rise on 16–18 July 2024; a cholera case."""
    lines = ["date,org_unit,source,disease_or_syndrome,count"]
    day = dt.date(2021, 1, 1)
    while day <= dt.date(2024, 7, 20):
        if day.toordinal() % 5 == 0 and not SPIKE <= day <= SPIKE + dt.timedelta(days=2):
            lines.append(f"{day},{TOWN},case_report,infectious_diarrhoea,1")
        day += dt.timedelta(days=1)
    for offset in range(3):
        lines.append(f"{SPIKE + dt.timedelta(days=offset)},{TOWN},网络直报,其他感染性腹泻病,6")
    day = dt.date(2024, 6, 1)
    while day <= dt.date(2024, 7, 20):
        steady = 10 + day.toordinal() % 3
        lines.append(f"{day},{TOWN},pharmacy,antidiarrhoeal,{steady + (30 if SPIKE <= day <= SPIKE + dt.timedelta(2) else 0)}")
        lines.append(f"{day},{TOWN},school_absence,diarrhoea,{2 + day.toordinal() % 2 + (9 if day == SPIKE else 0)}")
        day += dt.timedelta(days=1)
    lines.append("2024-07-18,140502,case_report,cholera,1")
    (path / "counts.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path / "counts.csv"


def test_import_is_all_or_nothing_and_located(region: Database, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("date,org_unit,source,disease_or_syndrome,count\n"
                   "2024-07-01,140525100,case_report,hfmd,2\n"
                   "2024-13-01,999,nowhere,flu?,-1\n"
                   "2024-07-01,140525100,case_report,手足口病,3\n"
                   "2024-07-02,F1,case_report,hfmd,1.5\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        import_counts(bad, region, "cdc")
    where = {p.located() for p in caught.value.problems}
    assert {"bad.csv:3:1", "bad.csv:3:2", "bad.csv:3:3", "bad.csv:3:4", "bad.csv:3:5", "bad.csv:4:5",
            "bad.csv:5:2", "bad.csv:5:5"} <= where
    assert all(p.zh and p.en for p in caught.value.problems)
    with region.sessions() as session:
        assert store.list_series(session) == []


def test_import_is_idempotent_and_audits_corrections(region: Database, tmp_path: Path) -> None:
    path = counts_csv(tmp_path)
    first = import_counts(path, region, "cdc")
    assert first.inserted > 300 and first.updated == 0
    again = import_counts(path, region, "cdc")
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, first.inserted)
    fix = tmp_path / "fix.csv"
    fix.write_text("date,org_unit,source,disease_or_syndrome,count\n2024-07-16,140525100,pharmacy,止泻药,42\n",
                   encoding="utf-8")
    assert import_counts(fix, region, "cdc").updated == 1
    with region.sessions() as session:
        entry = audit.history(session, entity="surv_count", key="140525100|pharmacy|antidiarrhoeal|2024-07-16")[0]
        assert (entry.old_value, entry.new_value, entry.user) == (str(40 + SPIKE.toordinal() % 3), "42", "cdc")
        assert {s.source for s in store.list_series(session)} == {"case_report", "pharmacy", "school_absence"}


def test_run_creates_signals_once_and_raises_the_multipoint_event(region: Database, tmp_path: Path) -> None:
    import_counts(counts_csv(tmp_path), region, "cdc")
    issued = dt.datetime(2024, 7, 19, 8)
    summary = run_detection(region, dt.date(2024, 7, 10), dt.date(2024, 7, 19), "cdc", issued_at=issued)
    assert summary.signals_created and summary.events_created == 1
    with region.sessions() as session:
        signals = store.find_signals(session, first=dt.date(2024, 7, 10))
        kinds = {(s.source, s.disease) for s in signals}
        assert {("pharmacy", "antidiarrhoeal"), ("school_absence", "diarrhoea"),
                ("case_report", "infectious_diarrhoea"), ("case_report", "cholera")} <= kinds
        cholera = next(s for s in signals if s.disease == "cholera")
        assert cholera.fixed_threshold and cholera.response_hours == 2 and cholera.status == "new"
        pharmacy = [s for s in signals if s.source == "pharmacy"]
        assert len(pharmacy) == 1 and pharmacy[0].first_alarm == SPIKE  # three alarm days, one signal
        (event,) = store.find_events(session)
        assert event.org_unit == TOWN and event.rule == "diarrhoea_multipoint"
        linked = {s.id for s in signals if s.org_unit == TOWN and s.first_alarm >= SPIKE}
        assert linked <= set(event.signal_ids)
    # Re-running any day changes nothing.
    again = run_detection(region, dt.date(2024, 7, 10), dt.date(2024, 7, 19), "cdc", issued_at=issued)
    assert again.signals_created == [] and again.alarms_merged == 0 and again.alarms_known == summary.alarms
    assert again.events_created == 0 and again.events_updated == 0
    with region.sessions() as session:
        assert len(store.find_signals(session)) == len(signals)


def test_lifecycle_is_a_state_machine_and_is_audited(region: Database, tmp_path: Path) -> None:
    import_counts(counts_csv(tmp_path), region, "cdc")
    issued = dt.datetime(2024, 7, 19, 8)
    run_detection(region, dt.date(2024, 7, 18), None, "cdc", issued_at=issued)
    with region.sessions() as session:
        signal = next(s for s in store.find_signals(session) if s.disease == "cholera")
    with pytest.raises(HealthplanError, match="cannot go from new to closed"):
        respond(region, [Move(signal.id, Status.CLOSED, issued + dt.timedelta(hours=1))], "li")
    with pytest.raises(HealthplanError, match="precedes"):
        respond(region, [Move(signal.id, Status.VERIFYING, issued - dt.timedelta(hours=1))], "li")
    with pytest.raises(HealthplanError, match="cannot go from verifying to handled"):  # nothing half-written
        respond(region, [Move(signal.id, Status.VERIFYING, issued + dt.timedelta(hours=1)),
                         Move(signal.id, Status.HANDLED, issued + dt.timedelta(hours=2))], "li")
    (done,) = respond(region, [
        Move(signal.id, Status.VERIFYING, issued + dt.timedelta(hours=1), "电话核实"),
        Move(signal.id, Status.SUSPECTED, issued + dt.timedelta(hours=3), "现场调查"),
        Move(signal.id, Status.HANDLED, issued + dt.timedelta(hours=20), "消毒", "疑似霍乱，已处置"),
        Move(signal.id, Status.CLOSED, issued + dt.timedelta(hours=30), "结案"),
    ], "li")
    assert [(s.from_status, s.to_status, s.user) for s in done.steps] == [
        ("new", "verifying", "li"), ("verifying", "suspected", "li"), ("suspected", "handled", "li"),
        ("handled", "closed", "li")]
    assert done.responded_at == issued + dt.timedelta(hours=1) and done.suspected and done.outcome == "疑似霍乱，已处置"
    with region.sessions() as session:
        trail = audit.history(session, entity="surv_signal", key=str(signal.id))
    assert [e.new_value for e in trail[:4]] == ["closed", "handled", "suspected", "verifying"]


def test_metrics_and_data_values(region: Database, tmp_path: Path) -> None:
    import_counts(counts_csv(tmp_path), region, "cdc")
    issued = dt.datetime(2024, 7, 19, 8)
    run_detection(region, dt.date(2024, 7, 10), dt.date(2024, 7, 19), "cdc", issued_at=issued)
    with region.sessions() as session:
        signals = store.find_signals(session, first=dt.date(2024, 7, 1))
    cholera = next(s for s in signals if s.disease == "cholera")
    others = [s for s in signals if s.disease != "cholera"]
    respond(region, [Move(cholera.id, Status.VERIFYING, issued + dt.timedelta(hours=3))], "li")  # late for 2 h
    respond(region, [Move(others[0].id, Status.VERIFYING, issued + dt.timedelta(hours=4)),
                     Move(others[0].id, Status.SUSPECTED, issued + dt.timedelta(hours=5))], "li")
    found = {m.org_unit: m for m in compute_metrics(region, Period.parse("2024Q3"))}
    city = found["140500"]
    assert city.signals == len(signals) and city.responded == 2 and city.timely == 1 and city.suspected == 1
    assert city.response_rate == round(200 / len(signals), 2)
    assert (city.q1_hours, city.median_hours, city.q3_hours) == (3.25, 3.5, 3.75)
    assert found["140502"].signals == 1 and found["140502"].timely == 0
    changes = write_metrics(region, list(found.values()), "cdc")
    assert changes.inserted > 0
    assert write_metrics(region, list(found.values()), "cdc").inserted == 0
    with region.sessions() as session:
        values = {(de, ou): v for de, ou, _, _, v, _ in read_values(session, period="2024Q3")}
    assert values[("surv.signals", "140500")] == len(signals)
    assert values[("surv.timely_response_rate", "140502")] == 0.0
    assert ("surv.response_rate", "140000") in values
