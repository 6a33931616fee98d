"""DHIS2 ``dataValueSets`` in JSON and CSV, as the DHIS2 Web API documents them.

JSON: ``{"dataSet", "completeDate", "period", "orgUnit", "attributeOptionCombo", "dataValues": [{"dataElement",
"period", "orgUnit", "categoryOptionCombo", "attributeOptionCombo", "value", "comment", "deleted", …}]}`` where a
value's own period/orgUnit/attributeOptionCombo override the set's. CSV: a header row (ignored, as DHIS2 does)
then the columns by position: data element, period, org unit, category option combo, attribute option combo,
value, stored by, last updated, comment, follow-up[, deleted].
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from healthplan.domain.periods import Period
from healthplan.domain.problems import Problem, ValidationFailed
from healthplan.interop.dhis2.periods import PeriodNotSupported, from_dhis2
from healthplan.interop.dhis2.values import Incoming, Locate, Outgoing, Payload
from healthplan.interop.documents import at_path, json_path, load_json
from healthplan.tabular.tables import read_raw

CSV_HEADER = ["dataelement", "period", "orgunit", "catoptcombo", "attroptcombo", "value", "storedby",
              "lastupdated", "comment", "followup"]
_CSV_FIELDS = ["dataElement", "period", "orgUnit", "categoryOptionCombo", "attributeOptionCombo", "value",
               "storedBy", "lastUpdated", "comment", "followup", "deleted"]
_TRUE = {"true", "t", "1", "yes"}
_FALSE = {"false", "f", "0", "no", ""}


def read_json(path: Path) -> Payload:
    document = load_json(path)
    source = path.name
    if not isinstance(document, dict) or not isinstance(document.get("dataValues"), list):
        raise ValidationFailed([at_path(source, json_path("dataValues"), "应为含 dataValues 列表的 JSON 对象",
                                        "expected a JSON object with a dataValues list")])
    problems: list[Problem] = []
    defaults = {k: document.get(k) for k in ("period", "orgUnit", "attributeOptionCombo")}
    for key, value in defaults.items():
        if value is not None and not isinstance(value, str):
            problems.append(at_path(source, json_path(key), "应为字符串", "must be a string"))
    values: list[Incoming] = []
    for index, item in enumerate(document["dataValues"]):
        if not isinstance(item, dict):
            problems.append(at_path(source, json_path("dataValues", index), "应为 JSON 对象", "must be a JSON object"))
            continue
        found = _json_value(source, index, item, defaults, problems)
        if found is not None:
            values.append(found)
    return Payload(values, problems, len(document["dataValues"]))


def _json_value(source: str, index: int, item: dict[str, Any], defaults: dict[str, Any],
                problems: list[Problem]) -> Incoming | None:
    def locate(name: str, zh: str, en: str) -> Problem:
        own = name in item or name not in defaults or defaults[name] is None
        return at_path(source, json_path("dataValues", index, name) if own else json_path(name), zh, en)

    def text(name: str, required: bool = False) -> str | None:
        value = item.get(name, defaults.get(name))
        if value is None or value == "":
            if required:
                problems.append(locate(name, f"缺少“{name}”", f"{name} is missing"))
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            problems.append(locate(name, "应为字符串", "must be a string"))
            return None
        return str(value)

    before = len(problems)
    data_element, org_unit, period_text = text("dataElement", True), text("orgUnit", True), text("period", True)
    combo, attribute = text("categoryOptionCombo") or "", text("attributeOptionCombo") or ""
    value, comment = text("value"), text("comment")
    deleted = item.get("deleted", False)
    if not isinstance(deleted, bool):
        problems.append(locate("deleted", "应为 true 或 false", "must be true or false"))
    if len(problems) > before or data_element is None or org_unit is None or period_text is None:
        return None
    return Incoming(data_element, _period(period_text, locate, problems), org_unit, combo, attribute, value,
                    comment if "comment" in item else None, bool(deleted), locate)


def _period(text: str, locate: Locate, problems: list[Problem]) -> Period | None:
    try:
        return from_dhis2(text)
    except PeriodNotSupported as exc:
        problems.append(locate("period", exc.zh, exc.en))
        return None


def read_csv(path: Path) -> Payload:
    rows = read_raw(path)
    source = path.name
    problems: list[Problem] = []
    values: list[Incoming] = []
    count = 0
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cells):
            continue
        count += 1

        def locate(name: str, zh: str, en: str, number: int = number) -> Problem:
            return Problem(zh, en, source, number, _CSV_FIELDS.index(name) + 1)

        cell = dict(zip(_CSV_FIELDS, [*cells, *[""] * len(_CSV_FIELDS)], strict=False))
        before = len(problems)
        for name in ("dataElement", "period", "orgUnit"):
            if not cell[name]:
                problems.append(locate(name, f"缺少“{name}”", f"{name} is missing"))
        deleted = cell["deleted"].lower()
        if deleted not in _TRUE | _FALSE:
            problems.append(locate("deleted", "应为 true 或 false", "must be true or false"))
        if len(problems) > before:
            continue
        period = _period(cell["period"], locate, problems)
        values.append(Incoming(cell["dataElement"], period, cell["orgUnit"], cell["categoryOptionCombo"],
                               cell["attributeOptionCombo"], cell["value"] or None, cell["comment"] or None,
                               deleted in _TRUE, locate))
    return Payload(values, problems, count)


def to_json(values: list[Outgoing], data_set: str | None, attribute_option_combo: str | None) -> dict[str, Any]:
    items = []
    for v in values:
        item: dict[str, Any] = {"dataElement": v.data_element, "period": v.period.code, "orgUnit": v.org_unit}
        if v.category_option_combo:
            item["categoryOptionCombo"] = v.category_option_combo
        if attribute_option_combo:
            item["attributeOptionCombo"] = attribute_option_combo
        item["value"] = v.value
        if v.comment:
            item["comment"] = v.comment
        items.append(item)
    return {**({"dataSet": data_set} if data_set else {}), "dataValues": items}


def to_csv(values: list[Outgoing], attribute_option_combo: str | None) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for v in values:
        writer.writerow([v.data_element, v.period.code, v.org_unit, v.category_option_combo,
                         attribute_option_combo or "", v.value, "", "", v.comment, "false"])
    return buffer.getvalue()
