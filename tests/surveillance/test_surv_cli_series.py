"""``healthplan detect series`` reproduces the R reference files (tests/fixtures/surveillance) for every method.

The command reads the oracle's series layout and writes the oracle's layout.  ``t``, ``observed``, ``alarm`` and
the NA positions are compared byte for byte; every upper bound is either the same text as R's (15 significant
digits) or differs only in the 15th digit, where R's LINPACK QR and long-double mean round differently.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from healthplan.cli import main
from tests.surveillance.surv_data import FIXTURES

SERIES = FIXTURES / "salmNewport_series.csv"
RANGE = "425:528"
CASES = {
    "salmNewport_earsC1.csv": ["ears_c1", "--param", "alpha=0.001"],
    "salmNewport_earsC2.csv": ["ears_c2", "--param", "alpha=0.001"],
    "salmNewport_earsC3.csv": ["ears_c3", "--param", "alpha=0.001"],
    "salmNewport_cusum.csv": ["cusum", "--param", "k=1.04", "--param", "h=2.26"],
    "salmNewport_farrington_original.csv": [
        "farrington", "--param", "b=3", "--param", "w=3", "--param", "weights_threshold=1", "--param",
        "past_weeks_not_included=3", "--param", "p_threshold_trend=0.05", "--param", "threshold_method=delta",
        "--param", "alpha=0.01", "--param", "no_periods=1", "--param", "limit54=5,4", "--param", "pow_trans=2/3",
        "--param", "reweight=TRUE", "--param", "trend=TRUE"],
    "salmNewport_farrington_nbplugin.csv": [
        "farrington", "--param", "b=5", "--param", "w=3", "--param", "weights_threshold=2.58", "--param",
        "past_weeks_not_included=26", "--param", "p_threshold_trend=1", "--param", "threshold_method=nbPlugin",
        "--param", "alpha=0.01", "--param", "no_periods=10"],
}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def detect(capsys: pytest.CaptureFixture[str], method_args: list[str], fmt: str = "csv") -> str:
    code, out, err = run(capsys, "detect", "series", "--method", method_args[0], "--input", str(SERIES),
                         "--range", RANGE, "--start", "2004-01-05", "--format", fmt, *method_args[1:])
    assert code == 0, err
    return out


@pytest.mark.parametrize("oracle", sorted(CASES))
def test_series_reproduces_the_oracle_file(oracle: str, capsys: pytest.CaptureFixture[str]) -> None:
    ours = detect(capsys, CASES[oracle]).splitlines()
    theirs = (FIXTURES / oracle).read_text().splitlines()
    assert ours[0] == theirs[0]
    assert len(ours) == len(theirs)
    for mine, r in zip(ours[1:], theirs[1:], strict=True):
        t, observed, upper, alarm = mine.split(",")
        rt, robserved, rupper, ralarm = r.split(",")
        assert (t, observed, alarm) == (rt, robserved, ralarm)
        assert (upper == "NA") == (rupper == "NA")
        if upper != rupper:  # only the 15th significant digit may differ
            assert upper[:-1] == rupper[:-1] or abs(float(upper) - float(rupper)) <= 1e-13 * abs(float(rupper))


def test_json_carries_the_same_rows_with_nulls(capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(detect(capsys, CASES["salmNewport_farrington_original.csv"], "json"))
    assert data["method"] == "farrington" and data["params"]["b"] == 3 and data["params"]["limit54"] == [5, 4]
    rows = data["rows"]
    assert [r["t"] for r in rows] == list(range(425, 529))
    oracle = (FIXTURES / "salmNewport_farrington_original.csv").read_text().splitlines()[1:]
    for row, line in zip(rows, oracle, strict=True):
        upper, alarm = line.split(",")[2:]
        assert (row["upperbound"] is None) == (upper == "NA")
        assert row["alarm"] == (None if alarm == "NA" else int(alarm))


def test_defaults_are_rs(capsys: pytest.CaptureFixture[str]) -> None:
    """Without --range the method's own default range (R's) is used: EARS C1 starts at t = baseline + 1."""
    code, out, _ = run(capsys, "detect", "series", "--method", "ears_c1", "--input", str(SERIES))
    assert code == 0
    assert out.splitlines()[1].startswith("8,")


def test_date_column_replaces_start(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    lines = SERIES.read_text().splitlines()
    import datetime as dt

    day = dt.date(2004, 1, 5)
    dated = [lines[0] + ',"date"'] + [f"{line},{day + dt.timedelta(weeks=i)}" for i, line in enumerate(lines[1:])]
    path = tmp_path / "dated.csv"
    path.write_text("\n".join(dated) + "\n")
    args = CASES["salmNewport_farrington_nbplugin.csv"]
    code, out, _ = run(capsys, "detect", "series", "--method", "farrington", "--input", str(path), "--range", RANGE,
                       *args[1:])
    assert code == 0
    assert out == detect(capsys, args)


@pytest.mark.parametrize(("args", "message"), [
    (["--method", "nope"], "unknown method"),
    (["--method", "farrington", "--param", "bogus=1"], "has no parameter 'bogus'"),
    (["--method", "farrington", "--param", "b=x"], "invalid value 'x' for b"),
    (["--method", "ears_c1", "--range", "0:5"], "--range must be FROM:TO"),
    (["--method", "ears_c1", "--range", "1:5"], "cannot compute"),
])
def test_bad_requests_are_reported_not_raised(args: list[str], message: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "detect", "series", "--input", str(SERIES), *args)
    assert code == 2
    assert message in " ".join(err.split())


def test_bad_series_file_is_located(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    shutil.copy(SERIES, path)
    text = path.read_text().replace("\n3,2000,3,2\n", "\n3,2000,3,-2\n").replace("\n5,2000,5,", "\n6,2000,5,")
    path.write_text(text)
    code, _, err = run(capsys, "detect", "series", "--method", "ears_c1", "--input", str(path))
    assert code == 2
    assert "bad.csv:4:4" in err and "bad.csv:6:1" in err
