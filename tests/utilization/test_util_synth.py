"""The generator: deterministic by seed, valid against the registry, calibrated to the demo's statistics."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from healthplan.utilization.calibration import Region, region_folder
from healthplan.utilization.dataset import EncounterDataset
from healthplan.utilization.engines import connect
from healthplan.utilization.importer import import_encounters
from healthplan.utilization.metrics import METRICS, YearMetrics, compute_years
from healthplan.utilization.synth import Generator, plan_rows, synthesize
from healthplan.utilization.territory import Territory

BY_CODE = {m.code: m for m in METRICS}


def _table(dataset: EncounterDataset) -> object:
    return pq.read_table(sorted(dataset.root.rglob("*.parquet"))[0])


def test_same_seed_same_rows_different_seed_different_rows(tmp_path: Path) -> None:
    def run(name: str, seed: int) -> EncounterDataset:
        return synthesize(Generator.for_region("晋城", [2020], 20_000, seed), tmp_path / name)

    first, again, other = run("a", 7), run("b", 7), run("c", 8)
    files = sorted(p.relative_to(first.root) for p in first.root.rglob("*.parquet"))
    assert files == sorted(p.relative_to(again.root) for p in again.root.rglob("*.parquet"))
    assert all(pq.read_table(first.root / f) == pq.read_table(again.root / f) for f in files)
    assert _table(first) != _table(other)
    assert first.weight == again.weight == other.weight


def test_rows_are_split_over_years_by_volume() -> None:
    region = Region(region_folder("jincheng"))
    models = [region.year(y) for y in (2019, 2020, 2024)]
    plan = plan_rows(models, 1_000_003)
    assert sum(plan.rows.values()) == 1_000_003
    assert plan.weight == pytest.approx(sum(m.expected for m in models) / 1_000_003)
    assert plan.rows[2020] < plan.rows[2024]  # 2020 had fewer visits (COVID); 2024 the most


def test_region_names() -> None:
    assert region_folder("晋城") == region_folder("晋城市") == region_folder("140500") == region_folder("jincheng")
    from healthplan.domain.problems import HealthplanError

    with pytest.raises(HealthplanError, match="太原"):
        region_folder("太原")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> EncounterDataset:
    return synthesize(Generator.for_region("jincheng", [2020, 2021, 2024], 300_000, 11),
                      tmp_path_factory.mktemp("synth") / "encounters")


def test_every_generated_row_passes_the_import(generated: EncounterDataset, demo_territory: Territory,
                                               tmp_path: Path) -> None:
    report = import_encounters(generated.root, tmp_path / "imported", demo_territory, weight=generated.weight)
    assert report.quarantined == 0, report.problems[:5]
    assert report.accepted == 300_000
    assert EncounterDataset.open(tmp_path / "imported").weight == generated.weight


def _reported(element: str) -> dict[tuple[str, int], float]:
    with (region_folder("jincheng") / "area_values.csv").open(encoding="utf-8") as handle:
        return {(r["org_unit"], int(r["period"])): float(r["value"])
                for r in csv.DictReader(handle) if r["data_element"] == element}


@pytest.fixture(scope="module")
def measured(generated: EncounterDataset, demo_territory: Territory) -> dict[int, YearMetrics]:
    return {r.year: r for r in compute_years(connect(), generated, demo_territory, [2020, 2021, 2024])}


def _value(result: YearMetrics, org_unit: str, code: str) -> float | None:
    area = next(a for a in result.areas if a.org_unit == org_unit)
    return area.value(BY_CODE[code])


@pytest.mark.parametrize("year", [2020, 2024])
def test_county_visit_rate_is_near_the_demo_statistics(measured: dict[int, YearMetrics], year: int) -> None:
    inside, total = _reported("svc.resident_visits_in_county"), _reported("svc.resident_visits_total")
    counties = sorted(c for c, y in total if y == year)
    for county in counties:
        assert _value(measured[year], county, "county_visit_rate") == pytest.approx(
            inside[(county, year)] / total[(county, year)] * 100, abs=1.5), county
    city = sum(inside[(c, year)] for c in counties) / sum(total[(c, year)] for c in counties) * 100
    assert _value(measured[year], "140500", "county_visit_rate") == pytest.approx(city, abs=0.6)


def test_the_plan_baselines_of_2020(measured: dict[int, YearMetrics]) -> None:
    """晋城 2020 in the demo: 县域就诊率 86.2 %, 基层就诊率 55.80 %, 病床使用率 54.15 %."""
    assert _value(measured[2020], "140500", "county_visit_rate") == pytest.approx(86.2, abs=0.6)
    assert _value(measured[2020], "140500", "primary_care_visit_share") == pytest.approx(55.8, abs=0.6)
    assert _value(measured[2020], "140500", "bed_occupancy_rate") == pytest.approx(54.15, abs=2.5)
    assert _value(measured[2024], "140500", "primary_care_visit_share") == pytest.approx(54.1, abs=0.6)


def test_counts_are_expanded_to_the_region_volume(measured: dict[int, YearMetrics]) -> None:
    total = _reported("svc.resident_visits_total")
    city = next(a for a in measured[2020].areas if a.org_unit == "140500")
    reported = sum(v for (_, y), v in total.items() if y == 2020)
    assert city.counts["resident_total"] == pytest.approx(reported, rel=0.06)
    assert city.counts["discharges"] == pytest.approx(260_500, rel=0.05)  # 出院 26.05 万 (the plan, 2020)


def test_the_demo_step_is_for_jincheng_only() -> None:
    from healthplan.utilization.demo import demo_steps

    assert demo_steps(("shuozhou",)) == []
    (step,) = demo_steps(("jincheng", "shuozhou"))
    assert step.label == "jincheng 就诊记录（分级诊疗）"
