"""FHIR R4 (IHE mCSD) facility registry: the Bundle's content, validation errors by JSON path, a foreign
directory's Bundle, the effective-dated merge, and the round trip export → import (empty database) → export."""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from healthplan.cli import main
from healthplan.domain.problems import ValidationFailed
from healthplan.domain.registry import Category, FacilityVersion, Level, OrgUnit
from healthplan.interop.fhir import codes as c
from healthplan.interop.fhir.export import export_bundle
from healthplan.interop.fhir.history import place_version
from healthplan.interop.fhir.importer import import_bundle
from healthplan.store import audit, registry
from healthplan.store.database import Database
from tests.interop.conftest import FIXTURES

D = dt.date
AS_OF = D(2024, 12, 31)


def write(tmp_path: Path, bundle: dict[str, Any], name: str = "bundle.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    return path


def resources(bundle: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f"{e['resource']['resourceType']}/{e['resource']['id']}": e["resource"] for e in bundle["entry"]}


def types(resource: dict[str, Any]) -> dict[str, str]:
    return c.codes_by_system(resource["type"])


def locate(region: Database) -> None:
    """Give the small region positions and a code that is a 统一社会信用代码 (the region has neither)."""
    with region.transaction() as s:
        registry.upsert_org_units(s, [OrgUnit("140525", "泽州县", Level.COUNTY, "140500", 35.617, 112.839)], "t")
        registry.add_version(s, "F4", D(2021, 1, 1), "t", lat=35.5312, lon=112.8151, groups=("JC-YGT-140525",))
        registry.upsert_facilities(s, [FacilityVersion("12140525MB0F12345P", "泽州县疾控中心", "140525", Category.CDC,
                                                       D(2010, 5, 1))], "t")


def test_bundle_is_mcsd_shaped(region: Database) -> None:
    locate(region)
    export = export_bundle(region, AS_OF, now=dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.UTC))
    bundle = export.bundle
    assert bundle["type"] == "transaction" and bundle["meta"] == {"lastUpdated": "2025-01-02T03:04:05Z"}
    assert export.to_json() == {"resources": 20, "areas": 5, "facilities": 5, "inactive_facilities": 1}
    found = resources(bundle)
    county, county_place = found["Organization/ou-140525"], found["Location/ou-140525"]
    assert county["meta"]["profile"] == [c.MCSD_PROFILE + "JurisdictionOrganization"]
    assert types(county)[c.MCSD_TYPES] == "jurisdiction" and types(county)[c.CS_LEVEL] == "county"
    assert county["partOf"] == {"reference": "Organization/ou-140500"}
    assert {"system": c.ADMIN_DIVISION, "value": "140525"} in county["identifier"]
    assert county_place["position"] == {"longitude": 112.839, "latitude": 35.617}
    assert county_place["physicalType"]["coding"][0]["code"] == "jdn"
    assert county_place["managingOrganization"] == {"reference": "Organization/ou-140525"}
    f2 = found["Organization/fac-F2"]
    assert types(f2)[c.CS_CATEGORY] == "general_hospital" and types(f2)[c.HL7_ORG_TYPE] == "prov"
    assert types(f2)[c.CS_HOSPITAL_LEVEL] == "3" and f2["active"] is True
    assert f2["extension"] == [{"url": c.ORG_PERIOD, "valuePeriod": {"start": "2020-06-01"}}]
    f3, f3_place = found["Organization/fac-F3"], found["Location/fac-F3"]
    assert f3["active"] is False and f3_place["status"] == "inactive"
    assert f3["extension"][0]["valuePeriod"] == {"start": "2000-01-01", "end": "2020-02-29"}  # inclusive end
    assert f3["partOf"] == {"reference": "Organization/ou-140525100"}
    f4, f4_place = found["Organization/fac-F4"], found["Location/fac-F4"]
    assert f4_place["position"] == {"longitude": 112.8151, "latitude": 35.5312}
    assert f4_place["partOf"] == {"reference": "Location/ou-140525100"}
    assert f4_place["managingOrganization"] == {"reference": "Organization/fac-F4"}
    assert {"url": c.EXT_NETWORK, "valueString": "JC-YGT-140525"} in f4["extension"]
    cdc = found["Organization/fac-12140525MB0F12345P"]
    assert {"system": c.USCC, "value": "12140525MB0F12345P"} in cdc["identifier"]
    assert types(cdc)[c.HL7_ORG_TYPE] == "govt"
    assert all(e["request"] == {"method": "PUT", "url": ref} for ref, e in zip(found, bundle["entry"], strict=True))
    assert len({e["fullUrl"] for e in bundle["entry"]}) == len(bundle["entry"])


