"""Org units and facilities (DESIGN §3.1): the area tree and the effective-dated facility registry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from healthplan.domain.labels import LabelledEnum, labelled


@labelled({"country": "国家", "province": "省", "city": "市", "county": "县(市、区)",
           "township": "乡镇(街道)", "village": "村(社区)", "facility": "机构"})
class Level(LabelledEnum):
    COUNTRY = "country"
    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    TOWNSHIP = "township"
    VILLAGE = "village"
    FACILITY = "facility"

    @property
    def depth(self) -> int:
        return list(Level).index(self)


@labelled({
    "general_hospital": "综合医院", "tcm_hospital": "中医医院", "integrated_hospital": "中西医结合医院",
    "ethnic_hospital": "民族医院", "specialty_hospital": "专科医院", "nursing_home": "护理院",
    "mch_center": "妇幼保健院(所/中心)", "community_health_center": "社区卫生服务中心",
    "community_health_station": "社区卫生服务站", "township_health_center": "乡镇卫生院",
    "village_clinic": "村卫生室", "outpatient_dept": "门诊部", "clinic": "诊所/医务室",
    "cdc": "疾病预防控制中心", "disease_control_specialty": "专科疾病防治院(所)",
    "emergency_center": "急救中心(站)", "blood_center": "采供血机构", "health_inspection": "卫生监督所",
    "health_education": "健康教育所", "other": "其他机构",
})
class Category(LabelledEnum):
    GENERAL_HOSPITAL = "general_hospital"
    TCM_HOSPITAL = "tcm_hospital"
    INTEGRATED_HOSPITAL = "integrated_hospital"
    ETHNIC_HOSPITAL = "ethnic_hospital"
    SPECIALTY_HOSPITAL = "specialty_hospital"
    NURSING_HOME = "nursing_home"
    MCH_CENTER = "mch_center"
    COMMUNITY_HEALTH_CENTER = "community_health_center"
    COMMUNITY_HEALTH_STATION = "community_health_station"
    TOWNSHIP_HEALTH_CENTER = "township_health_center"
    VILLAGE_CLINIC = "village_clinic"
    OUTPATIENT_DEPT = "outpatient_dept"
    CLINIC = "clinic"
    CDC = "cdc"
    DISEASE_CONTROL_SPECIALTY = "disease_control_specialty"
    EMERGENCY_CENTER = "emergency_center"
    BLOOD_CENTER = "blood_center"
    HEALTH_INSPECTION = "health_inspection"
    HEALTH_EDUCATION = "health_education"
    OTHER = "other"


HOSPITALS = frozenset({
    Category.GENERAL_HOSPITAL, Category.TCM_HOSPITAL, Category.INTEGRATED_HOSPITAL,
    Category.ETHNIC_HOSPITAL, Category.SPECIALTY_HOSPITAL, Category.NURSING_HOME,
})
PRIMARY_CARE = frozenset({
    Category.COMMUNITY_HEALTH_CENTER, Category.COMMUNITY_HEALTH_STATION, Category.TOWNSHIP_HEALTH_CENTER,
    Category.VILLAGE_CLINIC, Category.OUTPATIENT_DEPT, Category.CLINIC,
})
PUBLIC_HEALTH_INSTITUTIONS = frozenset({
    Category.CDC, Category.DISEASE_CONTROL_SPECIALTY, Category.MCH_CENTER, Category.EMERGENCY_CENTER,
    Category.BLOOD_CENTER, Category.HEALTH_INSPECTION, Category.HEALTH_EDUCATION,
})
#: The derived groups every plan uses: 医院 / 基层医疗卫生机构 / 专业公共卫生机构.
CATEGORY_GROUPS: dict[str, frozenset[Category]] = {
    "hospital": HOSPITALS,
    "primary_care": PRIMARY_CARE,
    "public_health_institution": PUBLIC_HEALTH_INSTITUTIONS,
}
CATEGORY_GROUP_LABELS = {"hospital": "医院", "primary_care": "基层医疗卫生机构",
                         "public_health_institution": "专业公共卫生机构"}


@labelled({"psychiatric": "精神", "infectious": "传染病", "maternity": "妇产(科)", "children": "儿童",
           "oncology": "肿瘤", "rehabilitation": "康复", "eye": "眼科", "stomatology": "口腔",
           "occupational": "职业病", "other": "其他"})
class Specialty(LabelledEnum):
    PSYCHIATRIC = "psychiatric"
    INFECTIOUS = "infectious"
    MATERNITY = "maternity"
    CHILDREN = "children"
    ONCOLOGY = "oncology"
    REHABILITATION = "rehabilitation"
    EYE = "eye"
    STOMATOLOGY = "stomatology"
    OCCUPATIONAL = "occupational"
    OTHER = "other"


@labelled({"A": "甲等", "B": "乙等", "C": "丙等"})
class Grade(LabelledEnum):
    A = "A"
    B = "B"
    C = "C"


@labelled({"public": "公立", "private": "非公立"})
class Ownership(LabelledEnum):
    PUBLIC = "public"
    PRIVATE = "private"


@labelled({"province": "省办", "city": "市办", "county": "县办", "township": "乡镇办", "village": "村办",
           "enterprise": "企业办", "private": "个人/社会办"})
class Host(LabelledEnum):
    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    TOWNSHIP = "township"
    VILLAGE = "village"
    ENTERPRISE = "enterprise"
    PRIVATE = "private"


@labelled({"urban": "城市", "rural": "农村"})
class UrbanRural(LabelledEnum):
    URBAN = "urban"
    RURAL = "rural"


HOSPITAL_LEVEL_LABELS = {3: "三级", 2: "二级", 1: "一级", 0: "未定级"}


@dataclass(frozen=True)
class OrgUnit:
    """An area of the administrative tree (区划), identified by its national code."""

    code: str
    name: str
    level: Level
    parent_code: str | None
    lat: float | None = None
    lon: float | None = None
    urban_rural: UrbanRural | None = None


@dataclass(frozen=True)
class FacilityVersion:
    """One effective-dated version of a facility: valid from ``valid_from`` until the day before ``valid_to``."""

    code: str
    name: str
    parent_code: str
    category: Category
    valid_from: dt.date
    valid_to: dt.date | None = None
    specialty: Specialty | None = None
    level: int = 0
    grade: Grade | None = None
    ownership: Ownership = Ownership.PUBLIC
    host: Host | None = None
    urban_rural: UrbanRural | None = None
    lat: float | None = None
    lon: float | None = None
    central: bool = False
    groups: tuple[str, ...] = field(default_factory=tuple)

    def active_on(self, date: dt.date) -> bool:
        return self.valid_from <= date and (self.valid_to is None or date < self.valid_to)

    @property
    def attributes(self) -> tuple[object, ...]:
        """Everything but the dates: two adjacent versions with equal attributes are one version."""
        return (self.name, self.parent_code, self.category, self.specialty, self.level, self.grade,
                self.ownership, self.host, self.urban_rural, self.lat, self.lon, self.central, self.groups)
