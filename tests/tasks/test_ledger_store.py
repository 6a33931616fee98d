"""The ledger in the store (SQLite and PostgreSQL): all-or-nothing, idempotent, audited imports; exact round trip;
progress reports and milestones."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from healthplan.domain.plans import Plan, Target, TargetOp
from healthplan.domain.problems import NotFound, ValidationFailed
from healthplan.store import audit
from healthplan.store.database import Database
from healthplan.store.plans import save_plan
from healthplan.store.tasks import (
    Milestone,
    find_task_list,
    link_target,
    milestones,
    progress_reports,
    save_milestone,
)
from healthplan.tasks import export
from healthplan.tasks.demo import transcript
from healthplan.tasks.files import import_tasks
from healthplan.tasks.ledger import load_ledger, status_json, statuses
from healthplan.tasks.progress import add_reports, import_progress, report

FIXTURES = Path(__file__).parents[1] / "fixtures" / "tasks"
PLAN = "chengqu-reform-2023"
D = dt.date


@pytest.fixture
def ledger_db(database: Database) -> Database:
    with database.transaction() as session:
        save_plan(session, Plan(PLAN, "城区医改行动方案", "140502", 2022, 2025, targets=(
            Target("county_visit_rate", TargetOp.RAISE, seq=1),)), "test")
    return database


def test_import_is_idempotent_and_exports_back_exactly(ledger_db: Database, tmp_path: Path) -> None:
    xlsx, csv = transcript.FILES
    assert import_tasks(xlsx, ledger_db, "test", PLAN).to_json() == {"inserted": 39, "updated": 0, "unchanged": 0}
    assert import_tasks(xlsx, ledger_db, "test", PLAN).to_json() == {"inserted": 0, "updated": 0, "unchanged": 39}
    assert import_tasks(csv, ledger_db, "test", PLAN).to_json() == {"inserted": 0, "updated": 0, "unchanged": 39}
    with ledger_db.sessions() as session:
        stored = find_task_list(session, PLAN)
        assert len(audit.history(session, entity="task")) == 39
    assert stored is not None
    for shipped in (xlsx, csv):
        out = tmp_path / shipped.name
        export.write(stored, out)
        assert out.read_bytes() == shipped.read_bytes(), shipped.name


def test_a_bad_file_writes_nothing(ledger_db: Database) -> None:
    with pytest.raises(ValidationFailed) as caught:
        import_tasks(FIXTURES / "bad_cells.csv", ledger_db, "test", PLAN)
    assert len(caught.value.problems) == 5
    with ledger_db.sessions() as session:
        assert find_task_list(session, PLAN) is None
        assert audit.history(session, entity="task") == []


def test_a_changed_task_is_updated_and_audited(ledger_db: Database, tmp_path: Path) -> None:
    import_tasks(transcript.FILES[0], ledger_db, "test", PLAN)
    original = transcript.task_list()
    changed = dataclasses.replace(original.tasks[9], deadline_text="2023年8月底完成剥离，2023年11月底纳入管理",
                                  deadline=D(2023, 11, 30), stages=(("完成剥离", D(2023, 8, 31)),))
    edited = tmp_path / "edited.csv"
    export.write(dataclasses.replace(original, tasks=(*original.tasks[:9], changed, *original.tasks[10:])), edited)
    assert import_tasks(edited, ledger_db, "editor", PLAN).to_json() == {"inserted": 0, "updated": 1, "unchanged": 38}
    with ledger_db.transaction() as session:
        (entry,) = [e for e in audit.history(session, entity="task") if e.action == "update"]
        assert (entry.key, entry.user) == (f"{PLAN}#10", "editor")
        assert "2023年10月底" in (entry.old_value or "") and "2023年11月底" in (entry.new_value or "")
        assert milestones(session, PLAN)["10"] == [Milestone("10", "完成剥离", D(2023, 8, 31), None, "file")]
        save_milestone(session, PLAN, Milestone("10", "完成剥离", D(2023, 8, 31), D(2023, 9, 5)), "editor")
    assert import_tasks(edited, ledger_db, "editor", PLAN).to_json()["unchanged"] == 39
    with ledger_db.sessions() as session:  # a re-import keeps the milestone's completion
        assert milestones(session, PLAN)["10"][0].done_on == D(2023, 9, 5)


def test_progress_reports_drive_the_status(ledger_db: Database) -> None:
    import_tasks(transcript.FILES[1], ledger_db, "test", PLAN)
    first = [report("4", D(2023, 8, 25), 100, "已印发", "/share/章程.pdf", "u1"),
             report("9", D(2023, 8, 15), 50, "方案已制定")]
    assert add_reports(ledger_db, PLAN, first, "u1").to_json() == {"inserted": 2, "updated": 0, "unchanged": 0}
    assert add_reports(ledger_db, PLAN, first, "u2").to_json() == {"inserted": 0, "updated": 0, "unchanged": 2}
    assert add_reports(ledger_db, PLAN, [report("9", D(2023, 8, 15), 60, "方案已制定")], "u2").updated == 1
    with ledger_db.sessions() as session:
        reports = progress_reports(session, PLAN)
    assert reports["4"][0].evidence_name == "章程.pdf" and reports["9"][0].percent == 60
    ledger = load_ledger(ledger_db, PLAN)
    data = status_json(D(2023, 9, 1), statuses(ledger, D(2023, 9, 1)))
    rows = {row["code"]: row for row in data["tasks"]}  # type: ignore[attr-defined]
    assert data["date"] == "2023-09-01" and len(rows) == 39
    assert list(rows["4"]) == ["code", "title", "group", "stage_goal", "responsible_leader", "responsible_unit",
                               "responsible_person", "deadline", "continuing", "status", "overdue"]
    assert (rows["4"]["status"], rows["4"]["overdue"]) == ("completed", False)
    assert (rows["9"]["status"], rows["9"]["overdue"], rows["9"]["deadline"]) == ("overdue", True, "2023-08-31")
    assert (rows["1"]["status"], rows["1"]["deadline"], rows["1"]["continuing"]) == ("continuing", None, True)
    assert rows["14"]["status"] == "not_started" and rows["23"]["status"] == "overdue"
    assert rows["5"]["responsible_unit"] == ["区医改办", "各相关成员单位"]
    with pytest.raises(NotFound):
        add_reports(ledger_db, PLAN, [report("99", D(2023, 8, 1), 10)], "u1")


def test_progress_sheet_is_checked_as_a_whole(ledger_db: Database, tmp_path: Path) -> None:
    import_tasks(transcript.FILES[0], ledger_db, "test", PLAN)
    sheet = tmp_path / "progress.csv"
    sheet.write_text("序号,报告日期,进度,进展情况\n4,2023-08-25,100,完成\n99,2023-08-25,50,\n4,2023-13-01,50,\n"
                     "9,2023-08-01,150,\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        import_progress(sheet, ledger_db, "test", PLAN)
    assert {(p.row, p.column) for p in caught.value.problems} == {(3, 1), (4, 2), (5, 3)}
    with ledger_db.sessions() as session:
        assert progress_reports(session, PLAN) == {}


def test_links_and_unknown_plans(ledger_db: Database) -> None:
    import_tasks(transcript.FILES[0], ledger_db, "test", PLAN)
    with ledger_db.transaction() as session:
        assert link_target(session, PLAN, "13", 1, "test").updated == 1
        assert link_target(session, PLAN, "13", 1, "test").unchanged == 1
    assert import_tasks(transcript.FILES[0], ledger_db, "test", PLAN).unchanged == 39  # the file keeps the link
    with ledger_db.sessions() as session:
        stored = find_task_list(session, PLAN)
    assert stored is not None and stored.tasks[12].target_seq == 1
    with pytest.raises(NotFound, match="no-such-plan"):
        import_tasks(transcript.FILES[0], ledger_db, "test", "no-such-plan")
