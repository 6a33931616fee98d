"""``healthplan locate …``: OR-Library and spopt San Francisco answers through the command line, JSON only on
standard output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from healthplan.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SF_COST = str(FIXTURES / "spopt_sf" / "SF_network_distance_candidateStore_16_censusTract_205_new.csv")
SF_DEMAND = str(FIXTURES / "spopt_sf" / "SF_demand_205_centroid_uniform_weight.csv")
SF_SITES = ["Store_2", "Store_11", "Store_12", "Store_15"]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, object], str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, json.loads(out) if code == 0 else {}, err


def test_orlib_instance(capsys: pytest.CaptureFixture[str]) -> None:
    code, data, err = run(capsys, "locate", "pmedian", "--instance", str(FIXTURES / "pmedian" / "pmed1.txt"),
                          "--format", "json")
    assert code == 0, err
    assert {"p", "objective", "sites", "seconds", "gap"} <= data.keys()
    assert data["p"] == 5 and data["objective"] == 5819 and data["gap"] == pytest.approx(0.0)
    assert len(data["sites"]) == 5 and all(1 <= s <= 100 for s in data["sites"])  # vertices numbered from 1


def test_sf_mclp_and_pmedian(capsys: pytest.CaptureFixture[str]) -> None:
    common = ["--cost", SF_COST, "--demand", SF_DEMAND, "--id-column", "NAME", "--p", "4", "--format", "json"]
    code, data, err = run(capsys, "locate", "mclp", *common, "--radius", "5000")
    assert code == 0, err
    assert data["objective"] == 875247 and data["total_weight"] == 955113
    assert sorted(data["sites"]) == sorted(SF_SITES)
    assert isinstance(data["uncovered"], list) and len(data["uncovered"]) == 21
    code, data, err = run(capsys, "locate", "pmedian", *common)
    assert code == 0, err
    assert data["objective"] == pytest.approx(2848268129.71, rel=1e-9)
    assert sorted(data["sites"]) == sorted(SF_SITES) and data["optimal"]


def test_fixed_sites_stay_open(capsys: pytest.CaptureFixture[str]) -> None:
    common = ["--cost", SF_COST, "--demand", SF_DEMAND, "--id-column", "NAME", "--format", "json"]
    code, data, err = run(capsys, "locate", "mclp", *common, "--p", "4", "--radius", "5000", "--fixed", "Store_1")
    assert code == 0, err
    assert "Store_1" in data["sites"] and data["fixed_sites"] == ["Store_1"] and len(data["new_sites"]) == 3
    assert data["objective"] <= 875247
    code, data, err = run(capsys, "locate", "lscp", *common, "--radius", "5000", "--fixed", "Store_1,Store_2")
    assert code == 0, err
    assert {"Store_1", "Store_2"} <= set(data["sites"])
    assert data["objective"] == len(data["sites"])
    assert data["uncovered"] == data["uncoverable"]  # everyone who can be covered is


def test_user_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["locate", "mclp", "--cost", SF_COST, "--p", "2", "--radius", "10"]) == 2
    assert "--demand" in capsys.readouterr().err
    assert main(["locate", "mclp", "--cost", SF_COST, "--demand", SF_DEMAND, "--id-column", "NAME", "--p", "2",
                 "--radius", "10", "--fixed", "Store_99"]) == 2
    assert "Store_99" in capsys.readouterr().err
    broken = tmp_path / "broken.txt"
    broken.write_text("100 3 5\n1 2 3\n", encoding="utf-8")
    assert main(["locate", "pmedian", "--instance", str(broken)]) == 2
    assert "OR-Library" in capsys.readouterr().err
