"""The FHIR vocabulary of the registry: identifier systems, code systems, extensions, mCSD types, HL7 mappings.

Our code systems and identifier systems live under ``NAMESPACE`` — canonical identifiers, not web pages
(nothing is served there); a partner system maps them like any other code system. Each of our attributes is one
``type`` CodeableConcept with our code and, where HL7 has one, the HL7 ``organization-type`` code as a second
(coarser) coding. Validity periods use HL7's ``organization-period`` extension (FHIR ``Period.end`` is
inclusive, our ``valid_to`` exclusive: end = valid_to − 1 day).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import Any

from healthplan.domain.labels import LabelledEnum
from healthplan.domain.registry import HOSPITAL_LEVEL_LABELS, Category

NAMESPACE = "http://healthplan.org.cn/fhir"
ORG_UNIT_CODE = f"{NAMESPACE}/sid/org-unit-code"  # our code of every area and facility
USCC = f"{NAMESPACE}/sid/uscc"  # 统一社会信用代码 (GB 32100-2015), for facilities whose code is one
ADMIN_DIVISION = f"{NAMESPACE}/sid/admin-division"  # 行政区划代码 (GB/T 2260), for areas

CS_LEVEL = f"{NAMESPACE}/CodeSystem/org-unit-level"
CS_CATEGORY = f"{NAMESPACE}/CodeSystem/facility-category"
CS_SPECIALTY = f"{NAMESPACE}/CodeSystem/facility-specialty"
CS_HOSPITAL_LEVEL = f"{NAMESPACE}/CodeSystem/hospital-level"
CS_GRADE = f"{NAMESPACE}/CodeSystem/hospital-grade"
CS_OWNERSHIP = f"{NAMESPACE}/CodeSystem/ownership"
CS_HOST = f"{NAMESPACE}/CodeSystem/host"
CS_URBAN_RURAL = f"{NAMESPACE}/CodeSystem/urban-rural"
CS_FLAG = f"{NAMESPACE}/CodeSystem/facility-flag"  # `central`: 中心卫生院
EXT_NETWORK = f"{NAMESPACE}/StructureDefinition/network-membership"  # 医共体/医联体/专科联盟 code

ORG_PERIOD = "http://hl7.org/fhir/StructureDefinition/organization-period"
HL7_ORG_TYPE = "http://terminology.hl7.org/CodeSystem/organization-type"
PHYSICAL_TYPE = "http://terminology.hl7.org/CodeSystem/location-physical-type"
MCSD_TYPES = "https://profiles.ihe.net/ITI/mCSD/CodeSystem/IHE.mCSD.Organization.Location.Types"
MCSD_PROFILE = "https://profiles.ihe.net/ITI/mCSD/StructureDefinition/IHE.mCSD."

_HL7_DISPLAY = {"prov": "Healthcare Provider", "govt": "Government", "other": "Other"}
#: Public-health agencies that act for the government rather than deliver care are `govt`.
_GOVERNMENT = {Category.CDC, Category.HEALTH_INSPECTION, Category.HEALTH_EDUCATION}
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ID_SAFE = re.compile(r"^[A-Za-z0-9.\-]{1,60}$")


def hl7_organization_type(category: Category) -> str:
    if category is Category.OTHER:
        return "other"
    return "govt" if category in _GOVERNMENT else "prov"


def coding(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    return {"system": system, "code": code, **({"display": display} if display else {})}


def concept(*codings: dict[str, Any]) -> dict[str, Any]:
    return {"coding": list(codings)}


def enum_concept(system: str, member: LabelledEnum) -> dict[str, Any]:
    return concept(coding(system, member.value, member.label))


def category_concept(category: Category) -> dict[str, Any]:
    hl7 = hl7_organization_type(category)
    return concept(coding(CS_CATEGORY, category.value, category.label), coding(HL7_ORG_TYPE, hl7, _HL7_DISPLAY[hl7]))


def hospital_level_concept(level: int) -> dict[str, Any]:
    return concept(coding(CS_HOSPITAL_LEVEL, str(level), HOSPITAL_LEVEL_LABELS.get(level)))


def mcsd_concept(kind: str) -> dict[str, Any]:
    return concept(coding(MCSD_TYPES, kind, kind.capitalize()))


def codes_by_system(concepts: Iterable[dict[str, Any]] | None) -> dict[str, str]:
    """system → code over every coding of the ``type`` concepts (the first code of a system wins)."""
    found: dict[str, str] = {}
    for item in concepts or []:
        for c in item.get("coding") or []:
            if c.get("system") and c.get("code") is not None:
                found.setdefault(c["system"], str(c["code"]))
    return found


def is_uscc(code: str) -> bool:
    """Whether ``code`` is a 统一社会信用代码 with a correct check character (GB 32100-2015)."""
    if len(code) != 18 or any(ch not in _USCC_CHARS for ch in code):
        return False
    total = sum(_USCC_CHARS.index(ch) * w for ch, w in zip(code[:17], _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31] == code[17]


def is_division_code(code: str) -> bool:
    return code.isdigit() and len(code) in (2, 4, 6, 9, 12)


def resource_id(prefix: str, code: str) -> str:
    """A FHIR id for one of our codes: readable when the code allows, a stable digest otherwise."""
    if _ID_SAFE.match(code):
        return f"{prefix}-{code}"
    return f"{prefix}-{hashlib.sha1(code.encode()).hexdigest()[:40]}"
