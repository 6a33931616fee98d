"""The site in a real browser: Debian's Chromium driven by Playwright against ``healthplan serve`` on 127.0.0.1.

Logs in with the login ``healthplan serve`` prints for the demo users, opens the overview, sees the county map
drawn (six county shapes in the SVG), enters a value that breaks a rule and sees the message, submits, has the
city approve, and sees 泽州县's editor refused 高平市's unapproved data. Screenshots go to a temporary folder
(or to ``$HEALTHPLAN_SCREENSHOTS``) for a person to look at.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.web.served import NEEDS_CHROMIUM, Site, log_in, served_site
from tests.web.web_region import GAOPING, PLAN, ZEZHOU, hospital

pytestmark = NEEDS_CHROMIUM


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with served_site(tmp_path_factory, "site") as served:
        assert f"{served.url}/" in served.printed
        yield served


def test_overview_and_the_county_map(browser: object, site: Site) -> None:
    from playwright.sync_api import Page, expect

    page = log_in(browser, site, "jc_admin")
    assert isinstance(page, Page)
    expect(page.locator("main h1")).to_have_text("晋城测试规划")
    expect(page.locator("a.card.target")).to_have_count(3)
    expect(page.locator(".spark svg path").first).to_be_visible()  # sparklines drawn by ECharts
    page.screenshot(path=str(site.shots / "01-overview.png"), full_page=True)
    page.locator("a.card.target[data-indicator=beds_per_1000]").click()
    page.wait_for_url(re.compile(r"/indicators\?code=beds_per_1000"))
    counties = page.locator("#map svg path.county")
    expect(counties).to_have_count(6)
    classes = counties.evaluate_all("els => els.map(e => e.getAttribute('class'))")
    codes = sorted(re.search(r"county-(\d+)", c).group(1) for c in classes)  # type: ignore[union-attr]
    assert codes == ["140502", "140521", "140522", "140524", "140525", "140581"]
    expect(page.locator("#trend svg")).to_be_visible()
    value_header = page.locator("#area-table thead th").nth(2)
    value_header.click()
    value_header.click()  # descending
    first = page.locator("#area-table tbody tr").first.locator("td").nth(1)
    expect(first).to_have_text("城区")  # the smallest population, so the most beds per 1,000
    page.screenshot(path=str(site.shots / "02-indicator-map.png"), full_page=True)
    page.click("text=English")
    expect(page.locator("header nav a").first).to_have_text("Overview")
    page.click("text=中文")


def test_entry_with_a_rule_error_then_submit_and_approve(browser: object, site: Site) -> None:
    from playwright.sync_api import Page, expect

    editor = log_in(browser, site, "zz_editor")
    assert isinstance(editor, Page)
    editor.goto(f"{site.url}/data?data_set=resources_yearly&org_unit={hospital(ZEZHOU)}&period=2024")
    expect(editor.locator("#entry-panel h1")).to_contain_text("泽州县人民医院")
    editor.fill("#f-beds-negative_pressure", "99")
    editor.press("#f-beds-negative_pressure", "Tab")  # a change: HTMX asks the server to check the form
    message = editor.locator("#checks li.error")
    expect(message).to_contain_text("负压病床 ≤ 传染病床位：99 ≤ 44 不成立")
    expect(editor.locator("#err-f-beds-negative_pressure")).to_contain_text("负压病床")
    editor.screenshot(path=str(site.shots / "03-entry-rule-error.png"), full_page=True)
    editor.click("#save")
    expect(editor.locator("#save-errors")).to_contain_text("发现错误，未写入任何数据")
    editor.fill("#f-beds-negative_pressure", "6")
    editor.click("#save")
    expect(editor.locator(".alert.ok")).to_contain_text("已保存")
    editor.goto(f"{site.url}/data/approval?data_set=resources_yearly&period=2024")
    editor.click(f"tr[data-unit='{ZEZHOU}'] button[data-action=submit]")
    expect(editor.locator(f"tr[data-unit='{ZEZHOU}']")).to_contain_text("已上报")
    editor.screenshot(path=str(site.shots / "04-submitted.png"), full_page=True)
    planner = log_in(browser, site, "jc_admin")
    assert isinstance(planner, Page)
    planner.goto(f"{site.url}/data/approval?data_set=resources_yearly&period=2024")
    planner.click(f"tr[data-unit='{ZEZHOU}'] button[data-action=approve]")
    expect(planner.locator("#approval-message")).to_contain_text("已审核通过")
    expect(planner.locator(f"tr[data-unit='{ZEZHOU}']")).to_contain_text("已审核")
    planner.screenshot(path=str(site.shots / "05-approved.png"), full_page=True)
    editor.goto(f"{site.url}/data?data_set=resources_yearly&org_unit={hospital(ZEZHOU)}&period=2024")
    expect(editor.locator("#entry-panel")).to_contain_text("已锁定")
    expect(editor.locator("#f-beds-negative_pressure")).to_have_value("6")
    expect(editor.locator("#f-beds-negative_pressure")).to_be_disabled()


def test_an_editor_is_refused_another_countys_unapproved_data(browser: object, site: Site) -> None:
    from playwright.sync_api import Page, expect

    page = log_in(browser, site, "zz_editor")
    assert isinstance(page, Page)
    response = page.goto(f"{site.url}/data?data_set=resources_yearly&org_unit={hospital(GAOPING)}&period=2024")
    assert response is not None and response.status == 403
    expect(page.locator(".alert.error")).to_contain_text("尚未审核，您无权查看")
    page.screenshot(path=str(site.shots / "06-denied-form.png"), full_page=True)
    response = page.goto(f"{site.url}/indicators?code=beds_per_1000&area=140500&year=2024")
    assert response is not None and response.status == 200
    expect(page.locator("#area-table tr.withheld")).to_contain_text("未公开")
    expect(page.locator("#map svg path.county")).to_have_count(6)
    page.screenshot(path=str(site.shots / "07-city-map-withheld.png"), full_page=True)
    response = page.goto(f"{site.url}/overview?plan={PLAN}&year=2024")
    assert response is not None and response.status == 403


def test_api_docs_render_from_the_vendored_swagger_ui(browser: object, site: Site) -> None:
    """/api/docs draws the OpenAPI operations with the Swagger UI bundle shipped in the package, offline."""
    from playwright.sync_api import Browser, Request, expect

    assert isinstance(browser, Browser)
    page = browser.new_context(locale="zh-CN").new_page()
    requested: list[str] = []

    def note(request: Request) -> None:
        requested.append(request.url)

    page.on("request", note)
    page.goto(f"{site.url}/api/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("healthplan API")
    expect(page.locator(".swagger-ui .opblock-summary-path[data-path='/api/me']").first).to_be_visible()
    assert page.locator(".swagger-ui .opblock").count() > 20
    assert all(url.startswith(site.url) for url in requested), [u for u in requested if not u.startswith(site.url)]
    page.screenshot(path=str(site.shots / "05-api-docs.png"))
