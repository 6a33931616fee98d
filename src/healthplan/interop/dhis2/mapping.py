"""The mapping file between a DHIS2 instance's metadata and ours: data elements, org units, category option combos.

YAML (``mapping.yaml``)::

    data_set: {uid: pBOMPrpg1QX, code: HP_RESOURCES}       # optional: written into exports (ADX needs one)
    org_units_by_code: true                                 # a DHIS2 org unit code equal to ours maps by itself
    data_elements:
      - {uid: fbfJHSPpUQD, code: HP_BEDS, ours: beds.actual}
    org_units:
      - {uid: DiszpKrYNg8, code: ZZX, ours: "140525"}
    category_option_combos:
      - {uid: HllvX50cXC0, code: default, ours: ""}        # DHIS2's default combo = no disaggregation
      - {uid: Prlt0C1RF0s, code: FEMALE, ours: female, adx: {SEX: F}}

or CSV with the columns ``type,uid,code,ours,adx`` (type = data_set | data_element | org_unit |
category_option_combo | setting; ``adx`` as ``SEX=F;AGE=U5``; a setting row ``setting,,org_units_by_code,true``).
Every entry needs a uid or a code; a value's identifier is looked up as a uid first, then as a code.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from healthplan.domain.problems import Problem, ValidationFailed
from healthplan.interop.documents import at_path, json_path, load_yaml, raise_if
from healthplan.store import registry
from healthplan.store.database import Database
from healthplan.store.values import data_elements
from healthplan.tabular.tables import read_table

UID = re.compile(r"^[A-Za-z][A-Za-z0-9]{10}$")
XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
#: ADX attributes with a meaning of their own; a category code cannot be one of them.
ADX_RESERVED = frozenset({"dataElement", "value", "categoryOptionCombo", "attributeOptionCombo", "orgUnit",
                          "period", "dataSet", "completeDate", "comment"})
KINDS = ("data_element", "org_unit", "category_option_combo", "data_set")
_SECTIONS = {"data_elements": "data_element", "org_units": "org_unit",
             "category_option_combos": "category_option_combo"}
CSV_ALIASES = {"type": ["类型", "kind"], "uid": ["dhis2_uid"], "code": ["dhis2_code"],
               "ours": ["healthplan", "本系统代码"], "adx": ["adx_categories"]}


class IdScheme(StrEnum):
    """Which DHIS2 identifier an export writes (DHIS2's ``idScheme``): uid by default, code for ADX."""

    UID = "uid"
    CODE = "code"


@dataclass(frozen=True)
class Entry:
    uid: str
    code: str
    ours: str
    adx: frozenset[tuple[str, str]] = frozenset()

    def identifier(self, scheme: IdScheme) -> str:
        return self.uid if scheme is IdScheme.UID else self.code


@dataclass
class Crosswalk:
    """One kind of metadata both ways: their uid/code → our code, our code → their entry."""

    entries: list[Entry] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._theirs = {**{e.code: e for e in self.entries if e.code}, **{e.uid: e for e in self.entries if e.uid}}
        self._ours = {e.ours: e for e in self.entries}
        self._adx = {e.adx: e for e in self.entries if e.adx}

    def ours(self, identifier: str) -> str | None:
        entry = self._theirs.get(identifier)
        return entry.ours if entry is not None else None

    def entry(self, ours: str) -> Entry | None:
        return self._ours.get(ours)

    def by_adx(self, options: frozenset[tuple[str, str]]) -> Entry | None:
        return self._adx.get(options)


@dataclass
class Dhis2Mapping:
    data_elements: Crosswalk
    org_units: Crosswalk
    category_option_combos: Crosswalk
    data_set: Entry | None = None
    org_units_by_code: bool = False
    known_org_units: frozenset[str] = frozenset()

    def org_unit(self, identifier: str) -> str | None:
        ours = self.org_units.ours(identifier)
        if ours is None and self.org_units_by_code and identifier in self.known_org_units:
            return identifier
        return ours

    def org_unit_id(self, ours: str, scheme: IdScheme) -> str | None:
        entry = self.org_units.entry(ours)
        if entry is not None:
            return entry.identifier(scheme) or None
        return ours if self.org_units_by_code else None

    def disaggregation(self, combo: str) -> str | None:
        """Our disaggregation for a category option combo id; no combo means DHIS2's default (none)."""
        return "" if not combo else self.category_option_combos.ours(combo)


@dataclass(frozen=True)
class _Raw:
    """One mapping entry as written, with a way to locate problems in its fields."""

    kind: str
    fields: dict[str, str]
    adx: dict[str, str]
    locate: Callable[[str, str, str], Problem]  # (field, zh, en) → located problem


def load_mapping(path: Path, database: Database) -> Dhis2Mapping:
    """Read and check a mapping file against the data elements and org units in the database."""
    problems: list[Problem] = []  # shape problems first, then content problems: all reported together
    raws, by_code = (_read_csv if path.suffix.lower() == ".csv" else _read_yaml)(path, problems)
    with database.sessions() as session:
        elements = set(data_elements(session))
        org_units = frozenset(registry.org_unit_codes(session))
    crosswalks: dict[str, list[Entry]] = {kind: [] for kind in KINDS}
    first: dict[tuple[str, str, str], str] = {}  # (kind, field, value) → where it was first mapped
    for raw in raws:
        entry = _entry(raw, elements, org_units, problems)
        if entry is None:
            continue
        keys = {"uid": entry.uid, "code": entry.code, "ours": entry.ours,
                "adx": ";".join(f"{k}={v}" for k, v in sorted(entry.adx))}
        keys = {name: value for name, value in keys.items() if value or name == "ours"}
        clashes = [(name, value) for name, value in keys.items() if (raw.kind, name, value) in first]
        for name, value in clashes:
            where = first[(raw.kind, name, value)]
            problems.append(raw.locate(name, f"“{value}”在映射中重复（首次出现于 {where}）",
                                       f"{value!r} is mapped twice (first at {where})"))
        if clashes:
            continue
        for name, value in keys.items():
            first[(raw.kind, name, value)] = raw.locate(name, "", "").located()
        crosswalks[raw.kind].append(entry)
    raise_if(problems)
    data_sets = crosswalks["data_set"]
    return Dhis2Mapping(Crosswalk(crosswalks["data_element"]), Crosswalk(crosswalks["org_unit"]),
                        Crosswalk(crosswalks["category_option_combo"]), data_sets[0] if data_sets else None,
                        by_code, org_units)


def _entry(raw: _Raw, elements: set[str], org_units: frozenset[str], problems: list[Problem]) -> Entry | None:
    uid, code, ours = (raw.fields.get(k, "").strip() for k in ("uid", "code", "ours"))
    before = len(problems)
    if not uid and not code:
        problems.append(raw.locate("uid", "须给出 uid 或 code", "give a uid or a code"))
    if uid and not UID.match(uid):
        problems.append(raw.locate("uid", f"“{uid}”不是 DHIS2 UID（11 位字母数字，字母开头）",
                                   f"{uid!r} is not a DHIS2 UID (11 letters/digits, starting with a letter)"))
    if raw.kind == "data_element" and ours not in elements:
        problems.append(raw.locate("ours", f"未知的数据元“{ours}”", f"unknown data element {ours!r}"))
    if raw.kind == "org_unit" and ours not in org_units:
        problems.append(raw.locate("ours", f"组织机构“{ours}”不存在", f"org unit {ours!r} does not exist"))
    for category, option in raw.adx.items():
        if not XML_NAME.match(category) or category in ADX_RESERVED:
            problems.append(raw.locate("adx", f"ADX 类别代码“{category}”不能用作 XML 属性名",
                                       f"ADX category code {category!r} cannot be an XML attribute name"))
        if not option:
            problems.append(raw.locate("adx", f"ADX 类别“{category}”缺少选项代码",
                                       f"ADX category {category!r} has no option code"))
    if raw.kind == "category_option_combo" and ours == "" and raw.adx:
        problems.append(raw.locate("adx", "默认组合（无分类）不能带 ADX 类别", "the default combo takes no ADX categories"))
    if len(problems) > before:
        return None
    return Entry(uid, code, ours, frozenset(raw.adx.items()))


def _read_yaml(path: Path, problems: list[Problem]) -> tuple[list[_Raw], bool]:
    document = load_yaml(path)
    source = path.name
    if not isinstance(document, dict):
        raise ValidationFailed([at_path(source, "$", "映射文件应为 YAML 映射（键: 值）",
                                        "the mapping file must be a YAML mapping")])
    raws: list[_Raw] = []
    for key in document:
        if key not in (*_SECTIONS, "data_set", "org_units_by_code"):
            problems.append(at_path(source, json_path(str(key)), f"无法识别的键“{key}”", f"unknown key {key!r}"))
    if "data_set" in document:
        raws.extend(_yaml_entries(source, [document["data_set"]], "data_set", ("data_set",), problems))
    for section, kind in _SECTIONS.items():
        items = document.get(section) or []
        if not isinstance(items, list):
            problems.append(at_path(source, json_path(section), "应为列表", "must be a list"))
            continue
        raws.extend(_yaml_entries(source, items, kind, (section,), problems))
    by_code = document.get("org_units_by_code", False)
    if not isinstance(by_code, bool):
        problems.append(at_path(source, json_path("org_units_by_code"), "应为 true 或 false", "must be true or false"))
    return raws, bool(by_code)


def _yaml_entries(source: str, items: list[Any], kind: str, prefix: tuple[str, ...],
                  problems: list[Problem]) -> list[_Raw]:
    raws = []
    for index, item in enumerate(items):
        parts: tuple[str | int, ...] = prefix if kind == "data_set" else (*prefix, index)
        if not isinstance(item, dict):
            problems.append(at_path(source, json_path(*parts), "应为映射 {uid, code, ours}",
                                    "must be a mapping {uid, code, ours}"))
            continue
        unknown = set(item) - {"uid", "code", "ours", "adx", "name"}
        for key in sorted(unknown, key=str):
            problems.append(at_path(source, json_path(*parts, str(key)), f"无法识别的键“{key}”", f"unknown key {key!r}"))
        adx = item.get("adx") or {}
        if not isinstance(adx, dict):
            problems.append(at_path(source, json_path(*parts, "adx"), "应为 {类别代码: 选项代码}",
                                    "must be {category code: option code}"))
            adx = {}
        fields = {k: "" if item.get(k) is None else str(item.get(k)) for k in ("uid", "code", "ours")}

        def locate(name: str, zh: str, en: str, parts: tuple[str | int, ...] = parts) -> Problem:
            return at_path(source, json_path(*parts, name), zh, en)

        raws.append(_Raw(kind, fields, {str(k): str(v) for k, v in adx.items()}, locate))
    return raws


def _read_csv(path: Path, problems: list[Problem]) -> tuple[list[_Raw], bool]:
    table = read_table(path, CSV_ALIASES, ["type", "ours"])
    raws: list[_Raw] = []
    by_code = False
    for row in table:
        kind = row.get("type")

        def locate(name: str, zh: str, en: str, row: Any = row) -> Problem:
            return table.problem(row, name if name in table.columns else None, zh, en)

        if kind == "setting":
            if row.get("code") != "org_units_by_code" or row.get("ours").lower() not in ("true", "false"):
                problems.append(locate("code", "设置行只支持 org_units_by_code = true/false",
                                       "the only setting is org_units_by_code = true/false"))
            by_code = by_code or row.get("ours").lower() == "true"
            continue
        if kind not in KINDS:
            problems.append(locate("type", f"类型“{kind}”应为 {', '.join(KINDS)} 或 setting",
                                   f"type {kind!r} must be one of {', '.join(KINDS)} or setting"))
            continue
        adx = _adx_text(row.get("adx"))
        if adx is None:
            problems.append(locate("adx", f"“{row.get('adx')}”应写作 类别=选项;类别=选项",
                                   f"{row.get('adx')!r} must read category=option;category=option"))
            adx = {}
        raws.append(_Raw(kind, {k: row.get(k) for k in ("uid", "code", "ours")}, adx, locate))
    return raws, by_code


def _adx_text(text: str) -> dict[str, str] | None:
    pairs: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.replace("；", ";").split(";"))):
        if "=" not in part:
            return None
        category, option = (s.strip() for s in part.split("=", 1))
        pairs[category] = option
    return pairs

