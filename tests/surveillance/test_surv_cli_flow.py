"""The command line over a database: import, run, list, respond, events, metrics (JSON shapes)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from healthplan.cli import main
from healthplan.store.database import Database
from tests.surveillance.test_surv_store import counts_csv


def call(capsys: pytest.CaptureFixture[str], url: str, *args: str) -> tuple[int, str]:
    code = main(["--database", url, "--user", "cdc", *args])
    return code, capsys.readouterr().out


def test_detect_commands(region: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = region.url
    assert call(capsys, url, "detect", "import", str(counts_csv(tmp_path)))[0] == 0
    code, out = call(capsys, url, "detect", "run", "--date", "2024-07-16", "--until", "2024-07-19", "--format", "json")
    summary = json.loads(out)
    assert code == 0 and summary["signals_created"] >= 4 and summary["events_created"] == 1
    code, out = call(capsys, url, "detect", "signals", "--period", "2024Q3", "--org", "140525", "--format", "json")
    signals = json.loads(out)
    assert code == 0 and signals and all(s["org_unit"] == "140525100" for s in signals)
    first = signals[0]["id"]
    code, out = call(capsys, url, "detect", "respond", str(first), "--to", "核实中", "--note", "电话核实",
                     "--format", "json")
    assert code == 0 and json.loads(out)["status_label"] == "核实中"
    assert call(capsys, url, "detect", "respond", str(first), "--to", "closed")[0] == 2
    code, out = call(capsys, url, "detect", "events", "--format", "json")
    assert code == 0 and json.loads(out)[0]["rule"] == "diarrhoea_multipoint"
    code, out = call(capsys, url, "detect", "metrics", "--period", "2024Q3", "--format", "json")
    rows = {m["org_unit"]: m for m in json.loads(out)}
    assert code == 0 and rows["140525100"]["responded"] == 1 and rows["140525100"]["response_rate"] is not None
    code, out = call(capsys, url, "detect", "show", str(first), "--format", "json")
    assert code == 0 and json.loads(out)["steps"][0]["to"] == "verifying"
