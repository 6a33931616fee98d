"""Area boundaries for the maps: the GeoJSON shipped with the demo regions (WGS84), served as they are, so
the choropleth needs no tile server and works offline."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from healthplan.demo.build import REGIONS, data_dir


@cache
def _features() -> dict[str, dict[str, Any]]:
    """Every shipped boundary by area code."""
    found: dict[str, dict[str, Any]] = {}
    for region in REGIONS:
        path = data_dir(region) / "boundaries.geojson"
        if path.exists():
            for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
                found[str(feature["properties"]["code"])] = feature
    return found


def feature_collection(codes: list[str]) -> dict[str, Any]:
    """The boundaries of ``codes`` that are known (areas without one are left out)."""
    features = _features()
    return {"type": "FeatureCollection", "features": [features[c] for c in codes if c in features]}
