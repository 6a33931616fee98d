"""``healthplan utilization …`` and ``healthplan synth encounters``: JSON contracts and clear errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from healthplan.cli import main
from healthplan.store.database import Database
from tests.utilization.conftest import FIXTURES, build_tiny_region

ORACLE = json.loads((FIXTURES / "oracle_2020.json").read_text(encoding="utf-8"))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr (stderr unwrapped: Rich folds long messages at the terminal width)."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err.replace("\n", "")


def as_json(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    code, out, err = run(capsys, *args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


@pytest.fixture
def url(sqlite_db: Database) -> str:
    build_tiny_region(sqlite_db)
    return sqlite_db.url


def test_import_measure_flows_and_write(url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = str(tmp_path / "enc")
    imported = as_json(capsys, "--database", url, "utilization", "import", str(FIXTURES / "oracle.csv"), "--out", out)
    assert (imported["accepted"], imported["quarantined"], imported["years"]) == (17, 0, [2019, 2020, 2021])

    data = as_json(capsys, "--database", url, "utilization", "--encounters", out, "--year", "2020")
    assert list(data) == ["year", "engine", "weight", "areas"] and data["engine"] == "duckdb"
    areas = {a["org_unit"]: a for a in data["areas"]}
    assert areas["140525"]["county_visit_rate"] == pytest.approx(ORACLE["areas"]["140525"]["county_visit_rate"])
    assert areas["140500"]["average_length_of_stay"] == 6.0 and areas["140500"]["referrals_up"] == 1
    for key in ("org_unit", "county_visit_rate", "county_inpatient_rate", "primary_care_visit_share",
                "referrals_up", "referrals_down", "average_length_of_stay"):
        assert key in areas["140502"]

    od = as_json(capsys, "--database", url, "utilization", "od", "--encounters", out, "--year", "2020")
    assert {(f["origin"], f["destination"]): f["encounters"] for f in od["flows"]}[("140525", "140100")] == 1

    written = as_json(capsys, "--database", url, "utilization", "write", "--encounters", out, "--years", "2020")
    assert written["years"] == [2020] and written["changes"]["inserted"] > 0
    again = as_json(capsys, "--database", url, "utilization", "write", "--encounters", out, "--years", "2020")
    assert (again["changes"]["inserted"], again["changes"]["updated"]) == (0, 0)
    indicator = as_json(capsys, "--database", url, "indicator", "enc_county_visit_rate", "--org", "140500",
                        "--period", "2020")
    assert indicator["value"] == pytest.approx(75.0)

    code, table, _ = run(capsys, "--database", url, "utilization", "--encounters", out, "--year", "2020")
    assert code == 0 and "县域就诊率" in table and "泽州县" in table


def test_quarantine_and_strict_errors(url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = as_json(capsys, "--database", url, "utilization", "import", str(FIXTURES / "bad_rows.csv"),
                     "--out", str(tmp_path / "enc"))
    assert (report["accepted"], report["quarantined"]) == (3, 13)
    assert Path(report["quarantine"]) == tmp_path / "enc.quarantine.csv"
    code, _out, err = run(capsys, "--database", url, "utilization", "import", str(FIXTURES / "bad_rows.csv"),
                          "--out", str(tmp_path / "strict"), "--strict")
    assert code == 2 and "Traceback" not in err
    assert f"{FIXTURES / 'bad_rows.csv'}:3:4: 未知的机构代码" in err and "nothing was written" in err
    assert not (tmp_path / "strict").exists()


def test_user_errors_are_bilingual(url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "--database", url, "utilization", "--encounters", str(tmp_path), "--year", "2020")
    assert code == 2 and "不是就诊记录数据集" in err and "is not an encounter dataset" in err
    code, _out, err = run(capsys, "--database", url, "utilization", "write", "--encounters", str(tmp_path),
                          "--years", "twenty")
    assert code == 2 and "Traceback" not in err
    code, out, _err = run(capsys, "utilization")
    assert code == 0 and "import" in out and "--encounters" in out


def test_synth_encounters(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = as_json(capsys, "synth", "encounters", "--region", "晋城", "--years", "2020-2021", "--rows", "5000",
                   "--out", str(tmp_path / "synth"))
    assert list(data) == ["region", "years", "rows", "weight", "output", "seconds", "rows_per_second"]
    assert data["years"] == [2020, 2021] and data["rows"] == 5000 and data["weight"] > 1000
    code, _out, err = run(capsys, "synth", "encounters", "--region", "太原", "--out", str(tmp_path / "x"))
    assert code == 2 and "没有名为“太原”的示范区域" in err
