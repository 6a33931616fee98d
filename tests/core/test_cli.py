"""The command line: JSON contracts, exports that import back, and clear errors without tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from healthplan.cli import main
from tests.core.test_imports import FACILITIES, ORG_UNITS, PLAN

VALUES = """data_element,org_unit,period,value
pop.resident,140525,2019,420000
pop.resident,140525,2020,414999
pop.resident,140500,2025,2100000
pop.resident,140525,2025,410000
beds.actual,F1,2019,400
beds.actual,F1,2020,500
beds.actual,F2,2020,40
fin.basic_ph_funding,140525,2020,30000000
fin.basic_ph_funding,140525,2019,28000000
"""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def cli_db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    for name, text in (("o.csv", ORG_UNITS), ("f.csv", FACILITIES), ("v.csv", VALUES), ("p.yaml", PLAN)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert run(capsys, "--database", url, "init")[0] == 0
    for kind, name in (("orgunits", "o.csv"), ("facilities", "f.csv"), ("values", "v.csv"), ("plan", "p.yaml")):
        code, _out, err = run(capsys, "--database", url, "import", kind, str(tmp_path / name))
        assert code == 0, err
    return url


def test_indicator_json(cli_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--database", cli_db, "indicator", "beds_per_1000", "--org", "140525",
                       "--period", "2020", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert list(data) == ["indicator", "org_unit", "period", "value", "numerator", "denominator"]
    assert data["numerator"] == 540 and data["denominator"] == 414999
    code, out, _ = run(capsys, "--database", cli_db, "indicator", "beds_per_1000", "--org", "140525",
                       "--period", "2018", "--format", "json")
    assert json.loads(out)["value"] is None


def test_evaluate_and_plans_json(cli_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--database", cli_db, "plans", "--format", "json")
    assert json.loads(out) == [{"code": "p1", "name": "测试规划", "org_unit": "140500", "base_year": 2020,
                                "target_year": 2025}]
    code, out, err = run(capsys, "--database", cli_db, "evaluate", "p1", "--year", "2020", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert (data["plan"], data["year"]) == ("p1", 2020)
    required = {"indicator", "org_unit", "op", "target", "nature", "baseline", "value", "status", "completion",
                "projection", "gap"}
    for target in data["targets"]:
        assert required <= set(target)
    beds = data["targets"][0]
    assert beds["indicator"] == "beds_per_1000" and beds["nature"] == "binding"
    # the planner entered the 2025 population of the city: the gap uses it
    assert beds["gap"]["denominator_source"] == "entered"
    assert beds["gap"]["needed"] == 7 * 2_100_000 / 1000 and beds["gap"]["current"] == 540
    assert beds["gap"]["gap"] == beds["gap"]["needed"] - 540
    infectious = data["targets"][2]
    assert infectious["org_unit"] == "140525" and infectious["status"] == "no_data"


def test_export_values_round_trip(cli_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_file = tmp_path / "export.csv"
    assert run(capsys, "--database", cli_db, "export", "values", "--format", "csv", "--out", str(out_file))[0] == 0
    code, out, _ = run(capsys, "--database", cli_db, "import", "values", str(out_file))
    assert code == 0 and "新增 0，更新 0" in out
    code, out, _ = run(capsys, "--database", cli_db, "export", "values", "--format", "json", "--data-element",
                       "beds.actual")
    assert [r["value"] for r in json.loads(out)] == [400, 500, 40]
    xlsx = tmp_path / "eval.xlsx"
    assert run(capsys, "--database", cli_db, "export", "evaluation", "p1", "--year", "2020", "--format", "xlsx",
               "--out", str(xlsx))[0] == 0
    assert xlsx.stat().st_size > 0


@pytest.mark.parametrize(("args", "fragment"), [
    (["indicator", "beds_per_1000", "--org", "nowhere", "--period", "2020"], "unknown org unit"),
    (["indicator", "no_such", "--org", "140525", "--period", "2020"], "unknown indicator"),
    (["indicator", "beds_per_1000", "--org", "140525", "--period", "20X0"], "invalid period code"),
    (["evaluate", "nope"], "no plan 'nope'"),
    (["import", "values", "/nonexistent.csv"], "file not found"),
    (["frobnicate"], "No such command"),
    (["indicator", "beds_per_1000"], "Missing option"),
])
def test_bad_arguments_give_messages_not_tracebacks(cli_db: str, capsys: pytest.CaptureFixture[str],
                                                    args: list[str], fragment: str) -> None:
    code, out, err = run(capsys, "--database", cli_db, *args)
    assert code != 0
    assert fragment in err + out
    assert "Traceback" not in err + out


def test_bad_file_reports_every_located_error(cli_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("data_element,org_unit,period,value\nbeds.actual,F1,2020,x\nbeds.actual,F0,2020,1\n",
                   encoding="utf-8")
    code, _, err = run(capsys, "--database", cli_db, "import", "values", str(bad))
    assert code == 2
    assert "bad.csv:2:4: “x”不是数字 / 'x' is not a number" in err
    assert "bad.csv:3:2: 组织机构“F0”不存在" in err
    assert "未写入任何数据 / 2 problem(s) found, nothing was written" in err


def test_uninitialised_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--database", f"sqlite:///{tmp_path / 'new.db'}", "plans")
    assert code == 2 and "healthplan init" in err
