"""`healthplan demo` end to end: built through the ordinary importers, evaluated by the engine, the 2020
values equal the plans' published figures at their printed precision; SQLite and PostgreSQL agree."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from healthplan.cli import main
from healthplan.demo.build import build_demo
from healthplan.engine.analytics import Analytics
from healthplan.engine.catalog import Catalog
from healthplan.plans.evaluation import evaluate_plan
from healthplan.store.database import Database
from healthplan.store.plans import get_plan, user_indicators
from tests.pg_server import PgServer


def published(value: float | None, text: str) -> bool:
    """Whether ``value`` prints as ``text`` at ``text``'s precision (half-up, as the plans round)."""
    if value is None:
        return text == "—"
    places = len(text.split(".")[1]) if "." in text else 0
    quantum = Decimal(1).scaleb(-places)
    return str(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP)) == text


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Database, Path]:
    folder = tmp_path_factory.mktemp("demo")
    url = f"sqlite:///{folder / 'demo.db'}"
    assert main(["--database", url, "demo", "--out", str(folder / "out")]) == 0
    return Database(url), folder / "out"


def indicator_values(db: Database, codes: list[str], org: str, period: str) -> dict[str, float | None]:
    analytics = Analytics(db)
    analytics.load()
    with db.sessions() as s:
        catalog = Catalog(user_indicators(s), analytics.elements)
    return {r.indicator: r.value for r in analytics.evaluate([catalog.get(c) for c in codes], [period], [org])}


JINCHENG = {  # 晋城 表1 (2015, 2020) and 第一章 text (2020)
    "2015": {"beds_per_1000": "4.64", "physicians_per_1000": "2.32", "nurses_per_1000": "1.91",
             "gps_per_10000": "0.76", "infant_mortality": "4.96", "under5_mortality": "6.11",
             "maternal_mortality": "12.73", "health_literacy": "—"},
    "2020": {"beds_per_1000": "6.13", "physicians_per_1000": "2.77", "nurses_per_1000": "2.76",
             "gps_per_10000": "1.6", "infant_mortality": "3.40", "under5_mortality": "4.59",
             "maternal_mortality": "17.01", "health_literacy": "12.78", "hospital_beds_per_1000": "4.94",
             "public_health_staff_per_1000": "0.62", "bed_occupancy_rate": "54.15",
             "elderly_health_management_rate": "73", "hypertension_management_rate": "77",
             "diabetes_management_rate": "75"},
}
SHUOZHOU_2020 = {  # 朔州 表1 “2020年现状”
    "life_expectancy": "—", "health_literacy": "14", "cdc_professional_share": "70.07",
    "public_health_staff_per_1000": "0.47", "beds_per_1000": "6.29", "physicians_per_1000": "2.29",
    "nurses_per_1000": "2.37", "gps_per_10000": "3.35", "ambulances_per_10000": "0.31",
    "infectious_dept_share": "57", "psychiatric_beds_per_1000": "0.23", "childcare_places_per_1000": "1.5",
    "geriatrics_dept_share": "64.29", "occupational_diagnosis_institutions": "1",
    "basic_ph_funding_per_capita": "74", "oop_share": "28.94",
}


@pytest.mark.parametrize("year", ["2015", "2020"])
def test_jincheng_reproduces_table1(demo: tuple[Database, Path], year: str) -> None:
    got = indicator_values(demo[0], list(JINCHENG[year]), "140500", year)
    for code, text in JINCHENG[year].items():
        assert published(got[code], text), (code, got[code], text)


def test_shuozhou_reproduces_every_2020_status_quo(demo: tuple[Database, Path]) -> None:
    got = indicator_values(demo[0], list(SHUOZHOU_2020), "140600", "2020")
    for code, text in SHUOZHOU_2020.items():
        assert published(got[code], text), (code, got[code], text)
    assert published(indicator_values(demo[0], ["beds_per_1000"], "140600", "2016")["beds_per_1000"], "4.35")


def test_registry_counts_of_2020(demo: tuple[Database, Path]) -> None:
    from healthplan.domain.indicators import Indicator

    analytics = Analytics(demo[0])
    analytics.load()
    checks = {"count(facilities)": (3163, 2134), "count(facilities where hospital)": (94, 82),
              "count(facilities where primary_care)": (3038, 2026),
              "count(facilities where public_health_institution)": (24, 24),
              "count(facilities where category = 'village_clinic')": (2220, 1477)}
    inds = [Indicator(f"c{i}", expr, expr) for i, expr in enumerate(checks)]
    got = {(r.indicator, r.org_unit): r.value for r in analytics.evaluate(inds, ["2020"], ["140500", "140600"])}
    for i, (jincheng, shuozhou) in enumerate(checks.values()):
        assert (got[(f"c{i}", "140500")], got[(f"c{i}", "140600")]) == (jincheng, shuozhou)


def test_demo_writes_xlsx_and_json_equal_to_evaluate(demo: tuple[Database, Path],
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    db, out = demo
    files = sorted(p.name for p in out.iterdir())
    assert files == sorted(f"{code}-2024{suffix}" for code in ("jincheng-14th-health-services",
                                                                "shuozhou-14th-public-health")
                           for suffix in (".json", ".xlsx", "-年度监测报告.docx", "-年度监测报告.html"))
    capsys.readouterr()
    assert main(["--database", db.url, "evaluate", "jincheng-14th-health-services", "--year", "2024",
                 "--format", "json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    written = json.loads((out / "jincheng-14th-health-services-2024.json").read_text(encoding="utf-8"))
    assert printed == written
    assert len(written["targets"]) == 19
    statuses = {t["status"] for t in written["targets"]}
    assert {"met", "on_track", "behind", "regressing"} <= statuses


def test_rebuilding_the_demo_changes_nothing(demo: tuple[Database, Path]) -> None:
    changes = build_demo(demo[0])
    assert (changes.inserted, changes.updated) == (0, 0)


@pytest.mark.postgres
def test_postgres_gives_the_same_evaluation(demo: tuple[Database, Path], pg_server: PgServer | None) -> None:
    if pg_server is None:
        pytest.skip("HEALTHPLAN_SKIP_POSTGRES is set")
    pg = Database(pg_server.create_database("demo_shuozhou"))
    build_demo(pg, regions=("shuozhou",))
    results = []
    for db in (demo[0], pg):
        analytics = Analytics(db)
        analytics.load()
        with db.sessions() as s:
            catalog = Catalog(user_indicators(s), analytics.elements)
            plan = get_plan(s, "shuozhou-14th-public-health")
        results.append(evaluate_plan(analytics, catalog, plan, 2023).to_json())
    assert results[0] == results[1]
    pg.dispose()