def test_as_of_date_picks_the_version_in_force(sqlite_region: Database) -> None:
    found = resources(export_bundle(sqlite_region, D(2020, 3, 15)).bundle)
    assert types(found["Organization/fac-F2"])[c.CS_HOSPITAL_LEVEL] == "2"
    assert found["Organization/fac-F2"]["extension"][0]["valuePeriod"] == {"start": "2000-01-01", "end": "2020-05-31"}
    early = resources(export_bundle(sqlite_region, D(2019, 6, 30)).bundle)
    assert "Organization/fac-F4" not in early  # opened 2020-01-01
    active = resources(export_bundle(sqlite_region, AS_OF, active_only=True).bundle)
    assert "Organization/fac-F3" not in active


def test_subtree_export_carries_its_ancestors(sqlite_region: Database) -> None:
    found = resources(export_bundle(sqlite_region, AS_OF, root="140525").bundle)
    organizations = sorted(ref for ref in found if ref.startswith("Organization/"))
    assert organizations == ["Organization/fac-F2", "Organization/fac-F3", "Organization/fac-F4",
                             "Organization/ou-140000", "Organization/ou-140500", "Organization/ou-140525",
                             "Organization/ou-140525100"]


def test_round_trip_into_an_empty_database(region: Database, twin: Database, tmp_path: Path) -> None:
    locate(region)
    first = export_bundle(region, AS_OF).bundle
    path = write(tmp_path, first)
    result = import_bundle(path, twin, "t")
    assert result.to_json()["org_units"] == {"inserted": 5, "updated": 0, "unchanged": 0}
    assert result.facilities.inserted == 5
    second = export_bundle(twin, AS_OF).bundle
    first.pop("meta"), second.pop("meta")
    assert second == first
    again = import_bundle(path, twin, "t")
    assert (again.org_units.inserted, again.org_units.updated, again.facilities.inserted,
            again.facilities.updated) == (0, 0, 0, 0)
    with twin.sessions() as s:
        history = registry.facility_history(s, "F3")
    assert [(v.valid_from, v.valid_to) for v in history] == [(D(2000, 1, 1), D(2020, 3, 1))]


def test_importing_an_older_snapshot_keeps_later_history(sqlite_region: Database, tmp_path: Path) -> None:
    path = write(tmp_path, export_bundle(sqlite_region, D(2020, 3, 15)).bundle)
    result = import_bundle(path, sqlite_region, "t")
    assert (result.facilities.inserted, result.facilities.updated) == (0, 0)
    with sqlite_region.sessions() as s:
        assert [v.level for v in registry.facility_history(s, "F2")] == [2, 3]


def test_dry_run_writes_nothing(region: Database) -> None:
    with region.sessions() as s:
        codes, last = registry.org_unit_codes(s), audit.latest_id(s)
    result = import_bundle(FIXTURES / "mcsd_searchset.json", region, "t", dry_run=True, valid_from=D(2015, 1, 1))
    assert result.dry_run and (result.org_units.inserted, result.facilities.inserted) == (1, 1)
    with region.sessions() as s:
        assert registry.org_unit_codes(s) == codes and audit.latest_id(s) == last


