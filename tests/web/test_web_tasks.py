"""任务 pages and API: the ledger of a small 泽州县 reform plan on a date, filters, one task, progress reports with
evidence files (CSRF, scope, audit), the 月监控, 季通报 and 年考核 with their documents — on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from docx import Document
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from healthplan.cli import main
from healthplan.domain.periods import PeriodType
from healthplan.domain.plans import Plan
from healthplan.store import audit
from healthplan.store.database import Database
from healthplan.store.plans import save_plan
from healthplan.store.setup import initialise
from healthplan.store.users import create_token, get_user
from healthplan.tasks.files import import_tasks
from healthplan.tasks.ledger import load_ledger
from healthplan.tasks.progress import add_reports, report
from healthplan.web import task_ledger
from healthplan.web.server import data_dir
from tests.pg_server import PgServer
from tests.web.conftest import fresh_database, login_factory, make_app
from tests.web.test_web_security import CSRF_FIELD, page_login
from tests.web.web_region import USERS, ZEZHOU, build_web_region

PLAN = "zz-reform"
TASKS = """泽州县深化医改重点工作任务清单
序号,重点工作任务,阶段目标,责任领导,责任单位,责任人,完成时限,备注
一、健全推进机制,,,,,,,
1,加强组织领导,县政府常务会议专题研究医改工作,张丰亮,县医改办,陈静,持续推进,
2,完善制度规范,制定医管委章程和议事规则,张丰亮,县医改办、县卫体局,陈静、李华兵,2023年8月底,
二、深化综合改革,,,,,,,
3,理顺运行机制,完成医疗集团资产剥离并纳入统一管理,王强,县卫体局,陈喜,2023年8月底完成剥离，2023年10月底纳入管理,
4,推进信息化,建成县域全民健康信息平台,王强,县卫体局,孙宁,2023年12月底,
"""
ROLES = ("admin", "zz", "gp", "analyst", "viewer")


def load_tasks(db: Database, folder: Path) -> None:
    """The plan (scoped to 泽州县), its four tasks in two groups, and three reports."""
    with db.transaction() as session:
        save_plan(session, Plan(PLAN, "泽州县深化医改行动方案", ZEZHOU, 2022, 2025), "test")
    path = folder / "tasks.csv"
    path.write_text(TASKS, encoding="utf-8")
    import_tasks(path, db, "test", PLAN)
    add_reports(db, PLAN, [report("2", dt.date(2023, 8, 25), 100, "章程已印发", "医管委章程.pdf", "test"),
                           report("3", dt.date(2023, 9, 10), 60, "资产清查进行中", "", "test"),
                           report("1", dt.date(2023, 10, 12), 30, "常务会议研究1次", "", "test")], "test")


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def tasks_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
             pg_server: PgServer | None) -> Iterator[Database]:
    folder = tmp_path_factory.mktemp("tasks-web")
    db = fresh_database(request.param, folder, pg_server)
    initialise(db)
    build_web_region(db, {k: v for k, v in USERS.items() if k in ROLES})
    load_tasks(db, folder)
    yield db
    db.dispose()


@pytest.fixture(scope="module")
def tasks_app(tasks_db: Database) -> FastAPI:
    return make_app(tasks_db)


@pytest.fixture
def evidence_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HEALTHPLAN_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data" / task_ledger.EVIDENCE_FOLDER


def codes(html: str) -> list[str]:
    return re.findall(r'<tr data-code="([^"]+)"', html)


def test_the_ledger_page_groups_counts_and_filters(tasks_app: FastAPI) -> None:
    browser, _ = page_login(tasks_app, "viewer")
    html = browser.get(f"/tasks?plan={PLAN}&date=2023-11-15").text
    assert codes(html) == ["1", "2", "3", "4"]
    headings = re.findall(r'<tr class="group"><th colspan="9">([^<]+)</th>', html)
    assert headings == ["一、健全推进机制", "二、深化综合改革"]
    table = html[html.index('id="task-table"'):]
    assert table.index("一、健全推进机制") < table.index('data-code="2"') < table.index("二、深化综合改革")
    counts = dict(re.findall(r'data-status="(\w+)" href="[^"]*">[^<]*<strong>(\d+)</strong>', html))
    assert counts == {"not_started": "1", "in_progress": "0", "completed": "1", "overdue": "1", "continuing": "1"}
    row = html[html.index('<tr data-code="3"'):html.index('<tr data-code="4"')]
    assert 'data-status="overdue"' in row and "15 天" in row  # due 2023-10-31, 15 days late on 11-15
    assert "陈喜" in row and "2023年8月底完成剥离，2023年10月底纳入管理" in row
    assert codes(browser.get(f"/tasks?plan={PLAN}&date=2023-11-15&status=overdue").text) == ["3"]
    assert codes(browser.get(f"/tasks?plan={PLAN}&date=2024-01-10&status=逾期").text) == ["3", "4"]
    assert codes(browser.get(f"/tasks?plan={PLAN}&date=2023-08-01&status=overdue").text) == []
    assert codes(browser.get(f"/tasks?plan={PLAN}&date=2023-11-15&unit=县医改办").text) == ["1", "2"]
    grouped = browser.get(f"/tasks?plan={PLAN}&date=2023-11-15&group=二、深化综合改革").text
    assert codes(grouped) == ["3", "4"] and "一、健全推进机制</th>" not in grouped
    today = browser.get("/tasks").text  # the only plan with a task list, as of today
    assert f'id="as-of">{dt.date.today().isoformat()}<' in today and codes(today) == ["1", "2", "3", "4"]
    assert browser.get("/tasks?status=late").status_code == 400
    english = browser.get("/lang/en?next=/tasks").text
    assert "Key task ledger" in english and "Overdue" in english
    browser.get("/lang/zh")


def test_the_api_list_is_the_cli_json(tasks_app: FastAPI, tasks_db: Database,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    api = login_factory(tasks_app)("viewer").get("/api/tasks", params={"plan": PLAN, "date": "2023-11-15"})
    assert api.status_code == 200
    assert main(["--database", tasks_db.url, "tasks", "status", "--date", "2023-11-15", "--format", "json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    assert api.json() == cli
    assert [(t["code"], t["status"], t["overdue"]) for t in cli["tasks"]] == [
        ("1", "continuing", False), ("2", "completed", False), ("3", "overdue", True), ("4", "not_started", False)]
    client = login_factory(tasks_app)("viewer")
    overdue = client.get("/api/tasks", params={"plan": PLAN, "date": "2024-01-10", "status": "overdue"}).json()
    assert [t["code"] for t in overdue["tasks"]] == ["3", "4"]
    assert client.get("/api/tasks", params={"plan": PLAN, "status": "late"}).status_code == 422
    assert client.get("/api/tasks", params={"plan": "nope"}).status_code == 404


def test_one_task_with_milestones_and_reports(tasks_app: FastAPI) -> None:
    client = login_factory(tasks_app)("viewer")
    body = client.get(f"/api/tasks/3?plan={PLAN}&date=2023-11-15").json()
    assert body["task"]["status"] == "overdue" and body["task"]["days_overdue"] == 15
    assert body["task"]["deadline"] == "2023-10-31" and body["task"]["percent"] == 60
    assert body["milestones"] == [{"title": "完成剥离", "due": "2023-08-31", "done_on": None, "overdue": True}]
    assert body["reports"] == [{"date": "2023-09-10", "percent": 60.0, "text": "资产清查进行中", "evidence": None,
                                "evidence_name": None, "reported_by": "test", "evidence_url": None}]
    two = client.get(f"/api/tasks/2?plan={PLAN}").json()["reports"][0]
    assert two["evidence"] == "医管委章程.pdf" and two["evidence_url"] is None  # a name, not a file the site keeps
    assert client.get(f"/api/tasks/99?plan={PLAN}").status_code == 404
    browser, _ = page_login(tasks_app, "viewer")
    page = browser.get(f"/tasks/3?plan={PLAN}&date=2023-11-15").text
    assert "完成剥离" in page and "资产清查进行中" in page and "已逾期 15 天" in page
    assert 'id="report-form"' not in page  # a viewer reads, never reports


def test_reporting_progress_with_evidence(database: Database, tmp_path: Path, evidence_dir: Path) -> None:
    build_web_region(database, {k: v for k, v in USERS.items() if k in ROLES})
    app = make_app(database)
    viewer, _ = page_login(app, "viewer")
    assert "还没有任何规划的任务清单" in viewer.get("/tasks").text
    assert login_factory(app)("viewer").get("/api/tasks").status_code == 404
    load_tasks(database, tmp_path)
    zz, _ = page_login(app, "zz")
    page = zz.get(f"/tasks/4?plan={PLAN}").text
    found = CSRF_FIELD.search(page)
    assert found is not None and 'id="report-form"' in page
    fields = {"plan": PLAN, "date": "2024-01-05", "percent": "100", "text": "平台已上线运行", "evidence": ""}
    scan = ("验收报告.pdf", b"%PDF-1.4 acceptance", "application/pdf")
    assert zz.post("/tasks/4/reports", data=fields, files={"file": scan}).status_code == 403  # no CSRF token
    done = zz.post("/tasks/4/reports", data={**fields, "csrf_token": found.group(1)}, files={"file": scan},
                   follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"/tasks/4?plan={PLAN}&msg=reported"
    shown = zz.get(done.headers["location"]).text
    assert "进展已报送" in shown and "平台已上线运行" in shown and "task-completed" in shown
    link = re.search(r'<a href="([^"]+)" class="evidence">验收报告.pdf</a>', shown)
    assert link is not None
    got = zz.get(link.group(1).replace("&", "&"))
    assert got.status_code == 200 and got.content == b"%PDF-1.4 acceptance"
    assert "attachment" in got.headers["content-disposition"]
    stored = list(evidence_dir.rglob("*.pdf"))
    assert [p.name for p in stored] == ["验收报告.pdf"] and stored[0].parent.parent.name == "4"
    assert evidence_dir.parent == data_dir(database)
    with database.sessions() as session:
        trail = audit.history(session, entity="task_progress", key=f"{PLAN}#4@2024-01-05")
    assert len(trail) == 1 and trail[0].user == "zz" and trail[0].action == "insert"
    assert json.loads(trail[0].new_value or "{}")["evidence_path"] == str(stored[0])
    status = login_factory(app)("viewer").get("/api/tasks", params={"plan": PLAN, "date": "2024-01-10"}).json()
    assert [t["status"] for t in status["tasks"] if t["code"] == "4"] == ["completed"]
    # a wrong form writes nothing, not even the file
    bad = zz.post("/tasks/3/reports", data={**fields, "percent": "150", "csrf_token": found.group(1)},
                  files={"file": ("x.pdf", b"x", "application/pdf")})
    assert bad.status_code == 422 and "发现错误，未写入任何数据" in bad.text and 'value="150"' in bad.text
    future = zz.post("/tasks/3/reports", data={**fields, "date": "2999-01-01", "csrf_token": found.group(1)})
    assert future.status_code == 422 and "晚于今天" in future.text
    assert list(evidence_dir.rglob("*.pdf")) == stored
    with database.sessions() as session:
        assert len(audit.history(session, entity="task_progress")) == 4  # three loaded + zz's
    # others: 高平市's editor is outside 泽州县, a viewer may not report
    gp, _ = page_login(app, "gp")
    gp_token = CSRF_FIELD.search(gp.get(f"/tasks/4?plan={PLAN}").text)
    assert gp_token is not None
    assert gp.post("/tasks/3/reports", data={**fields, "csrf_token": gp_token.group(1)}).status_code == 403
    viewer_token = CSRF_FIELD.search(viewer.get(f"/tasks/3?plan={PLAN}").text)
    assert viewer_token is not None
    assert viewer.post("/tasks/3/reports", data={**fields, "csrf_token": viewer_token.group(1)}).status_code == 403


def test_the_api_reports_with_a_token(database: Database, tmp_path: Path, evidence_dir: Path) -> None:
    build_web_region(database, {k: v for k, v in USERS.items() if k in ROLES})
    load_tasks(database, tmp_path)
    app = make_app(database)
    with database.transaction() as session:
        secret = create_token(session, get_user(session, "zz"), "script", "zz")[1]
    script = TestClient(app, base_url="http://127.0.0.1", headers={"Authorization": f"Bearer {secret}"})
    made = script.post(f"/api/tasks/3/reports?plan={PLAN}", data={"date": "2023-11-20", "percent": "100",
                                                                   "text": "已纳入统一管理"},
                       files={"file": ("批复.docx", b"docx-bytes", "application/octet-stream")})
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["changes"] == {"inserted": 1, "updated": 0, "unchanged": 0}
    assert body["task"]["status"] == "completed" and body["task"]["completed_on"] == "2023-11-20"
    assert body["reports"][-1]["evidence_name"] == "批复.docx"
    assert script.get(body["reports"][-1]["evidence_url"]).content == b"docx-bytes"
    again = script.post(f"/api/tasks/3/reports?plan={PLAN}", data={"date": "2023-11-20", "percent": "100",
                                                                    "text": "已纳入统一管理"})
    assert again.json()["changes"] == {"inserted": 0, "updated": 1, "unchanged": 0}  # same day: replaced
    assert again.json()["reports"][-1]["evidence_url"] is None
    assert script.post(f"/api/tasks/3/reports?plan={PLAN}", data={"date": "2023-11-20",
                                                                  "percent": "101"}).status_code == 422
    cookie = login_factory(app)("zz")
    del cookie.headers["X-CSRF-Token"]
    assert cookie.post(f"/api/tasks/3/reports?plan={PLAN}", data={"date": "2023-11-21",
                                                                  "percent": "10"}).status_code == 403
    assert login_factory(app)("viewer").post(f"/api/tasks/3/reports?plan={PLAN}", data={
        "date": "2023-11-21", "percent": "10"}).status_code == 403
    assert script.get(f"/api/tasks/2/reports/2023-08-25/evidence?plan={PLAN}").status_code == 404  # a name only


def test_the_quarterly_bulletin_and_its_documents(tasks_app: FastAPI, tasks_db: Database,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    browser, _ = page_login(tasks_app, "admin")
    html = browser.get(f"/tasks/bulletin?plan={PLAN}&quarter=2023Q4").text
    assert "2023年第四季度重点工作任务推进情况通报" in html
    unit = html[html.index('<tr data-unit="县卫体局">'):]
    unit = unit[:unit.index("</tr>")]
    cells = re.findall(r'<td class="num">([^<]*)</td>', unit)
    assert cells[:6] == ["3", "2", "0", "0", "2", "0"]  # tasks, due, on time, late, overdue, continuing
    assert "完成医疗集团资产剥离" not in unit and "理顺运行机制（陈喜）" in unit and "推进信息化（孙宁）" in unit
    assert 'href="/api/tasks/bulletin.docx?plan=zz-reform&quarter=2023Q4"' in html
    api = browser.get(f"/api/tasks/bulletin?plan={PLAN}&quarter=2023Q4").json()
    assert main(["--database", tasks_db.url, "tasks", "bulletin", "--quarter", "2023Q4", "--format", "json"]) == 0
    assert api == json.loads(capsys.readouterr().out)
    docx = browser.get(f"/api/tasks/bulletin.docx?plan={PLAN}&quarter=2023Q4")
    assert docx.status_code == 200 and docx.headers["content-type"].endswith("wordprocessingml.document")
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "2023年第四季度重点工作任务推进情况通报" in text and "逾期未完成任务" in text
    xlsx = browser.get(f"/api/tasks/bulletin.xlsx?plan={PLAN}&quarter=2023Q4")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["责任单位汇总", "任务清单", "逾期任务", "阶段节点"]
    assert [row[0] for row in book["逾期任务"].iter_rows(min_row=4, values_only=True)] == ["3", "4"]
    assert browser.get(f"/api/tasks/bulletin?plan={PLAN}&quarter=2023-10").status_code == 400
    viewer, _ = page_login(tasks_app, "viewer")
    assert "bulletin.docx" not in viewer.get(f"/tasks/bulletin?plan={PLAN}&quarter=2023Q4").text
    assert viewer.get(f"/api/tasks/bulletin.docx?plan={PLAN}&quarter=2023Q4").status_code == 403


def test_the_task_endpoints_are_in_the_openapi_schema(tasks_app: FastAPI) -> None:
    paths = login_factory(tasks_app)("viewer").get("/api/openapi.json").json()["paths"]
    assert {"/api/tasks", "/api/tasks/bulletin", "/api/tasks/bulletin.{fmt}", "/api/tasks/monitor",
            "/api/tasks/monitor.{fmt}", "/api/tasks/yearly", "/api/tasks/yearly.{fmt}", "/api/tasks/{task}",
            "/api/tasks/{task}/reports", "/api/tasks/{task}/reports/{day}/evidence"} <= set(paths)
    assert "multipart/form-data" in paths["/api/tasks/{task}/reports"]["post"]["requestBody"]["content"]


def test_the_monthly_list_and_its_documents(tasks_app: FastAPI, tasks_db: Database,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    browser, _ = page_login(tasks_app, "zz")
    html = browser.get(f"/tasks/monitor?plan={PLAN}&month=202311").text
    assert "2023年11月重点工作任务监控清单" in html and "统计截至 2023-11-30" in html
    tabs = html[html.index('id="document-tabs"'):html.index("</nav>", html.index('id="document-tabs"'))]
    assert re.findall(r'href="([^"]+)" data-document="(\w+)"', tabs) == [
        (f"/tasks?plan={PLAN}&date=2023-11-30", "ledger"), (f"/tasks/monitor?plan={PLAN}&month=202311", "monitor"),
        (f"/tasks/bulletin?plan={PLAN}&quarter=2023Q4", "bulletin"), (f"/tasks/yearly?plan={PLAN}&year=2023", "yearly")]
    assert 'data-document="monitor" class="active"' in tabs
    table = html[html.index('id="monitor-tasks"'):html.index("</table>", html.index('id="monitor-tasks"'))]
    assert codes(table) == ["1", "2", "3", "4"]
    assert re.findall(r'<tr class="group"><th colspan="8">([^<]+)</th>', table) == ["一、健全推进机制", "二、深化综合改革"]
    rows = {code: table[table.index(f'<tr data-code="{code}"'):] for code in "1234"}
    rows = {code: row[:row.index("</tr>")] for code, row in rows.items()}
    assert [re.search(r'data-status="(\w+)"', rows[c]).group(1) for c in "1234"] == [  # type: ignore[union-attr]
        "continuing", "completed", "overdue", "not_started"]
    assert "31 天" in rows["3"] and "60%" in rows["3"] and "2023-09-10 资产清查进行中" in rows["3"]  # due 10-31
    assert "2023-10-12 常务会议研究1次" in rows["1"] and "尚未报送进展" in rows["4"]
    milestones = html[html.index('id="bulletin-milestones"'):]
    assert '<tr data-task="3">' in milestones and "完成剥离" in milestones and "task-overdue" in milestones
    assert re.findall(r'<li data-code="(\w+)">', html) == ["4"]  # due in December
    assert 'href="/api/tasks/monitor.xlsx?plan=zz-reform&month=202311"' in html
    api = browser.get(f"/api/tasks/monitor?plan={PLAN}&month=202311").json()
    assert main(["--database", tasks_db.url, "tasks", "monitor", "--month", "202311", "--format", "json"]) == 0
    assert api == json.loads(capsys.readouterr().out)
    assert api["summary"] == {"not_started": 1, "in_progress": 0, "completed": 1, "overdue": 1, "continuing": 1,
                              "total": 4, "due": 0, "on_time": 0}
    docx = browser.get(f"/api/tasks/monitor.docx?plan={PLAN}&month=202311")
    assert docx.status_code == 200 and docx.headers["content-type"].endswith("wordprocessingml.document")
    assert "2023%E5%B9%B411%E6%9C%88" in docx.headers["content-disposition"]  # 2023年11月… as the file name
    document = Document(io.BytesIO(docx.content))
    assert "2023年11月重点工作任务监控清单" in "\n".join(p.text for p in document.paragraphs)
    listed = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert [row[0] for row in listed[1:]] == ["1", "2", "3", "4"] and listed[3][5] == "逾期（31天）"
    xlsx = browser.get(f"/api/tasks/monitor.xlsx?plan={PLAN}&month=202311")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["责任单位汇总", "任务清单", "逾期任务", "阶段节点"]
    statuses = [(row[0], row[9]) for row in book["任务清单"].iter_rows(min_row=4, values_only=True)]
    assert statuses == [("1", "持续推进"), ("2", "已完成"), ("3", "逾期"), ("4", "未启动")]
    viewer, _ = page_login(tasks_app, "viewer")
    assert "monitor.docx" not in viewer.get(f"/tasks/monitor?plan={PLAN}&month=202311").text
    assert viewer.get(f"/api/tasks/monitor.docx?plan={PLAN}&month=202311").status_code == 403
    analyst = login_factory(tasks_app)("analyst")
    assert analyst.get(f"/api/tasks/monitor.xlsx?plan={PLAN}&month=202311").status_code == 200


def test_the_yearly_table_and_its_documents(database: Database, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    build_web_region(database, {k: v for k, v in USERS.items() if k in ROLES})
    load_tasks(database, tmp_path)
    add_reports(database, PLAN, [report("3", dt.date(2023, 11, 20), 100, "已纳入统一管理", "", "test")], "test")
    app = make_app(database)
    browser, _ = page_login(app, "admin")
    html = browser.get(f"/tasks/yearly?plan={PLAN}&year=2023").text
    assert "2023年度重点工作任务考核表" in html and 'data-document="yearly" class="active"' in html

    def unit_row(unit: str) -> list[str]:
        row = html[html.index(f'<tr data-unit="{unit}">'):]
        return re.findall(r'<td class="num[^"]*"[^>]*>([^<]*)</td>', row[:row.index("</tr>")])

    # tasks, due, on time, late, overdue, continuing, completed, on-time rate, completion rate — by hand: 县卫体局
    # has 2 (due 08-31, done 08-25), 3 (due 10-31, done 11-20: late) and 4 (due 12-31, never reported)
    assert unit_row("县卫体局") == ["3", "3", "1", "1", "1", "0", "2", "33.3%", "66.7%"]
    assert unit_row("县医改办") == ["2", "1", "1", "0", "0", "1", "1", "100%", "100%"]
    assert "按时完成率 = 按时完成任务数 ÷ 本年度到期任务数" in html
    assert 'id="monitor-tasks"' not in html and "下期到期任务" not in html
    api = browser.get(f"/api/tasks/yearly?plan={PLAN}&year=2023").json()
    assert main(["--database", database.url, "tasks", "yearly", "--year", "2023", "--format", "json"]) == 0
    assert api == json.loads(capsys.readouterr().out)
    health = next(u for u in api["units"] if u["unit"] == "县卫体局")
    assert health["late_tasks"] == ["3"] and health["overdue_tasks"] == ["4"]
    assert (health["on_time_rate"], health["completion_rate"]) == (pytest.approx(1 / 3), pytest.approx(2 / 3))
    docx = browser.get(f"/api/tasks/yearly.docx?plan={PLAN}&year=2023")
    document = Document(io.BytesIO(docx.content))
    assert "2023年度重点工作任务考核表" in "\n".join(p.text for p in document.paragraphs)
    table = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert table[0][-2:] == ["按时完成率", "完成率"]
    assert next(row for row in table if row[0] == "县卫体局")[-2:] == ["33.3%", "66.7%"]
    xlsx = browser.get(f"/api/tasks/yearly.xlsx?plan={PLAN}&year=2023")
    assert xlsx.headers["content-type"].endswith("spreadsheetml.sheet")
    units = list(load_workbook(io.BytesIO(xlsx.content))["责任单位汇总"].iter_rows(min_row=4, values_only=True))
    assert [(row[0], row[8], row[9]) for row in units] == [("县医改办", 100.0, 100.0), ("县卫体局", 33.3, 66.7)]
    viewer = login_factory(app)("viewer")
    assert viewer.get(f"/api/tasks/yearly.xlsx?plan={PLAN}&year=2023").status_code == 403
    assert viewer.get(f"/api/tasks/yearly?plan={PLAN}&year=2023").json() == api
    english = browser.get("/lang/en?next=" + quote(f"/tasks/yearly?plan={PLAN}&year=2023")).text
    assert "Yearly assessment" in english and "On-time rate" in english
    browser.get("/lang/zh")


def test_a_wrong_month_or_year_is_a_bilingual_400(tasks_app: FastAPI) -> None:
    client = login_factory(tasks_app)("viewer")
    for path, query, zh, en in (
            ("monitor", "month=2023-11", "月监控的月份写作 202311", "a month is written 202311"),
            ("monitor", "month=2023Q4", "不是月度期间", "is not a month period"),
            ("yearly", "year=2023Q4", "不是年度期间", "is not a year period"),
            ("yearly", "year=23", "年考核的年度写作 2023", "a year is written 2023"),
            ("yearly", "year=2200", "超出可用范围", "is out of range"),
            ("bulletin", "quarter=2023", "不是季度期间", "is not a quarter period")):
        answer = client.get(f"/api/tasks/{path}?plan={PLAN}&{query}")
        assert answer.status_code == 400, (path, query)
        error = answer.json()["error"]
        assert zh in error["zh"] and en in error["en"], error
    assert client.get(f"/api/tasks/yearly?plan={PLAN}").status_code == 422  # the year is required
    admin = login_factory(tasks_app)("admin")
    assert admin.get(f"/api/tasks/monitor.pdf?plan={PLAN}&month=202311").status_code == 422
    assert admin.get(f"/api/tasks/yearly.docx?plan={PLAN}&year=x").json()["error"]["en"].startswith("invalid period")
    browser, _ = page_login(tasks_app, "viewer")
    page = browser.get(f"/tasks/monitor?plan={PLAN}&month=2023-11")
    assert page.status_code == 400 and "月监控的月份写作 202311" in page.text
    english = browser.get("/lang/en?next=" + quote(f"/tasks/yearly?plan={PLAN}&year=abc"))
    assert english.status_code == 400 and "a year is written 2023" in english.text
    browser.get("/lang/zh")


def test_the_ledger_links_to_the_three_documents(tasks_app: FastAPI) -> None:
    browser, _ = page_login(tasks_app, "viewer")
    html = browser.get(f"/tasks?plan={PLAN}&date=2023-11-15").text
    links = dict((name, href) for href, name in re.findall(r'href="([^"]+)" data-document="(\w+)"', html))
    assert links == {"ledger": f"/tasks?plan={PLAN}&date=2023-11-15",  # the last closed periods
                     "monitor": f"/tasks/monitor?plan={PLAN}&month=202310",
                     "bulletin": f"/tasks/bulletin?plan={PLAN}&quarter=2023Q3",
                     "yearly": f"/tasks/yearly?plan={PLAN}&year=2022"}
    assert 'data-document="ledger" class="active"' in html
    for name, href in links.items():
        assert browser.get(href).status_code == 200, name
    default = browser.get("/tasks/yearly").text  # the only plan, the last closed year
    assert f"{dt.date.today().year - 1}年度重点工作任务考核表" in default


def test_periods_offered_for_the_documents(tasks_db: Database) -> None:
    assert task_ledger.last_closed(PeriodType.QUARTER, dt.date(2024, 1, 10)) == "2023Q4"
    assert task_ledger.last_closed(PeriodType.QUARTER, dt.date(2024, 5, 1)) == "2024Q1"
    assert task_ledger.last_closed(PeriodType.MONTH, dt.date(2024, 1, 10)) == "202312"
    assert task_ledger.last_closed(PeriodType.YEAR, dt.date(2024, 1, 10)) == "2023"
    ledger = load_ledger(tasks_db, PLAN)  # its first date: the report of 2023-08-25
    assert task_ledger.periods(ledger, PeriodType.MONTH, dt.date(2023, 10, 15)) == ["202310", "202309", "202308"]
    assert task_ledger.periods(ledger, PeriodType.QUARTER, dt.date(2024, 2, 1)) == ["2024Q1", "2023Q4", "2023Q3"]
    assert task_ledger.periods(ledger, PeriodType.YEAR, dt.date(2025, 6, 1)) == ["2025", "2024", "2023"]
