"""The encounter record of DESIGN §4, as an Arrow schema, with the coded values and their Chinese labels.

One row is one encounter (一次门诊、急诊或住院). ``surgery`` extends the DESIGN columns so that 日间手术占比
can be measured; files without it mean “no surgery recorded”. An encounter belongs to the period of its
discharge date when it is an inpatient stay and of its visit (admission) date otherwise — the dataset is
partitioned by the year and month of that date.
"""

from __future__ import annotations

import pyarrow as pa

from healthplan.domain.labels import LabelledEnum, labelled


@labelled({"outpatient": "门诊", "emergency": "急诊", "inpatient": "住院"})
class EncounterType(LabelledEnum):
    OUTPATIENT = "outpatient"
    EMERGENCY = "emergency"
    INPATIENT = "inpatient"


@labelled({"none": "无", "up": "上转", "down": "下转"})
class Referral(LabelledEnum):
    """Whether the patient came to this facility referred up (from a lower level) or down (from a higher one)."""

    NONE = "none"
    UP = "up"
    DOWN = "down"


@labelled({"none": "无", "elective": "择期手术", "day": "日间手术"})
class Surgery(LabelledEnum):
    """A day surgery (日间手术) is an elective surgery done within 24 hours; both count as 择期手术."""

    NONE = "none"
    ELECTIVE = "elective"
    DAY = "day"


ENCOUNTER_SCHEMA = pa.schema([
    pa.field("encounter_id", pa.string(), nullable=False),
    pa.field("patient_key", pa.string(), nullable=False),
    pa.field("residence_code", pa.string(), nullable=False),
    pa.field("facility_code", pa.string(), nullable=False),
    pa.field("type", pa.string(), nullable=False),
    pa.field("admit_date", pa.date32(), nullable=False),
    pa.field("discharge_date", pa.date32()),
    pa.field("icd10", pa.string()),
    pa.field("referral", pa.string(), nullable=False),
    pa.field("referral_from", pa.string()),
    pa.field("cost_total", pa.float64(), nullable=False),
    pa.field("cost_oop", pa.float64(), nullable=False),
    pa.field("surgery", pa.string(), nullable=False),
])
COLUMNS = tuple(ENCOUNTER_SCHEMA.names)
#: Columns a file may leave out: they are read as empty (``surgery`` and ``referral`` as ``none``).
OPTIONAL = frozenset({"discharge_date", "icd10", "referral", "referral_from", "surgery"})
#: The hive partition columns of a dataset: year and month of the encounter's period date.
PARTITIONS = ("year", "month")

#: Chinese headers users may give instead of the codes (exports of 医保结算/病案首页 systems).
ALIASES: dict[str, str] = {
    "就诊编号": "encounter_id", "就诊流水号": "encounter_id", "患者标识": "patient_key", "患者编号": "patient_key",
    "居住地代码": "residence_code", "常住地代码": "residence_code", "机构代码": "facility_code",
    "就诊机构代码": "facility_code", "就诊类型": "type", "入院日期": "admit_date", "就诊日期": "admit_date",
    "出院日期": "discharge_date", "疾病编码": "icd10", "主要诊断编码": "icd10", "转诊": "referral",
    "转诊类型": "referral", "转出机构": "referral_from", "总费用": "cost_total", "医疗总费用": "cost_total",
    "个人负担": "cost_oop", "个人自付": "cost_oop", "手术类型": "surgery",
}