def test_parents_must_exist(database: Database) -> None:
    with pytest.raises(ValidationFailed) as info:  # an empty database has no 140525 for the township
        import_bundle(FIXTURES / "mcsd_searchset.json", database, "t", valid_from=D(2015, 1, 1))
    assert [p.located() for p in info.value.problems] == ["mcsd_searchset.json:$.entry[0].resource.partOf"]
    assert "140525" in info.value.problems[0].zh


def test_a_foreign_directory_bundle(region: Database) -> None:
    with pytest.raises(ValidationFailed) as info:
        import_bundle(FIXTURES / "mcsd_searchset.json", region, "t")
    assert [p.located() for p in info.value.problems] == ["mcsd_searchset.json:$.entry[2].resource.extension"]
    result = import_bundle(FIXTURES / "mcsd_searchset.json", region, "t", valid_from=D(2015, 1, 1))
    assert result.to_json() == {"status": "SUCCESS", "dryRun": False, "ignored": 3, "conflicts": [],
                                "org_units": {"inserted": 1, "updated": 0, "unchanged": 0},
                                "facilities": {"inserted": 1, "updated": 0, "unchanged": 0}}
    with region.sessions() as s:
        town = registry.get_org_unit(s, "140525200")
        (version,) = registry.facility_history(s, "12140525MB0F12345P")
    assert (town.parent_code, town.level, town.lat, town.lon) == ("140525", Level.TOWNSHIP, 35.5978, 112.7261)
    assert (version.parent_code, version.category, version.central, version.valid_from) == (
        "140525200", Category.TOWNSHIP_HEALTH_CENTER, True, D(2015, 1, 1))
    assert (version.lat, version.lon, version.host is not None) == (35.6012, 112.7305, True)


def test_structural_errors_come_from_the_r4_classes(sqlite_region: Database, tmp_path: Path) -> None:
    bundle = export_bundle(sqlite_region, AS_OF).bundle
    bundle["entry"][1]["resource"]["position"] = {"longitude": "east", "latitude": 35.1}
    bundle["entry"][2]["resource"]["active"] = "maybe"
    with pytest.raises(ValidationFailed) as info:
        import_bundle(write(tmp_path, bundle), sqlite_region, "t")
    located = [p.located() for p in info.value.problems]
    assert "bundle.json:$.entry[1].resource.position.longitude" in located
    assert "bundle.json:$.entry[2].resource.active" in located
    (tmp_path / "broken.json").write_text('{"resourceType": "Bundle",\n "entry": [}', encoding="utf-8")
    with pytest.raises(ValidationFailed) as info:
        import_bundle(tmp_path / "broken.json", sqlite_region, "t")
    assert info.value.problems[0].located() == "broken.json:2:12"


def test_content_errors_are_all_reported_by_json_path(sqlite_region: Database, tmp_path: Path) -> None:
    bundle = export_bundle(sqlite_region, AS_OF).bundle
    bad = copy.deepcopy(bundle)
    entries = {f"{e['resource']['resourceType']}/{e['resource']['id']}": i for i, e in enumerate(bad["entry"])}

    def resource(ref: str) -> dict[str, Any]:
        return bad["entry"][entries[ref]]["resource"]  # type: ignore[no-any-return]

    resource("Organization/fac-F1")["identifier"] = []
    resource("Organization/fac-F2")["type"][1]["coding"][0]["code"] = "spa"
    resource("Organization/fac-F4")["partOf"] = {"reference": "Organization/ou-999999"}
    resource("Organization/fac-F3")["extension"][0]["valuePeriod"].pop("end")
    resource("Location/fac-F4")["managingOrganization"] = {"reference": "Organization/nowhere"}
    resource("Organization/ou-140525100")["partOf"] = {"reference": "Organization/fac-F2"}
    with pytest.raises(ValidationFailed) as info:
        import_bundle(write(tmp_path, bad), sqlite_region, "t")
    located = sorted(p.located() for p in info.value.problems)

    def at(ref: str, field: str) -> str:
        return f"bundle.json:$.entry[{entries[ref]}].resource.{field}"

    assert located == sorted([at("Organization/fac-F1", "identifier"), at("Organization/fac-F2", "type"),
                              at("Organization/fac-F4", "partOf"), at("Organization/fac-F3", "active"),
                              at("Location/fac-F4", "managingOrganization"),
                              at("Organization/ou-140525100", "partOf")])


