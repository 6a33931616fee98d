"""``healthplan tasks …`` end to end on both databases: the JSON shape of the issue, located errors, documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from healthplan.cli import main
from healthplan.store.database import Database
from healthplan.tasks.demo import transcript

FIXTURES = Path(__file__).parents[1] / "fixtures" / "tasks"
PLAN = """plan: {code: reform, name: 城区医改行动方案, org_unit: "140502", base_year: 2022, target_year: 2025}
targets:
  - {seq: 1, indicator: beds_per_1000, org_unit: "140502", op: raise}
"""


def run(capsys: pytest.CaptureFixture[str], url: str, *args: str) -> tuple[int, str, str]:
    code = main(["--database", url, *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def cli_url(region: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    assert run(capsys, region.url, "import", "plan", str(plan))[0] == 0
    return region.url


def test_import_report_status(cli_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, cli_url, "tasks", "import", str(FIXTURES / "bad_cells.csv"))
    assert code == 2 and "bad_cells.csv:4:5: “责任单位”不能为空 / " in err and "Traceback" not in err
    code, out, err = run(capsys, cli_url, "tasks", "import", str(transcript.FILES[0]))
    assert code == 0, err
    assert "新增 39" in out
    assert run(capsys, cli_url, "tasks", "report", "4", "--date", "2023-08-25", "--percent", "100",
               "--text", "已印发", "--evidence", "章程.pdf")[0] == 0
    code, out, _ = run(capsys, cli_url, "tasks", "status", "--date", "2023-09-01", "--format", "json")
    data = json.loads(out)
    assert list(data) == ["date", "tasks"] and data["date"] == "2023-09-01" and len(data["tasks"]) == 39
    four = data["tasks"][3]
    assert four == {"code": "4", "title": "完善制度规范", "group": "二、完善制度规范",
                    "stage_goal": "健全决策机制。制定医管委章程、医改领导小组工作制度、议事规则等，建立健全综合监管制度。",
                    "responsible_leader": ["张丰亮"], "responsible_unit": ["区医改办"], "responsible_person": ["陈静"],
                    "deadline": "2023-08-31", "continuing": False, "status": "completed", "overdue": False}
    assert {t["code"] for t in data["tasks"] if t["overdue"]} == {"5", "6", "8", "9", "23", "29", "35"}
    code, out, _ = run(capsys, cli_url, "tasks", "status", "--date", "2023-09-01", "--unit", "市二院")
    assert code == 0 and "任务状态" in out
    code, _, err = run(capsys, cli_url, "tasks", "status", "--date", "2023-13-01")
    assert code == 2 and "不是日期" in err and "is not a date" in err
    code, _, err = run(capsys, cli_url, "tasks", "report", "4", "--percent", "120")
    assert code == 2 and "0–100" in err


def test_documents_and_round_trip(cli_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert run(capsys, cli_url, "tasks", "import", str(transcript.FILES[1]))[0] == 0
    code, out, _ = run(capsys, cli_url, "tasks", "bulletin", "--quarter", "2023Q4", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["kind"] == "quarter" and data["summary"]["total"] == 39
    assert data["summary"]["due"] == 10 and data["summary"]["on_time"] == 0  # 10, 14, 17, 18, 20, 21, 24, 34, 36, 37
    for args, name in ((("bulletin", "--quarter", "2023Q4", "--format", "docx"), "q.docx"),
                       (("bulletin", "--quarter", "2023Q4", "--format", "xlsx"), "q.xlsx"),
                       (("monitor", "--month", "202312", "--format", "docx"), "m.docx"),
                       (("yearly", "--year", "2023", "--format", "xlsx"), "y.xlsx")):
        code, _, err = run(capsys, cli_url, "tasks", *args, "--out", str(tmp_path / name))
        assert code == 0 and "已写出" in err and (tmp_path / name).stat().st_size > 5000
    assert load_workbook(tmp_path / "y.xlsx").sheetnames[0] == "责任单位汇总"
    code, _, err = run(capsys, cli_url, "tasks", "bulletin", "--quarter", "202312")
    assert code == 2 and "季度" in err
    assert run(capsys, cli_url, "tasks", "export", "--out", str(tmp_path / "list.csv"))[0] == 0
    assert (tmp_path / "list.csv").read_bytes() == transcript.FILES[1].read_bytes()
    assert run(capsys, cli_url, "tasks", "link", "13", "--target", "1")[0] == 0
    code, _, err = run(capsys, cli_url, "tasks", "link", "13", "--target", "7")
    assert code == 2 and "没有序号为 7 的目标" in err
    code, out, _ = run(capsys, cli_url, "tasks", "milestone", "10", "--title", "完成剥离", "--due", "2023-08-31",
                       "--done", "2023-09-05")
    assert code == 0 and "新增 1" in out
    code, _, err = run(capsys, cli_url, "tasks", "status", "--plan", "nope")
    assert code == 2 and "nope" in err
