"""The registry as of a date → a FHIR R4 transaction Bundle of IHE mCSD Organization and Location resources.

Every area is a jurisdiction (an Organization plus a Location managed by it); every facility is a facility
(Organization plus Location), each ``partOf`` its area. A facility is described by its version in force on the
as-of date; one that closed before it is still listed, inactive, with the period it ran; one not yet opened is
left out. A subtree export carries the subtree's ancestors too, so the Bundle is self-contained. PUT entries with
our ids let a FHIR server take the Bundle as is. Validated with the ``fhir.resources`` R4B classes (FHIR 4.3,
whose Organization, Location and Bundle are those of R4 4.0.1 — the package has no 4.0.1 classes).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from healthplan.domain.registry import FacilityVersion, OrgUnit
from healthplan.interop.fhir import codes as c
from healthplan.interop.scope import RegistryTree
from healthplan.store.database import Database

_UUIDS = uuid.uuid5(uuid.NAMESPACE_URL, c.NAMESPACE)


@dataclass(frozen=True)
class BundleExport:
    bundle: dict[str, Any]
    areas: int
    facilities: int
    inactive: int

    def to_json(self) -> dict[str, object]:
        return {"resources": len(self.bundle["entry"]), "areas": self.areas, "facilities": self.facilities,
                "inactive_facilities": self.inactive}


def export_bundle(database: Database, as_of: dt.date, root: str | None = None, active_only: bool = False,
                  now: dt.datetime | None = None) -> BundleExport:
    from fhir.resources.R4B.bundle import Bundle

    with database.sessions() as session:
        tree = RegistryTree.load(session)
    inside = tree.subtree(root)
    areas = [*reversed(tree.ancestors(root)), *inside] if root is not None else inside
    entries: list[dict[str, Any]] = []
    for code in areas:
        entries.extend(_area(tree.areas[code]))
    versions = [v for v in (_as_of(history, as_of) for history in tree.histories.values()) if v is not None]
    within = set(inside)
    chosen = sorted((v for v in versions if v.parent_code in within), key=lambda v: v.code)
    facilities = inactive = 0
    for version in chosen:
        active = version.active_on(as_of)
        if active_only and not active:
            continue
        facilities += 1
        inactive += not active
        entries.extend(_facility(version, active))
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    document = {"resourceType": "Bundle", "meta": {"lastUpdated": stamp.isoformat().replace("+00:00", "Z")},
                "type": "transaction", "entry": entries}
    Bundle.model_validate(document)  # a conformance check; the document itself is what we write
    return BundleExport(document, len(areas), facilities, inactive)


def _as_of(history: list[FacilityVersion], date: dt.date) -> FacilityVersion | None:
    """The version in force on ``date``, else the last one before it (a closed facility), else None."""
    started = [v for v in history if v.valid_from <= date]
    if not started:
        return None
    return next((v for v in started if v.active_on(date)), started[-1])


def _entry(resource: dict[str, Any]) -> dict[str, Any]:
    reference = f"{resource['resourceType']}/{resource['id']}"
    return {"fullUrl": f"urn:uuid:{uuid.uuid5(_UUIDS, reference)}", "resource": resource,
            "request": {"method": "PUT", "url": reference}}


def _identifiers(code: str, national: tuple[str, bool]) -> list[dict[str, Any]]:
    system, applies = national
    return [{"system": c.ORG_UNIT_CODE, "value": code}, *([{"system": system, "value": code}] if applies else [])]


def _position(lat: float | None, lon: float | None) -> dict[str, Any]:
    return {"position": {"longitude": lon, "latitude": lat}} if lat is not None and lon is not None else {}


def _area(unit: OrgUnit) -> list[dict[str, Any]]:
    rid = c.resource_id("ou", unit.code)
    identifiers = _identifiers(unit.code, (c.ADMIN_DIVISION, c.is_division_code(unit.code)))
    level = c.concept(c.coding(c.CS_LEVEL, unit.level.value, unit.level.label),
                      c.coding(c.HL7_ORG_TYPE, "govt", "Government"))
    extra = [c.enum_concept(c.CS_URBAN_RURAL, unit.urban_rural)] if unit.urban_rural else []
    parent = {"reference": f"Organization/{c.resource_id('ou', unit.parent_code)}"} if unit.parent_code else None
    organization = {
        "resourceType": "Organization", "id": rid, "meta": {"profile": [c.MCSD_PROFILE + "JurisdictionOrganization"]},
        "identifier": identifiers, "active": True, "type": [c.mcsd_concept("jurisdiction"), level, *extra],
        "name": unit.name, **({"partOf": parent} if parent else {})}
    location = {
        "resourceType": "Location", "id": rid, "meta": {"profile": [c.MCSD_PROFILE + "JurisdictionLocation"]},
        "identifier": identifiers, "status": "active", "name": unit.name,
        "type": [c.mcsd_concept("jurisdiction"), c.concept(c.coding(c.CS_LEVEL, unit.level.value, unit.level.label))],
        "physicalType": c.concept(c.coding(c.PHYSICAL_TYPE, "jdn", "Jurisdiction")),
        **_position(unit.lat, unit.lon), "managingOrganization": {"reference": f"Organization/{rid}"},
        **({"partOf": {"reference": f"Location/{c.resource_id('ou', unit.parent_code)}"}} if unit.parent_code else {})}
    return [_entry(organization), _entry(location)]


def _facility(v: FacilityVersion, active: bool) -> list[dict[str, Any]]:
    rid = c.resource_id("fac", v.code)
    identifiers = _identifiers(v.code, (c.USCC, c.is_uscc(v.code)))
    types = [c.mcsd_concept("facility"), c.category_concept(v.category), c.hospital_level_concept(v.level),
             c.enum_concept(c.CS_OWNERSHIP, v.ownership)]
    for system, member in ((c.CS_SPECIALTY, v.specialty), (c.CS_GRADE, v.grade), (c.CS_HOST, v.host),
                           (c.CS_URBAN_RURAL, v.urban_rural)):
        if member is not None:
            types.append(c.enum_concept(system, member))
    if v.central:
        types.append(c.concept(c.coding(c.CS_FLAG, "central", "中心卫生院")))
    period = {"start": v.valid_from.isoformat(),
              **({"end": (v.valid_to - dt.timedelta(days=1)).isoformat()} if v.valid_to else {})}
    extensions = [{"url": c.ORG_PERIOD, "valuePeriod": period},
                  *({"url": c.EXT_NETWORK, "valueString": group} for group in v.groups)]
    organization = {
        "resourceType": "Organization", "id": rid, "meta": {"profile": [c.MCSD_PROFILE + "FacilityOrganization"]},
        "extension": extensions, "identifier": identifiers, "active": active, "type": types, "name": v.name,
        "partOf": {"reference": f"Organization/{c.resource_id('ou', v.parent_code)}"}}
    location = {
        "resourceType": "Location", "id": rid, "meta": {"profile": [c.MCSD_PROFILE + "FacilityLocation"]},
        "identifier": identifiers, "status": "active" if active else "inactive", "name": v.name,
        "type": [c.mcsd_concept("facility"), c.concept(c.coding(c.CS_CATEGORY, v.category.value, v.category.label))],
        "physicalType": c.concept(c.coding(c.PHYSICAL_TYPE, "si", "Site")), **_position(v.lat, v.lon),
        "managingOrganization": {"reference": f"Organization/{rid}"},
        "partOf": {"reference": f"Location/{c.resource_id('ou', v.parent_code)}"}}
    return [_entry(organization), _entry(location)]
