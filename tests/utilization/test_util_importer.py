"""Importing encounter files: located bilingual errors, the quarantine file, atomic and idempotent datasets."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from healthplan.domain.problems import ValidationFailed
from healthplan.utilization.dataset import METADATA_FILE, EncounterDataset
from healthplan.utilization.importer import (
    QUARANTINE_HEADER,
    import_encounters,
    quarantine_path,
    validate_encounters,
)
from healthplan.utilization.territory import Territory
from tests.utilization.conftest import FIXTURES

BAD = FIXTURES / "bad_rows.csv"
#: row → (columns, a word of the Chinese reason) for every rejected row of bad_rows.csv
EXPECTED = {
    3: ("4", "未知的机构代码"), 4: ("3", "未知的居住地代码"), 5: ("7", "出院日期早于入院日期"),
    6: ("11", "总费用不能为负数"), 7: ("6", "无法识别的日期"), 8: ("5", "就诊类型应为"), 9: ("1", "就诊编号重复"),
    10: ("12", "个人负担费用超过总费用"), 11: ("7", "住院记录缺少出院日期"), 13: ("2", "缺少患者标识"),
    14: ("4", "未知的机构代码"), 15: ("11", "无法识别的金额"), 16: ("9", "转诊应为"),
}


def _quarantine(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_bad_rows_are_quarantined_with_file_row_column_and_reason(tmp_path: Path,
                                                                   tiny_territory: Territory) -> None:
    out = tmp_path / "encounters"
    report = import_encounters(BAD, out, tiny_territory)
    assert (report.rows, report.accepted, report.quarantined) == (16, 3, 13)
    rows = _quarantine(quarantine_path(out))
    assert list(rows[0]) == list(QUARANTINE_HEADER)
    assert {int(r["row"]): r["column"] for r in rows} == {row: column for row, (column, _) in EXPECTED.items()}
    for r in rows:
        assert r["reason_zh"].startswith(EXPECTED[int(r["row"])][1]), r
    by_row = {int(r["row"]): r for r in rows}
    assert by_row[9]["reason_zh"] == "就诊编号重复：“A01”（首次出现在第 2 行）"
    assert by_row[9]["reason_en"] == "duplicate encounter_id: 'A01' (first at row 2)"
    assert by_row[3]["facility_code"] == "X999" and by_row[3]["source"] == str(BAD)
    located = {str(p) for p in report.problems}
    assert f"{BAD}:4:3: 未知的居住地代码：“140599001” / unknown residence code: '140599001'" in located


def test_accepted_rows_are_typed_and_partitioned_by_period(tmp_path: Path, tiny_territory: Territory) -> None:
    out = tmp_path / "encounters"
    import_encounters(BAD, out, tiny_territory)
    dataset = EncounterDataset.open(out)
    assert dataset.years == (2020,) and dataset.weight == 1.0
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.parquet")) == [
        "year=2020/month=3/part-00000.parquet"]
    table = pq.read_table(out / "year=2020" / "month=3").sort_by("encounter_id")
    assert table.column("encounter_id").to_pylist() == ["A01", "A11", "A16"]
    assert table.column("admit_date").to_pylist() == [dt.date(2020, 3, 1), dt.date(2020, 3, 1), dt.date(2020, 3, 4)]
    assert table.column("type").to_pylist() == ["outpatient"] * 3  # 门诊 read as its code
    assert table.column("referral").to_pylist() == ["none", "up", "none"]  # 上转; empty → none
    assert table.column("surgery").to_pylist() == ["none"] * 3
    assert table.column("cost_total").to_pylist() == [200.0, 200.0, 35.5]


def test_reimport_gives_the_same_dataset_and_replaces_it_whole(tmp_path: Path, tiny_territory: Territory) -> None:
    out = tmp_path / "encounters"
    import_encounters(FIXTURES / "oracle.csv", out, tiny_territory)
    first = {p.relative_to(out): p.read_bytes() for p in out.rglob("*.parquet")}
    import_encounters(FIXTURES / "oracle.csv", out, tiny_territory)
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*.parquet")} == first
    assert not quarantine_path(out).exists()
    import_encounters(BAD, out, tiny_territory)  # a different file replaces the whole dataset
    assert EncounterDataset.open(out).years == (2020,)
    assert sum(pq.read_table(p).num_rows for p in out.rglob("*.parquet")) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["encounters", "encounters.quarantine.csv"]


def test_strict_import_writes_nothing(tmp_path: Path, tiny_territory: Territory) -> None:
    out = tmp_path / "new" / "encounters"
    with pytest.raises(ValidationFailed) as failure:
        import_encounters(BAD, out, tiny_territory, strict=True)
    assert len(failure.value.problems) == 13
    assert list((tmp_path / "new").iterdir()) == []
    import_encounters(BAD, out, tiny_territory)
    assert quarantine_path(out).exists()
    import_encounters(FIXTURES / "oracle.csv", out, tiny_territory, strict=True)  # clean: publishes, and
    assert not quarantine_path(out).exists()  # the previous import's quarantine file no longer applies


def test_a_missing_column_rejects_the_file_whole(tmp_path: Path, tiny_territory: Territory) -> None:
    source = tmp_path / "short.csv"
    source.write_text("encounter_id,patient_key,residence_code,type\nA,p,140502001,outpatient\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as failure:
        import_encounters(source, tmp_path / "out", tiny_territory)
    (problem,) = failure.value.problems
    assert problem.row == 1 and "facility_code" in problem.en and "admit_date" in problem.zh
    assert not (tmp_path / "out").exists()


def test_a_failed_import_keeps_the_previous_dataset(tmp_path: Path, tiny_territory: Territory) -> None:
    out = tmp_path / "encounters"
    import_encounters(FIXTURES / "oracle.csv", out, tiny_territory)
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    with pytest.raises(ValidationFailed):
        import_encounters(BAD, out, tiny_territory, strict=True)
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["encounters"]


def test_gb18030_with_chinese_headers(tmp_path: Path, tiny_territory: Territory) -> None:
    source = tmp_path / "病案.csv"
    source.write_text("就诊编号,患者标识,居住地代码,机构代码,就诊类型,入院日期,出院日期,总费用,个人负担\n"
                      "Z1,p,140525100,C1,住院,2020-01-02,2020-01-05,900,100\n", encoding="gb18030")
    report = import_encounters(source, tmp_path / "out", tiny_territory)
    assert (report.accepted, report.quarantined) == (1, 0)
    table = pq.read_table(tmp_path / "out" / "year=2020")
    assert table.column("type").to_pylist() == ["inpatient"]


def test_parquet_input_gives_the_same_dataset_as_csv(tmp_path: Path, tiny_territory: Territory) -> None:
    text = pacsv.read_csv(FIXTURES / "oracle.csv", convert_options=pacsv.ConvertOptions(
        column_types={"admit_date": pa.date32(), "discharge_date": pa.date32(), "cost_total": pa.float64(),
                      "cost_oop": pa.float64(), "residence_code": pa.string(), "facility_code": pa.string()}))
    pq.write_table(text, tmp_path / "oracle.parquet")
    import_encounters(FIXTURES / "oracle.csv", tmp_path / "from_csv", tiny_territory)
    report = import_encounters(tmp_path / "oracle.parquet", tmp_path / "from_parquet", tiny_territory)
    assert (report.accepted, report.quarantined) == (17, 0)
    for year in (2019, 2020, 2021):
        assert (pq.read_table(tmp_path / "from_csv" / f"year={year}").sort_by("encounter_id")
                == pq.read_table(tmp_path / "from_parquet" / f"year={year}").sort_by("encounter_id"))


def test_validate_only_writes_the_quarantine_it_is_asked_for(tmp_path: Path, tiny_territory: Territory) -> None:
    report = validate_encounters(BAD, tiny_territory)
    assert (report.accepted, report.quarantined, report.quarantine) == (3, 13, None)
    assert list(tmp_path.iterdir()) == []
    report = validate_encounters(BAD, tiny_territory, tmp_path / "bad.csv")
    assert report.quarantine == str(tmp_path / "bad.csv") and len(_quarantine(tmp_path / "bad.csv")) == 13
    data = report.to_json()
    assert list(data) == ["source", "output", "rows", "accepted", "quarantined", "quarantine", "weight", "years",
                          "ignored_columns", "reasons", "problems"]
    assert {"column": "encounter_id", "reason_zh": "就诊编号重复", "reason_en": "duplicate encounter_id",
            "rows": 1} in data["reasons"]  # type: ignore[operator]


def test_the_output_must_not_be_someone_elses_folder(tmp_path: Path, tiny_territory: Territory) -> None:
    from healthplan.domain.problems import HealthplanError

    (tmp_path / "papers").mkdir()
    (tmp_path / "papers" / "report.docx").write_bytes(b"x")
    with pytest.raises(HealthplanError):
        import_encounters(FIXTURES / "oracle.csv", tmp_path / "papers", tiny_territory)
    assert (tmp_path / "papers" / "report.docx").exists()
    assert not (tmp_path / "papers" / METADATA_FILE).exists()
