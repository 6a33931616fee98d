"""A small assessment scored by hand, on SQLite and PostgreSQL: an indicator scheme over three facilities and a
plan-target scheme over two counties (the region of tests/conftest.py, year 2020)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from healthplan.assess.export import write_xlsx
from healthplan.assess.run import run_scheme
from healthplan.cli import main
from healthplan.domain.plans import Nature, Plan, Target, TargetOp
from healthplan.store.database import Database
from healthplan.store.plans import save_plan

SCHEME = """scheme:
  code: small
  name: 小型考核
  subjects: {kind: facilities, codes: [F1, F2, F4]}
dimensions:
  - {code: scale, name: 规模}
  - {code: depts, name: 科室}
grades:
  - {name: 达到基本标准, tiers: [basic]}
fallback_grade: 未达到基本标准
items:
  - {code: beds, name: 床位, indicator: beds.actual, dimension: scale, weight: 10,
     rule: {type: linear, floor: 100, target: 600}, overrides: {F2: {type: linear, floor: 100, target: 500}}}
  - {code: geriatrics, name: 老年医学科, indicator: dept.geriatrics, dimension: depts, weight: 5, tier: basic,
     rule: {type: pass, op: ge, value: 1}, exempt: [F4]}
  - {code: size, name: 床位规模, indicator: beds.actual, dimension: scale, weight: 4,
     rule: {type: steps, steps: [[100, 0.5], [800, 1]]}}
  - {code: tens, name: 每十张床位, numerator: "sum(beds.actual) / 10", dimension: scale, weight: 1,
     rule: {type: linear, floor: 0, target: 100}}
  - {code: later, name: 以后才考核, indicator: beds.actual, dimension: scale, weight: 50, from_year: 2021,
     rule: {type: pass, op: ge, value: 1}}
"""
TARGETS = """scheme:
  code: counties
  name: 各县规划目标考核
  kind: plan_targets
  plan: small-plan
  subjects: {kind: areas, level: county, under: "140500"}
weights: {binding: 2, expected: 1}
exclude: [pop.resident]
"""


@pytest.fixture
def schemes(region: Database, tmp_path: Path) -> tuple[Database, Path, Path]:
    with region.transaction() as session:
        save_plan(session, Plan("small-plan", "小规划", "140500", 2019, 2025, targets=(
            Target("beds_per_1000", TargetOp.REACH, Nature.BINDING, value=2.0, category="资源", seq=1),
            Target("beds.actual", TargetOp.GE, org_unit="140525", value=500, category="资源", seq=2),
            Target("pop.resident", TargetOp.RAISE, category="人口", seq=3))), "test")
    indicators, targets = tmp_path / "small.yaml", tmp_path / "counties.yaml"
    indicators.write_text(SCHEME, encoding="utf-8")
    targets.write_text(TARGETS, encoding="utf-8")
    return region, indicators, targets


def test_indicator_scheme_by_hand(schemes: tuple[Database, Path, Path], tmp_path: Path) -> None:
    database, path, _ = schemes
    result = run_scheme(database, str(path), 2020, "test")
    by_code = {s.org_unit: s for s in result.subjects}
    # F1 (1000 beds, 老年医学科): 10 + 5 + 4 + 1 = 20 of 20
    # F2 (500 beds, none; its own bed goal 500): 10 + 0 + 2 + 0.5 = 12.5 of 20 → 62.5
    # F4 (40 beds, exempt from 老年医学科): 0 + 0 + 0.04 = 0.04 of 15 → 0.27
    assert [(s.org_unit, s.rank, s.total, s.maximum, s.score) for s in result.subjects] == [
        ("F1", 1, 20.0, 20.0, 100.0), ("F2", 2, 12.5, 20.0, 62.5), ("F4", 3, 0.04, 15.0, 0.27)]
    f2 = by_code["F2"]
    assert [(d.name, d.points, d.maximum) for d in f2.dimensions] == [("规模", 12.5, 15.0), ("科室", 0.0, 5.0)]
    assert f2.reasons() == ["老年医学科：0（要求 ≥1），扣 5 分", "床位规模：500张（要求 ≥100 得50%，≥800 得100%），扣 2 分",
                            "每十张床位：50.00（要求 ≥100 得满分，0 起计分），扣 0.5 分"]
    assert (by_code["F1"].grade, f2.grade, by_code["F4"].grade) == ("达到基本标准", "未达到基本标准", "达到基本标准")
    assert [i.code for i in by_code["F4"].items] == ["beds", "size", "tens"]
    assert by_code["F1"].name == "市人民医院"
    write_xlsx(result, tmp_path / "small.xlsx")
    rows = list(load_workbook(tmp_path / "small.xlsx")["考核结果"].iter_rows(min_row=4, values_only=True))
    assert rows[1][:9] == (2, "F2", "泽州县人民医院", 62.5, 12.5, 20.0, 12.5, 0.0, "未达到基本标准")


def test_plan_target_scheme_by_hand(schemes: tuple[Database, Path, Path]) -> None:
    database, _, path = schemes
    result = run_scheme(database, str(path), 2020, "test")
    # 城区: beds per 1000 1.58 (2019) → 1.74 (2020), goal 2: completion 0.16 / 0.42, ×2 (binding) = 0.76 of 2
    # 泽州县: 0.96 → 1.30 (the closed village clinic no longer counts): 0.34 / 1.04 × 2 = 0.65; its own bed target
    # (540 ≥ 500) met: 1 → 1.65 of 3 = 55.0; pop.resident is excluded
    assert [(s.org_unit, s.rank, s.total, s.maximum, s.score) for s in result.subjects] == [
        ("140525", 1, 1.65, 3.0, 55.0), ("140502", 2, 0.76, 2.0, 38.0)]
    chengqu = result.subjects[1]
    # on track: the straight line from 1.58 (2019) to 2 (2025) stands at 1.65 in 2020
    assert chengqu.reasons() == ["每千常住人口医疗卫生机构床位数：当年值 1.74，目标 2，进度正常（完成率 38%，扣 1.24 分）"]
    assert [(d.name, d.points, d.maximum) for d in result.subjects[0].dimensions] == [("资源", 1.65, 3.0)]


def test_assess_command(schemes: tuple[Database, Path, Path], tmp_path: Path,
                        capsys: pytest.CaptureFixture[str]) -> None:
    database, path, _ = schemes
    assert main(["--database", database.url, "assess", str(path), "--year", "2020", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["scheme"], data["year"], data["kind"]) == ("small", 2020, "indicators")
    first = data["subjects"][0]
    assert list(first) == ["org_unit", "name", "rank", "score", "total", "max", "grade", "dimensions", "reasons",
                           "items"]
    assert first["items"][0] == {"code": "beds", "name": "床位", "dimension": "scale", "weight": 10.0, "value": 1000.0,
                                 "value_text": "1000", "requirement": "≥600 得满分，100 起计分", "share": 1.0,
                                 "points": 10.0, "lost": 0.0, "reason": None, "tier": None}
    out = tmp_path / "a.xlsx"
    assert main(["--database", database.url, "assess", str(path), "--year", "2020", "--format", "xlsx",
                 "--out", str(out)]) == 0
    assert load_workbook(out).sheetnames == ["考核结果", "计分明细"]
    assert main(["--database", database.url, "assess", "schemes"]) == 0
    assert "district-hospital-capability" in capsys.readouterr().out
    assert main(["--database", database.url, "assess", "nothing-like-it"]) == 2
    assert "找不到考核方案" in capsys.readouterr().err
