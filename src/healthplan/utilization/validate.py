"""The rules an encounter row must satisfy, checked on whole columns at once.

A rule is a mask over the batch plus a bilingual message about one column; a row failing any rule is rejected
with every rule it fails. The rules: required cells present, values readable (dates, numbers, codes of the
enumerations), residence and facility codes known to the registry or outside the registered region
(``territory``), an inpatient stay has a discharge date not before its admission, costs are not negative and the
out-of-pocket part not above the total.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from healthplan.utilization import cells
from healthplan.utilization.schema import ENCOUNTER_SCHEMA, EncounterType, Referral, Surgery
from healthplan.utilization.territory import Territory


@dataclass(frozen=True)
class Rule:
    """Rows where ``failed`` is True break this rule, for the reason ``zh`` / ``en``.

    ``context`` adds a per-row detail (e.g. the row that has a duplicated id first).
    """

    column: str
    failed: Any  # numpy bool array
    zh: str
    en: str
    context: Mapping[int, tuple[str, str]] = field(default_factory=dict)

    def message(self, index: int, value: str) -> tuple[str, str]:
        """The message for one row, quoting the cell as written."""
        zh, en = (f"{self.zh}：“{value}”", f"{self.en}: {value!r}") if value else (self.zh, self.en)
        extra = self.context.get(index)
        return (f"{zh}（{extra[0]}）", f"{en} ({extra[1]})") if extra else (zh, en)


@dataclass(frozen=True)
class Checked:
    accepted: Any  # pa.Table in ENCOUNTER_SCHEMA
    rejected: Any  # numpy int64 indices into the batch
    rules: list[Rule]

    def broken(self, index: int) -> list[Rule]:
        return [r for r in self.rules if r.failed[index]]


def _mask(values: Any) -> Any:
    return np.asarray(pc.fill_null(values, False).to_numpy(zero_copy_only=False), dtype=bool)


def _column(batch: Any, name: str) -> Any:
    if name in batch.column_names:
        return batch[name].combine_chunks() if isinstance(batch[name], pa.ChunkedArray) else batch[name]
    return pa.nulls(batch.num_rows, pa.string())


def _required(rules: list[Rule], name: str, values: Any, label: str) -> None:
    rules.append(Rule(name, _mask(pc.is_null(values)), f"缺少{label}", f"{name} is empty"))


def _readable(rules: list[Rule], name: str, bad: Any, zh: str, en: str) -> None:
    rules.append(Rule(name, _mask(bad), zh, en))


def check(batch: Any, territory: Territory, extra: list[Rule] | None = None) -> Checked:
    """Check one batch of raw rows (text from a CSV, or typed from Parquet) against every rule."""
    rules: list[Rule] = []
    n = batch.num_rows
    columns: dict[str, Any] = {}
    for name, label in (("encounter_id", "就诊编号"), ("patient_key", "患者标识")):
        columns[name] = cells.text(_column(batch, name))
        _required(rules, name, columns[name], label)

    for name, label, valid, zh, en in (
            ("residence_code", "居住地代码", territory.valid_residence, "未知的居住地代码",
             "unknown residence code"),
            ("facility_code", "机构代码", territory.valid_place, "未知的机构代码", "unknown facility code")):
        values = cells.text(_column(batch, name))
        columns[name] = values
        _required(rules, name, values, label)
        _readable(rules, name, pc.and_(cells.present(values), pc.invert(valid(values))), zh, en)

    kind, bad = cells.coded(_column(batch, "type"), EncounterType)
    columns["type"] = kind
    _required(rules, "type", pc.and_(pc.is_null(kind), pc.invert(bad)), "就诊类型")
    _readable(rules, "type", bad, f"就诊类型应为 {EncounterType.choices()}",
              f"type must be one of {', '.join(EncounterType)}")

    admit, bad = cells.dates(_column(batch, "admit_date"))
    columns["admit_date"] = admit
    _required(rules, "admit_date", pc.and_(pc.is_null(admit), pc.invert(bad)), "入院(就诊)日期")
    _readable(rules, "admit_date", bad, "无法识别的日期", "unreadable date")
    discharge, bad = cells.dates(_column(batch, "discharge_date"))
    columns["discharge_date"] = discharge
    _readable(rules, "discharge_date", bad, "无法识别的日期", "unreadable date")
    inpatient = pc.equal(kind, EncounterType.INPATIENT.value)
    rules.append(Rule("discharge_date", _mask(pc.and_(inpatient, pc.and_(pc.is_null(discharge), pc.invert(bad)))),
                      "住院记录缺少出院日期", "an inpatient stay needs a discharge date"))
    rules.append(Rule("discharge_date", _mask(pc.less(discharge, admit)),
                      "出院日期早于入院日期", "discharge date before the admission date"))

    columns["icd10"] = cells.text(_column(batch, "icd10"))
    referral, bad = cells.coded(_column(batch, "referral"), Referral, Referral.NONE)
    columns["referral"] = referral
    _readable(rules, "referral", bad, f"转诊应为 {Referral.choices()}",
              f"referral must be one of {', '.join(Referral)}")
    source = cells.text(_column(batch, "referral_from"))
    columns["referral_from"] = source
    _readable(rules, "referral_from", pc.and_(cells.present(source), pc.invert(territory.valid_place(source))),
              "未知的转出机构代码", "unknown referring facility")

    for name, label in (("cost_total", "总费用"), ("cost_oop", "个人负担费用")):
        values, bad = cells.numbers(_column(batch, name))
        columns[name] = values
        _required(rules, name, pc.and_(pc.is_null(values), pc.invert(bad)), label)
        _readable(rules, name, bad, "无法识别的金额", "unreadable amount")
        rules.append(Rule(name, _mask(pc.less(values, 0)), f"{label}不能为负数", f"{name} must not be negative"))
    total = pc.if_else(pc.less(columns["cost_total"], 0), pa.scalar(None, pa.float64()), columns["cost_total"])
    rules.append(Rule("cost_oop", _mask(pc.greater(columns["cost_oop"], pc.add(total, 0.005))),
                      "个人负担费用超过总费用", "cost_oop exceeds cost_total"))

    surgery, bad = cells.coded(_column(batch, "surgery"), Surgery, Surgery.NONE)
    columns["surgery"] = surgery
    _readable(rules, "surgery", bad, f"手术类型应为 {Surgery.choices()}",
              f"surgery must be one of {', '.join(Surgery)}")

    rules += extra or []
    failed = np.zeros(n, dtype=bool)
    for rule in rules:
        failed |= rule.failed
    keep = pa.array(~failed)
    accepted = pa.table([pc.filter(columns[f.name], keep) for f in ENCOUNTER_SCHEMA], schema=ENCOUNTER_SCHEMA)
    return Checked(accepted, np.flatnonzero(failed), rules)
