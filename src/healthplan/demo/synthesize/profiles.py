"""Which data elements a facility records, by its registry attributes (a realistic yearly report form).

Hospitals report beds, staff, services, departments and capabilities; 乡镇卫生院 and 社区卫生服务中心 report
beds, staff (with 全科 and 公共卫生 physicians), 发热诊室/中医馆 and services; village clinics, 诊所 and 门诊部
report a few staff and their visits; public-health institutions report staffing and 编制; emergency centres
and larger hospitals report ambulances.
"""

from __future__ import annotations

from .registry import Version

FACILITY_ELEMENTS = (
    "beds.actual",
    "beds.approved",
    "beds.open",
    "beds.psychiatric",
    "beds.infectious",
    "beds.negative_pressure",
    "beds.icu",
    "staff.total",
    "staff.health_technical",
    "staff.physician",
    "staff.physician_tcm",
    "staff.nurse",
    "staff.pharmacist",
    "staff.gp",
    "staff.psychiatrist",
    "staff.public_health_physician",
    "staff.established",
    "staff.professional_technical",
    "equip.ambulance",
    "equip.ambulance_negative_pressure",
    "dept.geriatrics",
    "dept.infectious",
    "dept.fever_clinic",
    "dept.tcm_hall",
    "dept.tcm_clinical",
    "dept.mental",
    "dept.emergency",
    "dept.rehab",
    "cap.emr_level",
    "cap.smart_service_level",
    "cap.chest_pain_center",
    "cap.stroke_center",
    "cap.trauma_center",
    "cap.standard_met",
    "cap.occupational_diagnosis",
    "svc.visits",
    "svc.discharges",
    "svc.bed_days_occupied",
    "svc.bed_days_open",
    "svc.discharged_bed_days",
    "svc.day_surgeries",
    "svc.elective_surgeries",
)

CLINICAL_CATEGORIES = frozenset({"general_hospital", "tcm_hospital", "integrated_hospital"})
INPATIENT_PRIMARY = frozenset({"township_health_center", "community_health_center"})

_BEDS = {"beds.actual", "beds.approved", "beds.open"}
_INPATIENT_SERVICES = {
    "svc.visits",
    "svc.discharges",
    "svc.bed_days_occupied",
    "svc.bed_days_open",
    "svc.discharged_bed_days",
}
_CLINICAL_STAFF = {"staff.total", "staff.health_technical", "staff.physician", "staff.nurse"}
_HOSPITAL_DEPTS = {"dept.geriatrics", "dept.infectious", "dept.mental", "dept.emergency", "dept.rehab"}
_SURGICAL_SPECIALTIES = frozenset({"eye", "maternity", "children", "oncology"})


def is_senior(version: Version) -> bool:
    """二级及以上."""
    return version.level >= 2


def has_inpatients(version: Version) -> bool:
    return version.is_hospital or version.category in INPATIENT_PRIMARY or version.category == "mch_center"


def elements(version: Version) -> frozenset[str]:
    """The data elements ``version``'s facility records each year."""
    category, specialty, senior = version.category, version.specialty, is_senior(version)
    general_senior = category == "general_hospital" and senior
    out: set[str] = set()
    if has_inpatients(version):
        out |= _BEDS | _INPATIENT_SERVICES | _CLINICAL_STAFF | {"staff.pharmacist", "staff.physician_tcm"}
    if version.is_hospital:
        out.add("beds.psychiatric")
    if (category in CLINICAL_CATEGORIES and senior) or specialty in ("infectious", "children"):
        out |= {"beds.infectious", "beds.negative_pressure", "beds.icu"}
    if category == "outpatient_dept":
        out |= _CLINICAL_STAFF | {"staff.pharmacist", "svc.visits"}
    if category in ("community_health_station", "clinic"):
        out |= _CLINICAL_STAFF | {"svc.visits"}
    if category == "village_clinic":
        out |= {"staff.total", "staff.health_technical", "staff.physician", "svc.visits"}
    if category in ("general_hospital", "township_health_center", "community_health_center",
                    "community_health_station"):
        out.add("staff.gp")
    if specialty == "psychiatric" or general_senior:
        out.add("staff.psychiatrist")
    if category in INPATIENT_PRIMARY or category == "mch_center" or general_senior:
        out.add("staff.public_health_physician")
    if category == "other":
        out |= {"staff.total", "staff.health_technical"}
    if version.is_public_health:
        out |= {"staff.total", "staff.health_technical", "staff.established", "staff.professional_technical"}
    if category in ("emergency_center", "township_health_center") or (
        category in CLINICAL_CATEGORIES and senior
    ) or specialty == "infectious":
        out |= {"equip.ambulance", "equip.ambulance_negative_pressure"}
    if category in CLINICAL_CATEGORIES:
        out |= _HOSPITAL_DEPTS
    if category == "general_hospital":
        out.add("dept.tcm_clinical")
    if category == "mch_center" or specialty == "children":
        out.add("dept.mental")
    if category in INPATIENT_PRIMARY:
        out |= {"dept.fever_clinic", "dept.tcm_hall", "cap.standard_met"}
    if senior and (version.is_hospital or category == "mch_center"):
        out |= {"cap.emr_level", "cap.smart_service_level"}
    if general_senior:
        out |= {"cap.chest_pain_center", "cap.stroke_center", "cap.trauma_center"}
    if category == "general_hospital" and version.host == "county":
        out.add("cap.standard_met")
    if general_senior or specialty == "occupational" or category == "cdc":
        out.add("cap.occupational_diagnosis")
    if (category in CLINICAL_CATEGORIES and senior) or (version.is_hospital and specialty in _SURGICAL_SPECIALTIES):
        out |= {"svc.day_surgeries", "svc.elective_surgeries"}
    return frozenset(out)
