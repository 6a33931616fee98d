"""A FHIR R4 Bundle (IHE mCSD) → the areas and facility versions it describes, or every problem by JSON path.

The Bundle is first validated with the ``fhir.resources`` R4B classes (the R4 structure of Organization,
Location and Bundle); then each Organization is read as an area (an ``org-unit-level`` code or the mCSD
``jurisdiction`` type) or a facility (a ``facility-category`` code or the mCSD ``facility`` type), identified
by our ``org-unit-code`` identifier. A Location managed by an Organization gives its position. ``partOf`` may
point inside the Bundle, or to an area already stored (``Organization/ou-<code>`` or a logical reference by
identifier). Other resources (HealthcareService, Practitioner, Organizations that are neither, …) are
counted and left alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from healthplan.domain.labels import LabelledEnum
from healthplan.domain.problems import Problem, ValidationFailed
from healthplan.domain.registry import (
    Category,
    FacilityVersion,
    Grade,
    Host,
    Level,
    OrgUnit,
    Ownership,
    Specialty,
    UrbanRural,
)
from healthplan.interop.documents import at_path, json_path, load_json, raise_if
from healthplan.interop.fhir import codes as c
from healthplan.store import registry
from healthplan.store.database import Database

E = TypeVar("E", bound=LabelledEnum)


@dataclass(frozen=True)
class BundleContent:
    areas: list[OrgUnit]
    facilities: list[FacilityVersion]
    ignored: int  # entries that are neither an area nor a facility nor their Location


def read_bundle(path: Path, database: Database, valid_from: dt.date | None = None) -> BundleContent:
    from fhir.resources.R4B.bundle import Bundle
    from pydantic import ValidationError

    source = path.name
    document = load_json(path)
    if not isinstance(document, dict) or document.get("resourceType") != "Bundle":
        raise ValidationFailed([at_path(source, json_path("resourceType"), "应为 FHIR Bundle", "expected a FHIR Bundle")])
    try:
        Bundle.model_validate(document)
    except ValidationError as exc:
        raise ValidationFailed([at_path(source, json_path(*(p for p in e["loc"] if isinstance(p, str | int))),
                                        f"不符合 FHIR R4 结构：{e['msg']}", f"not valid FHIR R4: {e['msg']}")
                                for e in exc.errors()]) from None
    with database.sessions() as session:
        stored = registry.org_unit_codes(session)
    return _Reader(source, document.get("entry") or [], stored, valid_from).read()


@dataclass
class _Reader:
    source: str
    entries: list[dict[str, Any]]
    stored: dict[str, str]  # code → level of every org unit in the database
    valid_from: dt.date | None
    problems: list[Problem] = field(default_factory=list)
    references: dict[str, int] = field(default_factory=dict)  # "Organization/x" or fullUrl → entry index

    def fail(self, index: int, parts: tuple[str | int, ...], zh: str, en: str) -> None:
        self.problems.append(at_path(self.source, json_path("entry", index, "resource", *parts), zh, en))

    def read(self) -> BundleContent:
        organizations: dict[int, dict[str, Any]] = {}
        locations: dict[int, dict[str, Any]] = {}
        for index, entry in enumerate(self.entries):
            resource = entry.get("resource") or {}
            kind = resource.get("resourceType")
            if kind in ("Organization", "Location"):
                (organizations if kind == "Organization" else locations)[index] = resource
                if resource.get("id"):
                    self.references[f"{kind}/{resource['id']}"] = index
                if entry.get("fullUrl"):
                    self.references[entry["fullUrl"]] = index
        organizations = {i: r for i, r in organizations.items() if _in_registry(r)}
        codes = {i: code for i, r in organizations.items() if (code := self.code(i, r)) is not None}
        first: dict[str, int] = {}
        for index, code in codes.items():
            if code in first:
                self.fail(index, ("identifier",), f"代码“{code}”与第 {first[code]} 个条目重复",
                          f"code {code!r} repeats entry {first[code]}")
            first.setdefault(code, index)
        kinds = {i: self.kind(i, organizations[i]) for i in codes}
        positions, used = self.positions(locations, codes)
        area_levels = {codes[i]: self.level(i, organizations[i]) for i, k in kinds.items() if k == "area"}
        areas = [unit for i, k in kinds.items() if k == "area" and (
            unit := self.area(i, organizations[i], codes[i], area_levels, codes, positions)) is not None]
        facilities = [version for i, k in kinds.items() if k == "facility" and (
            version := self.facility(i, organizations[i], codes[i], area_levels, codes, positions)) is not None]
        raise_if(self.problems)
        ignored = len(self.entries) - len(codes) - len(used)
        return BundleContent(areas, facilities, ignored)

    def code(self, index: int, resource: dict[str, Any]) -> str | None:
        for identifier in resource.get("identifier") or []:
            if identifier.get("system") == c.ORG_UNIT_CODE and identifier.get("value"):
                return str(identifier["value"])
        self.fail(index, ("identifier",), f"缺少系统为 {c.ORG_UNIT_CODE} 的标识符（本系统代码）",
                  f"no identifier with system {c.ORG_UNIT_CODE} (our code)")
        return None

    def kind(self, index: int, resource: dict[str, Any]) -> str | None:
        types = c.codes_by_system(resource.get("type"))
        mcsd = types.get(c.MCSD_TYPES)
        if c.CS_CATEGORY in types or mcsd == "facility":
            return "facility"
        if c.CS_LEVEL in types or mcsd == "jurisdiction":
            return "area"
        self.fail(index, ("type",), "无法判断是区域还是机构（缺少 org-unit-level 或 facility-category 类型编码）",
                  "neither an area nor a facility (no org-unit-level or facility-category type code)")
        return None

    def level(self, index: int, resource: dict[str, Any]) -> Level | None:
        text = c.codes_by_system(resource.get("type")).get(c.CS_LEVEL)
        level = self.enum(index, resource, c.CS_LEVEL, Level, required=True)
        if level is Level.FACILITY:
            self.fail(index, ("type",), f"区域层级不能是“{text}”", f"an area cannot have level {text!r}")
            return None
        return level

    def enum(self, index: int, resource: dict[str, Any], system: str, enum: type[E],
             required: bool = False) -> E | None:
        text = c.codes_by_system(resource.get("type")).get(system)
        if text is None:
            if required:
                self.fail(index, ("type",), f"缺少 {system} 编码", f"no {system} code")
            return None
        try:
            return enum(text)
        except ValueError:
            self.fail(index, ("type",), f"“{text}”不是 {system} 中的代码，可选：{enum.choices()}",
                      f"{text!r} is not a code of {system}; choose one of {enum.choices()}")
            return None

    def positions(self, locations: dict[int, dict[str, Any]], codes: dict[int, str]
                  ) -> tuple[dict[str, tuple[float, float]], set[int]]:
        """(lat, lon) by org code from the Locations they manage; also which Location entries were used."""
        found: dict[str, tuple[float, float]] = {}
        used: set[int] = set()
        for index, location in locations.items():
            managing = location.get("managingOrganization")
            if not managing:
                continue
            target = self.references.get(str(managing.get("reference", "")))
            if target is None:
                self.fail(index, ("managingOrganization",), "managingOrganization 指向的机构不在 Bundle 中",
                          "managingOrganization does not point to an Organization of this Bundle")
                continue
            if target not in codes:
                continue  # an Organization without our code: reported there
            used.add(index)
            position = location.get("position")
            if not position:
                continue
            lat, lon = float(position["latitude"]), float(position["longitude"])
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                self.fail(index, ("position",), f"坐标超出范围：纬度 {lat}，经度 {lon}",
                          f"position out of range: latitude {lat}, longitude {lon}")
                continue
            code = codes[target]
            if code in found and found[code] != (lat, lon):
                self.fail(index, ("position",), f"“{code}”的多个 Location 坐标不一致",
                          f"the Locations of {code!r} disagree on the position")
            found.setdefault(code, (lat, lon))
        return found, used

    def parent(self, index: int, resource: dict[str, Any], codes: dict[int, str]) -> str | None:
        """The code of the Organization that ``partOf`` names, in the Bundle or already stored."""
        part_of = resource.get("partOf")
        if not part_of:
            return None
        identifier = part_of.get("identifier") or {}
        if identifier.get("system") == c.ORG_UNIT_CODE and identifier.get("value"):
            code = str(identifier["value"])
            if code in codes.values() or code in self.stored:
                return code
            self.fail(index, ("partOf",), f"上级“{code}”既不在 Bundle 中，也不是已有区域",
                      f"parent {code!r} is neither in the Bundle nor a stored area")
            return None
        reference = str(part_of.get("reference", ""))
        target = self.references.get(reference)
        if target is not None and target in codes:
            return codes[target]
        tail = reference.rsplit("/", 1)[-1]
        if tail.startswith("ou-") and tail[3:] in self.stored:
            return tail[3:]
        self.fail(index, ("partOf",), f"上级“{reference}”既不在 Bundle 中，也不是已有区域",
                  f"parent {reference!r} is neither in the Bundle nor a stored area")
        return None

    def area(self, index: int, resource: dict[str, Any], code: str, levels: dict[str, Level | None],
             codes: dict[int, str], positions: dict[str, tuple[float, float]]) -> OrgUnit | None:
        level, name = levels[code], resource.get("name")
        parent = self.parent(index, resource, codes)
        if not name:
            self.fail(index, ("name",), "缺少名称", "name is missing")
        if self.stored.get(code) == Level.FACILITY.value:
            self.fail(index, ("identifier",), f"代码“{code}”已是机构", f"code {code!r} belongs to a facility")
        if resource.get("active") is False:
            self.fail(index, ("active",), "区域不能停用（healthplan 的区划没有有效期）",
                      "areas cannot be inactive (healthplan's areas are not effective-dated)")
        if parent is not None and level is not None and not (parent in levels and levels[parent] is None):
            parent_level = levels.get(parent) if parent in levels else _stored_level(self.stored.get(parent))
            if parent_level is None:
                self.fail(index, ("partOf",), f"上级“{parent}”不是区域", f"parent {parent!r} is not an area")
            elif parent_level.depth >= level.depth:
                self.fail(index, ("partOf",), f"上级“{parent}”（{parent_level.label}）不高于本级（{level.label}）",
                          f"parent {parent!r} ({parent_level.value}) is not above {level.value}")
        lat, lon = positions.get(code, (None, None))
        urban_rural = self.enum(index, resource, c.CS_URBAN_RURAL, UrbanRural)
        if level is None or not name:
            return None
        return OrgUnit(code, str(name), level, parent, lat, lon, urban_rural)

    def facility(self, index: int, resource: dict[str, Any], code: str, levels: dict[str, Level | None],
                 codes: dict[int, str], positions: dict[str, tuple[float, float]]) -> FacilityVersion | None:
        category = self.enum(index, resource, c.CS_CATEGORY, Category, required=True)
        name, parent = resource.get("name"), self.parent(index, resource, codes)
        if not name:
            self.fail(index, ("name",), "缺少名称", "name is missing")
        if parent is None and "partOf" not in resource:
            self.fail(index, ("partOf",), "机构须有 partOf（所在区域）", "a facility needs partOf (its area)")
        elif parent is not None and parent not in levels and _stored_level(self.stored.get(parent)) is None:
            self.fail(index, ("partOf",), f"“{parent}”不是区域", f"{parent!r} is not an area")
        if code in self.stored and self.stored[code] != Level.FACILITY.value:
            self.fail(index, ("identifier",), f"代码“{code}”已被区域使用", f"code {code!r} belongs to an area")
        start, end = self.period(index, resource)
        level_text = c.codes_by_system(resource.get("type")).get(c.CS_HOSPITAL_LEVEL, "0")
        level = int(level_text) if level_text in ("0", "1", "2", "3") else None
        if level is None:
            self.fail(index, ("type",), f"医院等级“{level_text}”应为 0–3", f"hospital level {level_text!r} must be 0-3")
        specialty = self.enum(index, resource, c.CS_SPECIALTY, Specialty)
        grade = self.enum(index, resource, c.CS_GRADE, Grade)
        ownership = self.enum(index, resource, c.CS_OWNERSHIP, Ownership) or Ownership.PUBLIC
        host = self.enum(index, resource, c.CS_HOST, Host)
        urban_rural = self.enum(index, resource, c.CS_URBAN_RURAL, UrbanRural)
        groups = tuple(str(e.get("valueString")) for e in resource.get("extension") or []
                       if e.get("url") == c.EXT_NETWORK and e.get("valueString"))
        if category is None or not name or parent is None or start is None or level is None:
            return None
        lat, lon = positions.get(code, (None, None))
        central = c.codes_by_system(resource.get("type")).get(c.CS_FLAG) == "central"
        return FacilityVersion(code, str(name), parent, category, start, end, specialty, level, grade,
                               ownership, host, urban_rural, lat, lon, central, groups)

    def period(self, index: int, resource: dict[str, Any]) -> tuple[dt.date | None, dt.date | None]:
        """(valid_from, valid_to) from the organization-period extension (its end is inclusive)."""
        periods = [e.get("valuePeriod") or {} for e in resource.get("extension") or [] if e.get("url") == c.ORG_PERIOD]
        period = periods[0] if periods else {}
        start = _date(period.get("start")) or self.valid_from
        end = _date(period.get("end"))
        if start is None:
            self.fail(index, ("extension",), f"缺少有效期起始日期（{c.ORG_PERIOD} 扩展）；可用 --valid-from 指定",
                      f"no start date ({c.ORG_PERIOD} extension); give --valid-from")
        valid_to = end + dt.timedelta(days=1) if end is not None else None
        if start is not None and valid_to is not None and valid_to <= start:
            self.fail(index, ("extension",), "有效期结束早于开始", "the period ends before it starts")
        if resource.get("active") is False and end is None:
            self.fail(index, ("active",), "停用的机构须给出有效期结束日期", "an inactive facility needs a period end")
        return start, valid_to


def _in_registry(resource: dict[str, Any]) -> bool:
    """Whether an Organization is an area or facility at all: ours by identifier or by type.

    Others in a directory's Bundle (insurers, departments, NGOs …) are not registry entries and are left alone.
    """
    if any(i.get("system") == c.ORG_UNIT_CODE for i in resource.get("identifier") or []):
        return True
    types = c.codes_by_system(resource.get("type"))
    return c.CS_LEVEL in types or c.CS_CATEGORY in types or types.get(c.MCSD_TYPES) in ("facility", "jurisdiction")


def _date(text: object) -> dt.date | None:
    return dt.date.fromisoformat(str(text)[:10]) if text else None


def _stored_level(text: str | None) -> Level | None:
    if text is None or text == Level.FACILITY.value:
        return None
    return Level(text)
