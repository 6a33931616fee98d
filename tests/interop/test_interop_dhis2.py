"""DHIS2 both ways: example payloads written from DHIS2's documented formats (dataValueSets JSON/CSV, ADX),
the mapping file, DHIS2-style import summaries, dry runs, all-or-nothing conflicts, and round trips."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from healthplan.cli import main
from healthplan.domain.problems import ValidationFailed
from healthplan.interop.dhis2 import data_value_sets
from healthplan.interop.dhis2.adx import read_adx, write_adx
from healthplan.interop.dhis2.exchange import Strategy, default_combo, export_values, import_values
from healthplan.interop.dhis2.mapping import IdScheme, load_mapping
from healthplan.interop.dhis2.values import Payload
from healthplan.store import audit
from healthplan.store.database import Database
from healthplan.store.values import read_values
from tests.interop.conftest import FIXTURES

MAPPING = FIXTURES / "mapping.yaml"
#: What the three example payloads (JSON, CSV, ADX) say, after mapping, for the small region.
EXPECTED = {
    ("beds.actual", "F2", "2020", ""): (520, "新增病区"),
    ("dept.geriatrics", "F2", "2020", ""): (1, ""),
    ("staff.nurse", "F2", "2020", "female"): (180, ""),
    ("staff.nurse", "F2", "2020", "male"): (40, ""),
    ("beds.actual", "F1", "2020", ""): (1000, ""),
    ("svc.visits", "F4", "2020W5", ""): (61, ""),
    ("svc.visits", "F4", "2020Q2", ""): (700, ""),
    ("pop.resident", "140525", "2020", ""): (415300, ""),
}


def values_of(db: Database) -> dict[tuple[str, str, str, str], tuple[float, str]]:
    with db.sessions() as s:
        return {(de, ou, p, d): (v, c) for de, ou, p, d, v, c in read_values(s)}


def read(path: Path) -> Payload:
    if path.name.endswith(".xml"):
        return read_adx(path)
    return data_value_sets.read_csv(path) if path.suffix == ".csv" else data_value_sets.read_json(path)


def test_yaml_and_csv_mappings_say_the_same(sqlite_region: Database) -> None:
    yaml_mapping = load_mapping(MAPPING, sqlite_region)
    csv_mapping = load_mapping(FIXTURES / "mapping.csv", sqlite_region)
    for kind in ("data_elements", "org_units", "category_option_combos"):
        assert getattr(yaml_mapping, kind).entries == getattr(csv_mapping, kind).entries
    assert yaml_mapping.data_set == csv_mapping.data_set
    assert yaml_mapping.org_units_by_code and csv_mapping.org_units_by_code
    assert yaml_mapping.org_unit("DiszpKrYNg8") == yaml_mapping.org_unit("OU_F1") == "F1"
    assert yaml_mapping.org_unit("F4") == "F4" and yaml_mapping.org_unit("F9") is None
    assert yaml_mapping.disaggregation("") == yaml_mapping.disaggregation("HllvX50cXC0") == ""


def test_mapping_problems_are_located(sqlite_region: Database, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("data_elements:\n"
                    "  - {uid: fbfJHSPpUQD, ours: beds.actual}\n"
                    "  - {uid: fbfJHSPpUQD, ours: staff.nurse}\n"
                    "  - {uid: short, ours: no.such}\n"
                    "org_units:\n  - {code: X, ours: '999999'}\n"
                    "category_option_combos:\n  - {code: F, ours: female, adx: {value: F}}\n"
                    "colour: blue\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as info:
        load_mapping(path, sqlite_region)
    located = sorted(p.located() for p in info.value.problems)
    assert located == ["bad.yaml:$.category_option_combos[0].adx", "bad.yaml:$.colour",
                       "bad.yaml:$.data_elements[1].uid", "bad.yaml:$.data_elements[2].ours",
                       "bad.yaml:$.data_elements[2].uid", "bad.yaml:$.org_units[0].ours"]
    broken = tmp_path / "broken.yaml"
    broken.write_text("data_elements: [\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as info:
        load_mapping(broken, sqlite_region)
    assert info.value.problems[0].located().startswith("broken.yaml:2:")
    csv = tmp_path / "bad.csv"
    csv.write_text("type,uid,code,ours,adx\ndata_element,,HP_X,nope,\nwidget,,W,w,\n"
                   "category_option_combo,,F,female,SEX\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as info:
        load_mapping(csv, sqlite_region)
    assert sorted(p.located() for p in info.value.problems) == ["bad.csv:2:4", "bad.csv:3:1", "bad.csv:4:5"]


@pytest.mark.parametrize("name", ["datavalueset.json", "datavalueset.csv", "datavalueset.adx.xml"])
def test_import_summary_counts_like_dhis2(region: Database, name: str) -> None:
    mapping = load_mapping(MAPPING, region)
    summary = import_values(read(FIXTURES / name), mapping, region, "t")
    data = summary.to_json()
    assert data["status"] == "SUCCESS" and data["conflicts"] == []
    assert data["importCount"] == {"imported": 4, "updated": 3, "ignored": 1, "deleted": 1}
    stored = values_of(region)
    for key, value in EXPECTED.items():
        assert stored[key] == value, key
    assert ("svc.visits", "F1", "202004", "") not in stored
    again = import_values(read(FIXTURES / name), mapping, region, "t").to_json()
    assert again["importCount"] == {"imported": 0, "updated": 0, "ignored": 9, "deleted": 0}


def test_dry_run_reports_changes_and_writes_nothing(region: Database) -> None:
    before = values_of(region)
    with region.sessions() as s:
        last_audit = audit.latest_id(s)
    summary = import_values(read(FIXTURES / "datavalueset.json"), load_mapping(MAPPING, region), region, "t",
                            dry_run=True)
    data = summary.to_json()
    assert data["dryRun"] is True and data["importCount"]["imported"] == 4
    changes = {(c["action"], c["dataElement"], c["orgUnit"], c["period"], c["old"], c["new"]) for c in data["changes"]}
    assert ("updated", "beds.actual", "F2", "2020", 500, 520) in changes
    assert ("deleted", "svc.visits", "F1", "202004", 300, None) in changes
    assert ("imported", "svc.visits", "F4", "2020W5", None, 61) in changes
    assert values_of(region) == before
    with region.sessions() as s:
        assert audit.latest_id(s) == last_audit


def test_conflicts_reject_the_whole_payload_with_json_paths(region: Database) -> None:
    before = values_of(region)
    summary = import_values(read(FIXTURES / "conflicts.json"), load_mapping(MAPPING, region), region, "t")
    data = summary.to_json()
    assert data["status"] == "ERROR"
    assert data["importCount"] == {"imported": 0, "updated": 0, "ignored": 11, "deleted": 0}
    objects = [c["object"] for c in data["conflicts"]]
    assert objects == [f"conflicts.json:$.dataValues[{i}].{field}" for i, field in [
        (3, "period"), (9, "dataElement"),  # unreadable values first, then what the mapping refuses
        (0, "value"), (1, "dataElement"), (2, "orgUnit"), (4, "value"), (5, "categoryOptionCombo"),
        (6, "attributeOptionCombo"), (8, "value"), (10, "dataElement")]]
    assert "six-monthly" in data["conflicts"][0]["value"]
    assert "$.dataValues[7]" in data["conflicts"][-1]["value"]  # the duplicate names the first occurrence
    assert values_of(region) == before


def test_adx_conflicts_are_located_by_line_and_column(region: Database, tmp_path: Path) -> None:
    summary = import_values(read(FIXTURES / "conflicts.adx.xml"), load_mapping(MAPPING, region), region, "t")
    assert [p.located() for p in summary.conflicts] == [
        "conflicts.adx.xml:3:3", "conflicts.adx.xml:6:3", "conflicts.adx.xml:7:5"]
    assert "P2M" in summary.conflicts[0].zh and "mechanism" in summary.conflicts[1].en
    assert 'SEX="X"' in summary.conflicts[2].zh
    text = (FIXTURES / "datavalueset.adx.xml").read_text(encoding="utf-8").replace('SEX="M"', 'SEX="X"')
    path = tmp_path / "sex.xml"
    path.write_text(text, encoding="utf-8")
    summary = import_values(read_adx(path), load_mapping(MAPPING, region), region, "t")
    assert [p.located() for p in summary.conflicts] == ["sex.xml:10:5"]
    assert 'SEX="X"' in summary.conflicts[0].zh


def test_adx_refuses_doctypes_and_broken_xml(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xml"
    bomb.write_text('<?xml version="1.0"?>\n<!DOCTYPE adx [<!ENTITY a "aaaa">]>\n<adx exported="x"/>\n')
    with pytest.raises(ValidationFailed) as info:
        read_adx(bomb)
    assert info.value.problems[0].located().startswith("bomb.xml:2:") and "DOCTYPE" in info.value.problems[0].en
    broken = tmp_path / "broken.xml"
    broken.write_text('<adx xmlns="urn:ihe:qrph:adx:2015">\n  <group orgUnit="a" period="2020-01-01/P1Y" '
                      'dataSet="d">\n  </grop>\n</adx>\n')
    with pytest.raises(ValidationFailed) as info:
        read_adx(broken)
    assert info.value.problems[0].located() == "broken.xml:3:5"


def test_strategies(region: Database) -> None:
    mapping = load_mapping(MAPPING, region)
    incoming = read(FIXTURES / "datavalueset.json")
    create = import_values(incoming, mapping, region, "t", Strategy.CREATE, dry_run=True).to_json()
    assert create["importCount"] == {"imported": 4, "updated": 0, "ignored": 4, "deleted": 1}
    update = import_values(incoming, mapping, region, "t", Strategy.UPDATE, dry_run=True).to_json()
    assert update["importCount"] == {"imported": 0, "updated": 3, "ignored": 5, "deleted": 1}
    delete = import_values(incoming, mapping, region, "t", Strategy.DELETE).to_json()
    assert delete["importCount"] == {"imported": 0, "updated": 0, "ignored": 4, "deleted": 5}
    stored = values_of(region)
    assert ("beds.actual", "F1", "2020", "") not in stored and ("pop.resident", "140525", "2020", "") not in stored


@pytest.mark.parametrize("kind", ["json", "csv", "adx"])
def test_export_then_import_gives_identical_values(region: Database, twin_registry: Database, tmp_path: Path,
                                                   kind: str) -> None:
    mapping = load_mapping(MAPPING, region)
    import_values(read(FIXTURES / "datavalueset.json"), mapping, region, "t")
    scheme = IdScheme.CODE if kind == "adx" else IdScheme.UID
    result = export_values(region, mapping, scheme=scheme, adx=kind == "adx")
    assert result.to_json() == {"exported": len(values_of(region)), "skipped": {}}
    path = tmp_path / f"export.{'xml' if kind == 'adx' else kind}"
    if kind == "json":
        path.write_text(json.dumps(data_value_sets.to_json(result.values, "pBOMPrpg1QX",
                                                           default_combo(mapping, scheme))), encoding="utf-8")
    elif kind == "csv":
        path.write_text(data_value_sets.to_csv(result.values, default_combo(mapping, scheme)), encoding="utf-8")
    else:
        path.write_text(write_adx(result.values, "HP_RESOURCES", dt.datetime(2021, 2, 8, tzinfo=dt.UTC)),
                        encoding="utf-8")
    twin_mapping = load_mapping(MAPPING, twin_registry)
    summary = import_values(read(path), twin_mapping, twin_registry, "t")
    assert summary.status == "SUCCESS", summary.to_json()["conflicts"]
    assert values_of(twin_registry) == values_of(region)


def test_export_selection_and_formats(sqlite_region: Database, tmp_path: Path) -> None:
    mapping = load_mapping(MAPPING, sqlite_region)
    under = export_values(sqlite_region, mapping, org_units=["140525"], children=True, periods=["2020"])
    assert sorted((v.data_element, v.org_unit, v.value) for v in under.values) == [
        ("Ix2HsbDMLea", "FNnj3jKGS7i", "false"), ("eY5ehpbEsB7", "F4", "2000"), ("f7n9E0hX8qk", "Jkhdsf8sdf4", "414999"),
        ("fbfJHSPpUQD", "F3", "5"), ("fbfJHSPpUQD", "F4", "40"), ("fbfJHSPpUQD", "FNnj3jKGS7i", "500")]
    strict = tmp_path / "strict.yaml"
    strict.write_text(MAPPING.read_text(encoding="utf-8").replace("org_units_by_code: true", "org_units_by_code: false"),
                      encoding="utf-8")
    listed_only = export_values(sqlite_region, load_mapping(strict, sqlite_region), org_units=["140525"],
                                children=True, periods=["2020"])
    assert len(listed_only.values) == 3 and listed_only.skipped == {"org_unit_not_mapped": 3}  # F3's and F4's
    by_dates = export_values(sqlite_region, mapping, start=dt.date(2020, 1, 1), end=dt.date(2020, 3, 31),
                             elements=["svc.visits"], scheme=IdScheme.CODE)
    assert sorted((v.org_unit, v.period.code) for v in by_dates.values) == [
        ("F3", "202001"), ("F3", "202002"), ("OU_F1", "2020Q1")]
    assert {v.data_element for v in by_dates.values} == {"HP_VISITS"}
    document = data_value_sets.to_json(under.values, "pBOMPrpg1QX", "HllvX50cXC0")
    assert document["dataSet"] == "pBOMPrpg1QX"
    assert document["dataValues"][0].keys() >= {"dataElement", "period", "orgUnit", "attributeOptionCombo", "value"}
    csv = data_value_sets.to_csv(under.values, "HllvX50cXC0").splitlines()
    assert csv[0] == ",".join(data_value_sets.CSV_HEADER) and len(csv) == 7
    xml = write_adx(under.values, "HP_RESOURCES", dt.datetime(2021, 2, 8, 19, 30, tzinfo=dt.UTC))
    assert 'exported="2021-02-08T19:30:00Z"' in xml and xml.count('period="2020-01-01/P1Y"') == 4


def test_cli_import_and_export(region: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = region.url

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--database", url, *args])
        out, err = capsys.readouterr()
        return code, out, err

    code, out, _ = run("import", "dhis2", str(FIXTURES / "datavalueset.csv"), "--mapping", str(MAPPING),
                       "--dry-run", "--format", "json")
    assert code == 0 and json.loads(out)["importCount"]["imported"] == 4
    code, out, err = run("import", "adx", str(FIXTURES / "conflicts.adx.xml"), "--mapping", str(MAPPING),
                         "--format", "json")
    data = json.loads(out)
    assert code == 2 and data["status"] == "ERROR" and data["conflicts"][0]["object"] == "conflicts.adx.xml:3:3"
    code, out, err = run("import", "adx", str(FIXTURES / "conflicts.adx.xml"), "--mapping", str(MAPPING))
    assert code == 2 and "conflicts.adx.xml:3:3:" in err and "Traceback" not in err
    code, out, err = run("import", "dhis2", str(FIXTURES / "datavalueset.json"), "--mapping", str(MAPPING))
    assert code == 0 and "新增 4" in out
    target = tmp_path / "out.csv"
    code, out, _ = run("export", "dhis2", "--mapping", str(MAPPING), "--org", "140525", "--children",
                       "--period", "2020", "--out", str(target), "--format", "json")
    assert code == 0 and json.loads(out)["exported"] == 8
    assert target.read_text(encoding="utf-8").startswith("dataelement,period,orgunit")
    code, out, err = run("export", "adx", "--mapping", str(MAPPING), "--period", "2020W5")
    assert code == 0 and out.startswith("<?xml") and 'period="2020-01-27/P7D"' in out and "exported 1" in err


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                     max_leaves=8)
_FIELDS = st.sampled_from(["dataElement", "period", "orgUnit", "categoryOptionCombo", "attributeOptionCombo",
                           "value", "comment", "deleted"])


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(["period", "orgUnit", "attributeOptionCombo", "dataSet"]), _JSON, max_size=3),
       st.lists(st.dictionaries(_FIELDS, _JSON | st.text(max_size=10), max_size=8) | _JSON, max_size=4))
def test_any_json_gives_values_or_located_problems(header: dict[str, object], items: list[object]) -> None:
    directory = Path(tempfile.mkdtemp())
    try:
        path = directory / "any.json"
        path.write_text(json.dumps({**header, "dataValues": items}), encoding="utf-8")
        payload = data_value_sets.read_json(path)
    finally:
        shutil.rmtree(directory)
    assert len(payload.values) <= payload.count == len(items)
    assert all(p.located().startswith("any.json:$") for p in payload.problems)
