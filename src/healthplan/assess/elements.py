"""Data elements the shipped schemes need beyond the core set, registered by this package (not in the core YAML)."""

from __future__ import annotations

import json

from healthplan.domain.data import DataElement, Kind, ValueType
from healthplan.store import audit
from healthplan.store.database import Database
from healthplan.store.registry import Changes
from healthplan.store.values import data_elements, upsert_data_elements

ELEMENTS = (
    DataElement("cap.key_specialties", "临床重点专科(特色专科)数", "Key clinical (or featured) specialties",
                Kind.STOCK, ValueType.INTEGER, unit="个", minimum=0),
)


def ensure_elements(database: Database, user: str) -> Changes:
    """Register :data:`ELEMENTS` (idempotent; a new or changed element is audited)."""
    with database.transaction() as session:
        before = data_elements(session)
        changes = upsert_data_elements(session, ELEMENTS)
        for element in ELEMENTS:
            if before.get(element.code) != element:
                audit.record(session, user=user, action="update" if element.code in before else "insert",
                             entity="data_element", key=element.code,
                             new=json.dumps({"name": element.name, "kind": element.kind.value}, ensure_ascii=False))
    return changes
