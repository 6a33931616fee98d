"""The 可及性 map in a real browser: Debian's Chromium (Playwright) against ``healthplan serve`` on 127.0.0.1.

Opens /access for the small 晋城, sees the six county polygons, the demand points and the proposed sites, and
changes "建议新增 N 个站点" — the map and the figures follow. Screenshots go to a temporary folder (or to
``$HEALTHPLAN_SCREENSHOTS``) for a person to look at.
"""

from __future__ import annotations

import os
import re
import socket
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
from tests.web.test_web_access import TOWNSHIPS, add_access_data
from tests.web.test_web_browser import CHROMIUM, Site, browser, log_in
from tests.web.web_region import COUNTIES, build_web_region

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="apt-get install chromium fonts-noto-cjk")
__all__ = ["browser"]  # the Chromium fixture of the main browser test, shared


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The small 晋城 with township seats and an emergency center, the demo users, served on a free port."""
    folder = tmp_path_factory.mktemp("access-site")
    db = Database(f"sqlite:///{folder / 'site.db'}")
    initialise(db)
    build_web_region(db, users={})
    add_access_data(db)
    for step in demo.steps(("jincheng",)):
        step.run(db, "demo")
    db.dispose()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
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
