"""A demo site served by ``healthplan serve`` on 127.0.0.1 for the browser tests, and Debian's Chromium.

Each browser test module builds its database (the small region, the demo users, whatever it adds), then
:func:`served_site` starts the real server process on a free port, reads the demo login it prints, waits for
the login page and stops the server afterwards. Screenshots go to a temporary folder (or to
``$HEALTHPLAN_SCREENSHOTS``) for a person to look at.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from healthplan.store.database import Database
from healthplan.store.setup import initialise
from healthplan.web import demo
from tests.web.web_region import build_web_region

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update"]
NEEDS_CHROMIUM = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="apt-get install chromium fonts-noto-cjk")


@dataclass
class Site:
    url: str
    password: str
    shots: Path
    printed: str  # what ``healthplan serve`` printed on start


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served_site(tmp_path_factory: pytest.TempPathFactory, name: str,
                prepare: Callable[[Database, Path], None] | None = None) -> Iterator[Site]:
    """The small 晋城 (plus ``prepare(db, folder)``) with the demo users, served until the block ends."""
    folder = tmp_path_factory.mktemp(name)
    db = Database(f"sqlite:///{folder / 'site.db'}")
    initialise(db)
    build_web_region(db, users={})
    for step in demo.steps(("jincheng",)):
        step.run(db, "demo")
    if prepare is not None:
        prepare(db, folder)
    db.dispose()
    port = free_port()
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
        yield Site(url, found.group(1), shots, printed)
    finally:
        server.terminate()
        server.wait(timeout=20)


@contextmanager
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


def log_in(browser: object, site: Site, username: str) -> object:
    """A new page logged in as ``username`` (a demo user), on the overview."""
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    page = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN").new_page()
    page.goto(f"{site.url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", site.password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/overview$"))
    expect(page.locator("header .who")).to_be_visible()
    return page
