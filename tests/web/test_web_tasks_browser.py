"""The task ledger in a real browser (Debian's Chromium through Playwright, as ``test_web_browser``): 泽州县's
editor opens 任务, filters to 逾期, opens an overdue task and reports it done with an evidence file; the task
leaves the overdue list, yet stays overdue in the 年考核 of 2023 and its December 月监控. Screenshots go to a
temporary folder (or ``$HEALTHPLAN_SCREENSHOTS``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.served import NEEDS_CHROMIUM, Site, log_in, served_site
from tests.web.test_web_tasks import PLAN, load_tasks

pytestmark = NEEDS_CHROMIUM


@pytest.fixture(scope="module")
def tasks_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """``healthplan serve`` over the small region with the demo users and 泽州县's four tasks."""
    with served_site(tmp_path_factory, "tasks-site", load_tasks) as served:
        yield served


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
    # the 年考核 of 2023 still counts task 4 as overdue (done only now); its 月监控 of December lists it so
    page.click("#document-tabs a[data-document=yearly]")
    page.wait_for_url(re.compile(rf"/tasks/yearly\?plan={PLAN}&year=\d{{4}}$"))
    page.select_option("#period", "2023")
    page.click("#show-period")
    expect(page.locator("#bulletin-title")).to_have_text("2023年度重点工作任务考核表")
    unit = page.locator("#bulletin-units tr[data-unit='县卫体局']")
    expect(unit.locator("td[data-rate]")).to_have_text(["33.3%", "33.3%"])
    page.screenshot(path=str(tasks_site.shots / "13-tasks-yearly.png"), full_page=True)
    page.click("#document-tabs a[data-document=monitor]")
    page.wait_for_url(re.compile(r"/tasks/monitor\?.*month=202312"))
    expect(page.locator("#monitor-tasks tr[data-code='4'] .badge")).to_have_text("逾期")
