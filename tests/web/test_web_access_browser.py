"""The 可及性 map in a real browser: Debian's Chromium (Playwright) against ``healthplan serve`` on 127.0.0.1.

Opens /access for the small 晋城, sees the six county polygons, the demand points and the proposed sites, and
changes "建议新增 N 个站点" — the map and the figures follow. Screenshots go to a temporary folder (or to
``$HEALTHPLAN_SCREENSHOTS``) for a person to look at.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.web.served import NEEDS_CHROMIUM, Site, log_in, served_site
from tests.web.test_web_access import TOWNSHIPS, add_access_data
from tests.web.web_region import COUNTIES

pytestmark = NEEDS_CHROMIUM


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The small 晋城 with township seats and an emergency center, the demo users, served on a free port."""
    with served_site(tmp_path_factory, "access-site", lambda db, _: add_access_data(db)) as served:
        yield served


def test_access_map_and_changing_n(browser: object, site: Site) -> None:
    from playwright.sync_api import Page, expect

    page = log_in(browser, site, "jc_admin")
    assert isinstance(page, Page)
    page.goto(f"{site.url}/access?area=140500&standard=emergency")
    counties = page.locator("#access-map svg path.county")
    expect(counties).to_have_count(len(COUNTIES))
    classes = counties.evaluate_all("els => els.map(e => e.getAttribute('class'))")
    assert sorted(re.search(r"county-(\d+)", c).group(1) for c in classes) == sorted(COUNTIES)  # type: ignore[union-attr]
    expect(page.locator("#access-map svg path.demand")).to_have_count(len(TOWNSHIPS))
    expect(page.locator("#access-map .leaflet-marker-icon.proposed")).to_have_count(3)
    expect(page.locator("#proposed-list li")).to_have_count(3)
    expect(page.locator("#distance-note")).to_contain_text("直线距离 × 绕行系数")
    before = page.locator('#coverage-table tr.total td.after').inner_text()
    page.screenshot(path=str(site.shots / "access-3.png"), full_page=True)
    page.select_option("#new-sites", "1")
    expect(page.locator("#access-map")).to_have_attribute("data-proposed", "1")
    expect(page.locator("#access-map .leaflet-marker-icon.proposed")).to_have_count(1)
    expect(page.locator("#proposed-list li")).to_have_count(1)
    expect(page.locator('#proposal-summary [data-f="count"]')).to_have_text("1")
    after = page.locator('#coverage-table tr.total td.after').inner_text()
    assert float(after) < float(before)  # one new site covers fewer people than three
    assert page.url.endswith("new=1")
    page.screenshot(path=str(site.shots / "access-1.png"), full_page=True)