def test_cli_export_and_import(region: Database, twin: Database, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "registry.json"
    code = main(["--database", region.url, "export", "fhir", "--as-of", "2024-12-31", "--out", str(target),
                 "--format", "json"])
    out, _ = capsys.readouterr()
    assert code == 0 and json.loads(out) == {"file": str(target), "as_of": "2024-12-31", "resources": 18,
                                             "areas": 5, "facilities": 4, "inactive_facilities": 1}
    code = main(["--database", twin.url, "import", "fhir", str(target), "--dry-run", "--format", "json"])
    out, _ = capsys.readouterr()
    assert code == 0 and json.loads(out)["facilities"] == {"inserted": 4, "updated": 0, "unchanged": 0}
    code = main(["--database", twin.url, "import", "fhir", str(FIXTURES / "mcsd_searchset.json"), "--format", "json"])
    out, _ = capsys.readouterr()
    data = json.loads(out)
    assert code == 2 and data["status"] == "ERROR"
    assert {c["object"] for c in data["conflicts"]} >= {"mcsd_searchset.json:$.entry[2].resource.extension"}
    code = main(["--database", twin.url, "import", "fhir", str(target)])
    out, _ = capsys.readouterr()
    assert code == 0 and "新增 5" in out


# ---- placing a version into a history ----------------------------------------------------------------

def version(start: int, end: int | None, name: str = "v") -> FacilityVersion:
    return FacilityVersion("F", name, "140525", Category.CLINIC, D(2000 + start, 1, 1),
                           None if end is None else D(2000 + end, 1, 1))


def spans(history: list[FacilityVersion]) -> list[tuple[int, int | None, str]]:
    return [(v.valid_from.year - 2000, None if v.valid_to is None else v.valid_to.year - 2000, v.name)
            for v in history]


def test_place_version_cuts_back_overlapped_versions() -> None:
    history = [version(0, 10, "a"), version(10, None, "b")]
    assert spans(place_version(history, version(5, 12, "x"))) == [(0, 5, "a"), (5, 12, "x"), (12, None, "b")]
    assert spans(place_version(history, version(10, None, "b"))) == [(0, 10, "a"), (10, None, "b")]
    assert spans(place_version(history, version(3, None, "x"))) == [(0, 3, "a"), (3, 10, "x"), (10, None, "b")]
    assert spans(place_version([], version(3, None, "x"))) == [(3, None, "x")]


@st.composite
def histories(draw: st.DrawFn) -> list[FacilityVersion]:
    cuts = sorted(draw(st.sets(st.integers(0, 30), min_size=1, max_size=6)))
    open_end = draw(st.booleans())
    ends: list[int | None] = [*cuts[1:], None if open_end else cuts[-1] + 3]
    return [version(a, b, f"s{i}") for i, (a, b) in enumerate(zip(cuts, ends, strict=True))]


@given(histories(), st.integers(0, 35), st.one_of(st.none(), st.integers(1, 10)))
def test_place_version_properties(history: list[FacilityVersion], start: int, length: int | None) -> None:
    incoming = version(start, None if length is None else start + length, "new")
    placed = place_version(history, incoming)
    for a, b in itertools.pairwise(placed):
        assert a.valid_to is not None and a.valid_to <= b.valid_from  # no overlaps
    later = [v.valid_from for v in history if v.valid_from > incoming.valid_from]
    end = incoming.valid_to or (min(later) if later else None)  # an open end stops at a later stored version
    for year in range(0, 50):
        day = D(2000 + year, 6, 1)
        now = [v.name for v in placed if v.active_on(day)]
        if incoming.valid_from <= day and (end is None or day < end):
            assert now == ["new"]
        else:  # outside the incoming version nothing changed
            assert now == [v.name for v in history if v.active_on(day)]
