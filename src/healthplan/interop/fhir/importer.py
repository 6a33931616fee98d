"""Write what a FHIR Bundle describes through ``store.registry``: all or nothing, audited, idempotent.

Areas are upserted; each facility version is placed into the facility's stored history (``history``), and the
resulting histories are written in the same transaction. A dry run does the whole write and rolls it back, so
its counts are exactly what a real import would do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from healthplan.domain.registry import FacilityVersion
from healthplan.interop.fhir.history import place_version
from healthplan.interop.fhir.reader import read_bundle
from healthplan.store import registry
from healthplan.store.database import Database
from healthplan.store.registry import Changes


@dataclass(frozen=True)
class BundleImport:
    dry_run: bool
    org_units: Changes
    facilities: Changes
    ignored: int

    def to_json(self) -> dict[str, object]:
        return {"status": "SUCCESS", "dryRun": self.dry_run, "org_units": self.org_units.to_json(),
                "facilities": self.facilities.to_json(), "ignored": self.ignored, "conflicts": []}


def import_bundle(path: Path, database: Database, user: str, *, dry_run: bool = False,
                  valid_from: dt.date | None = None) -> BundleImport:
    content = read_bundle(path, database, valid_from)
    with database.sessions() as session, session.begin() as transaction:
        areas = registry.upsert_org_units(session, content.areas, user)
        stored: dict[str, list[FacilityVersion]] = {}
        for version in registry.all_facility_versions(session):
            stored.setdefault(version.code, []).append(version)
        histories: list[FacilityVersion] = []
        for version in content.facilities:
            histories.extend(place_version(stored.get(version.code, []), version))
        facilities = registry.upsert_facilities(session, histories, user)
        if dry_run:
            transaction.rollback()
    return BundleImport(dry_run, areas, facilities, content.ignored)
