"""The front-end libraries shipped in the package are exactly the npm releases VENDOR.md names (by sha256)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import healthplan.web

VENDOR = Path(healthplan.web.__file__).parent / "static" / "vendor"
ROW = re.compile(r"^\| `(?P<file>[^`*]+)` \| (?P<package>[^|]+) \| [^|]+ \| `(?P<sha>[0-9a-f]{16})…` \|$")


def test_every_vendored_file_matches_its_recorded_checksum() -> None:
    rows = [m for line in (VENDOR / "VENDOR.md").read_text(encoding="utf-8").splitlines()
            if (m := ROW.match(line))]
    assert {m["file"] for m in rows} >= {"echarts/echarts.min.js", "leaflet/leaflet.js", "htmx/htmx.min.js",
                                        "swagger-ui/swagger-ui-bundle.js", "swagger-ui/swagger-ui.css"}
    for m in rows:
        digest = hashlib.sha256((VENDOR / m["file"]).read_bytes()).hexdigest()
        assert digest.startswith(m["sha"]), (m["file"], m["package"].strip(), digest[:16])
    for folder in {m["file"].split("/")[0] for m in rows}:
        assert (VENDOR / folder / "LICENSE").is_file(), folder
