"""The task ledger in a real browser (Debian's Chromium through Playwright, as ``test_web_browser``): 泽州县's
editor opens 任务, filters to 逾期, opens an overdue task and reports it done with an evidence file; the task
leaves the overdue list. Screenshots go to a temporary folder (or ``$HEALTHPLAN_SCREENSHOTS``)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from healthplan.store.database import Database
from healthplan.store.setup import initialise
from healthplan.web import demo
from tests.web.test_web_browser import CHROMIUM, Site, _free_port, browser, log_in
from tests.web.test_web_tasks import PLAN, load_tasks
from tests.web.web_region import build_web_region

__all__ = ["browser"]  # the Chromium fixture, shared with the other browser tests

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="apt-get install chromium fonts-noto-cjk")


@pytest.fixture(scope="module")
def tasks_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """``healthplan serve`` over the small region with the demo users and 泽州县's four tasks."""
    folder = tmp_path_factory.mktemp("tasks-site")
    db = Database(f"sqlite:///{folder / 'site.db'}")
    initialise(db)
    build_web_region(db, users={})
    for step in demo.steps(("jincheng",)):
        step.run(db, "demo")
    load_tasks(db, folder)
    db.dispose()
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "HEALTHPLAN_DATA_DIR"}
    server = subprocess.Popen([sys.executable, "-m", "healthplan.cli", "--database", db.url, "serve", "--host",
                               "127.0.0.1", "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, env={**env, "COLUMNS": "200"})
    url = f"http://127.0.0.1:{port}"
    printed = ""
    try:
        assert server.stdout is not None
        while "jc_viewer" not in printed:
            line = server.stdout.readline()
            assert line, f"server ended early:\n{printed}"
            printed += line
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/login", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        found = re.search(r"password: (demo-\S+?)）", printed)
        assert found is not None, printed
        shots = Path(os.environ.get("HEALTHPLAN_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
        shots.mkdir(parents=True, exist_ok=True)
        yield Site(url, found.group(1), shots)
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_filter_to_overdue_and_report_progress(browser: object, tasks_site: Site, tmp_path: Path) -> None:
    from playwright.sync_api import Page, expect

    page = log_in(browser, tasks_site, "zz_editor")
    assert isinstance(page, Page)
    page.click("header nav a:has-text('任务')")
    page.wait_for_url(re.compile(r"/tasks$"))
    expect(page.locator("main h1")).to_have_text("重点工作任务台账")
    expect(page.locator("#task-table tbody tr[data-code]")).to_have_count(4)
    expect(page.locator("#task-table tr.group th")).to_have_text(["一、健全推进机制", "二、深化综合改革"])
    page.select_option("#filter-status", "overdue")
    page.click("#apply-filters")
    page.wait_for_url(re.compile(r"status=overdue"))
    rows = page.locator("#task-table tbody tr[data-code]")
    expect(rows).to_have_count(2)  # 3 (due 2023-10-31) and 4 (due 2023-12-31) are past their deadlines
    expect(page.locator("#task-table tr[data-code='4'] .badge")).to_have_text("逾期")
    page.screenshot(path=str(tasks_site.shots / "11-tasks-overdue.png"), full_page=True)
    page.click("#task-table tr[data-code='4'] td a")
    page.wait_for_url(re.compile(rf"/tasks/4\?plan={PLAN}"))
    expect(page.locator("#task-status")).to_have_text("逾期")
    evidence = tmp_path / "平台验收报告.pdf"
    evidence.write_bytes(b"%PDF-1.4 acceptance report")
    page.fill("#report-percent", "100")
    page.fill("#report-text", "县域全民健康信息平台已通过验收并上线运行。")
    page.set_input_files("#report-file", str(evidence))
    page.click("#report-submit")
    expect(page.locator(".alert.ok")).to_contain_text("进展已报送")
    expect(page.locator("#task-status")).to_have_text("已完成")
    expect(page.locator("#reports tbody tr").first).to_contain_text("县域全民健康信息平台已通过验收")
    expect(page.locator("#reports a.evidence")).to_have_text("平台验收报告.pdf")
    page.screenshot(path=str(tasks_site.shots / "12-task-reported.png"), full_page=True)
    page.goto(f"{tasks_site.url}/tasks?status=overdue")
    expect(page.locator("#task-table tbody tr[data-code]")).to_have_count(1)
    expect(page.locator("#task-counts a[data-status=completed] strong")).to_have_text("2")
