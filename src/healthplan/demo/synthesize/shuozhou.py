"""朔州市: the facts of 朔州市“十四五”公共卫生体系规划 (朔政发〔2022〕14号) and the demo's assumptions.

Published (reproduced exactly): 第一章(一)1–2 (2,134 institutions on 2020-12-31 by type: 82 医院 = 48 综合 +
7 中医 + 6 中西医结合 + 21 专科; 92 乡镇卫生院, 69 社区卫生服务机构, 1,477 村卫生室, 13 门诊部, 375 诊所;
24 专业公共卫生机构; 2 检验中心; 床位 4.35/千人 in 2016), 第一章(一)5–6 (婴儿死亡率 2.62‰, 5岁以下 3.46‰,
65+ 健康管理率 72.99 %, 高血压 86.63 %, 糖尿病 82.93 % in 2020; 尚无三甲医院) and 表1 “2020年现状”.
Everything else is an assumption.
"""

from __future__ import annotations

from .series import Series
from .spec import (
    Churn,
    CountySpec,
    Event,
    FacilityMix,
    GroupSpec,
    NamedFacility,
    RegionSpec,
    ResidualUnit,
    TownshipLayout,
)

CITY = "140600"
SHUOCHENG, PINGLU, SHANYIN, YINGXIAN, YOUYU, HUAIREN, ZONE = (
    "140602", "140603", "140621", "140622", "140623", "140681", "140671",
)
COUNTY_NAMES = {
    SHUOCHENG: "朔城区",
    PINGLU: "平鲁区",
    SHANYIN: "山阴县",
    YINGXIAN: "应县",
    YOUYU: "右玉县",
    HUAIREN: "怀仁市",
}

COUNTIES = (
    CountySpec(SHUOCHENG, TownshipLayout(5, 5, 5, extra_health_centers=4, street_health_centers=2), growth=0.0,
               registered_ratio=0.96, community_centers=6, community_stations=12),
    CountySpec(PINGLU, TownshipLayout(1, 5, 6, extra_health_centers=4, street_health_centers=1), growth=-0.012,
               registered_ratio=1.08, community_centers=1, community_stations=3),
    CountySpec(SHANYIN, TownshipLayout(1, 6, 5, extra_health_centers=4, street_health_centers=1), growth=-0.01,
               registered_ratio=1.07, community_centers=2, community_stations=3),
    CountySpec(YINGXIAN, TownshipLayout(1, 6, 5, extra_health_centers=5, street_health_centers=1), growth=-0.011,
               registered_ratio=1.09, community_centers=1, community_stations=3),
    CountySpec(YOUYU, TownshipLayout(1, 4, 4, extra_health_centers=2, street_health_centers=1), growth=-0.013,
               registered_ratio=1.1, community_centers=1, community_stations=2),
    CountySpec(HUAIREN, TownshipLayout(3, 6, 4, extra_health_centers=4, street_health_centers=2), growth=-0.003,
               registered_ratio=1.0, community_centers=4, community_stations=8),
    CountySpec(ZONE, TownshipLayout(2, 0, 0), growth=0.025, registered_ratio=0.7, community_centers=1,
               community_stations=2),
)

# 朔州经济开发区: census population = city 1,593,444 − the six counties (reference/standards.md §5)
RESIDUAL = ResidualUnit(ZONE, "朔州经济开发区", population=71_744, age65plus_pct=6.78, inside=SHUOCHENG,
                        offset_km=(7.0, -1.0), radius_km=3.5)


def _county_institutions() -> list[NamedFacility]:
    general_grades = {SHUOCHENG: "A", PINGLU: "B", SHANYIN: "B", YINGXIAN: "A", YOUYU: "B", HUAIREN: "A"}
    mch_levels = {SHUOCHENG: (2, "B"), PINGLU: (1, ""), SHANYIN: (1, ""), YINGXIAN: (1, ""), YOUYU: (1, ""),
                  HUAIREN: (2, "B")}
    beds = {SHUOCHENG: 480, PINGLU: 260, SHANYIN: 320, YINGXIAN: 360, YOUYU: 200, HUAIREN: 450}
    out: list[NamedFacility] = []
    for code, name in COUNTY_NAMES.items():
        level, grade = mch_levels[code]
        out += [
            NamedFacility(f"SZ-RM-{code}", f"{name}人民医院", "general_hospital", code, "county", level=2,
                          grade=general_grades[code], size=beds[code], opened="1951-04-01"),
            NamedFacility(f"SZ-ZY-{code}", f"{name}中医医院", "tcm_hospital", code, "county", level=2, grade="B",
                          size=0.45 * beds[code], opened="1980-05-01"),
            NamedFacility(f"SZ-FY-{code}", f"{name}妇幼保健院", "mch_center", code, "county", level=level,
                          grade=grade, size=0.08 * beds[code], opened="1986-03-01"),
            NamedFacility(f"SZ-CDC-{code}", f"{name}疾病预防控制中心", "cdc", code, "county",
                          size=0.1 * beds[code], opened="2002-01-01"),
            NamedFacility(f"SZ-JD-{code}", f"{name}卫生监督所", "health_inspection", code, "county",
                          size=0.03 * beds[code], opened="2003-07-01"),
        ]
    return out


NAMED = (
    NamedFacility("SZ-RMYY", "朔州市人民医院", "general_hospital", SHUOCHENG, "city", level=3, grade="B", size=1000,
                  opened="1950-07-01", city_level=True),
    NamedFacility("SZ-ZYY", "朔州市中医医院", "tcm_hospital", SHUOCHENG, "city", level=2, grade="A", size=300,
                  opened="1987-06-01", city_level=True),
    NamedFacility("SZ-CRB", "朔州市传染病医院", "specialty_hospital", SHUOCHENG, "city", specialty="infectious",
                  level=2, size=150, opened="2009-10-01", city_level=True),
    NamedFacility("SZ-JS", "朔州市精神康复医院", "specialty_hospital", SHUOCHENG, "city", specialty="psychiatric",
                  level=2, size=210, opened="1996-04-01", city_level=True, township="other"),
    NamedFacility("SZ-DYY", "朔州市大医院", "general_hospital", SHUOCHENG, "city", size=800, opened="2022-09-01",
                  city_level=True),
    NamedFacility("SZ-PS", "平朔矿区总医院", "general_hospital", SHUOCHENG, "enterprise", level=2, grade="A",
                  size=400, opened="1987-09-01", township="other"),
    NamedFacility("SZ-KQ-HR", "怀仁矿区医院", "general_hospital", HUAIREN, "enterprise", level=2, size=180,
                  opened="1975-05-01", township="other"),
    NamedFacility("SZ-KQ-SY", "山阴矿区医院", "general_hospital", SHANYIN, "enterprise", level=2, size=150,
                  opened="1978-05-01", township="other"),
    NamedFacility("SZ-ZX-HR", "怀仁市中西医结合医院", "integrated_hospital", HUAIREN, "county", level=1, size=90,
                  opened="1999-03-01"),
    NamedFacility("SZ-ZX-SC", "朔城区中西医结合医院", "integrated_hospital", SHUOCHENG, "county", level=1, size=70,
                  opened="2003-03-01"),
    NamedFacility("SZ-P-BH", "朔城区博华医院", "general_hospital", SHUOCHENG, "private", ownership="private",
                  level=1, size=50, opened="2009-08-10"),
    NamedFacility("SZ-P-XK", "怀仁市新康医院", "general_hospital", HUAIREN, "private", ownership="private", level=1,
                  size=60, opened="2021-03-15"),
    # 专业公共卫生机构 24 (疾控 7, 妇幼 7, 急救 1, 采供血 2, 监督 7) and 检验中心 2
    NamedFacility("SZ-FYY", "朔州市妇幼保健院", "mch_center", SHUOCHENG, "city", level=2, grade="B", size=90,
                  opened="1984-06-01", city_level=True),
    NamedFacility("SZ-CDC", "朔州市疾病预防控制中心", "cdc", SHUOCHENG, "city", size=95, opened="2002-01-01",
                  city_level=True, firsts=("cap.occupational_diagnosis",)),
    NamedFacility("SZ-JJ", "朔州市急救中心", "emergency_center", SHUOCHENG, "city", size=48, opened="2006-12-01",
                  city_level=True),
    NamedFacility("SZ-XZ", "朔州市中心血站", "blood_center", SHUOCHENG, "city", size=45, opened="1995-04-01",
                  city_level=True),
    NamedFacility("SZ-XZ-HR", "怀仁市血站", "blood_center", HUAIREN, "county", size=14, opened="2004-04-01"),
    NamedFacility("SZ-JDS", "朔州市卫生监督所", "health_inspection", SHUOCHENG, "city", size=32, opened="2002-07-01",
                  city_level=True),
    NamedFacility("SZ-JJ-HR", "怀仁市急救站", "emergency_center", HUAIREN, "county", size=18, opened="2023-04-01"),
    NamedFacility("SZ-JY", "朔州市临床检验中心", "other", SHUOCHENG, "city", size=22, opened="2008-01-01",
                  city_level=True),
    NamedFacility("SZ-JY2", "朔州市医学检验中心", "other", SHUOCHENG, "city", size=18, opened="2018-05-01",
                  city_level=True),
    *_county_institutions(),
)

MIXES = (
    FacilityMix("general_hospital", 4, "private", "private", level=2, grade="B", size=(120, 220),
                opened=(2004, 2012)),
    FacilityMix("general_hospital", 28, "private", "private", level=1, size=(30, 110), opened=(2003, 2019)),
    FacilityMix("general_hospital", 6, "private", "private", level=0, size=(20, 50), opened=(2013, 2020)),
    FacilityMix("integrated_hospital", 4, "private", "private", level=1, size=(30, 70), opened=(2007, 2019)),
    FacilityMix("specialty_hospital", 1, "private", "private", specialty="psychiatric", level=1, size=(60, 100),
                opened=(2011, 2016)),
    FacilityMix("specialty_hospital", 4, "private", "private", specialty="stomatology", size=(4, 12),
                opened=(2010, 2020)),
    FacilityMix("specialty_hospital", 2, "private", "private", specialty="eye", level=1, size=(20, 45),
                opened=(2009, 2019)),
    FacilityMix("specialty_hospital", 3, "private", "private", specialty="maternity", level=1, size=(30, 60),
                opened=(2008, 2019)),
    FacilityMix("specialty_hospital", 3, "private", "private", specialty="rehabilitation", level=1, size=(40, 90),
                opened=(2013, 2020)),
    FacilityMix("specialty_hospital", 1, "private", "private", specialty="oncology", level=1, size=(60, 100),
                opened=(2012, 2016)),
    FacilityMix("specialty_hospital", 1, "private", "private", specialty="children", level=1, size=(30, 50),
                opened=(2012, 2017)),
    FacilityMix("specialty_hospital", 4, "private", "private", specialty="other", level=1, size=(30, 80),
                opened=(2008, 2020)),
    FacilityMix("community_health_center", 4, "private", "private", level=1, size=(0, 10), opened=(2012, 2019)),
    FacilityMix("community_health_station", 16, "private", "private", size=(3, 6), opened=(2010, 2020)),
    FacilityMix("village_clinic", 620, "public", "village", size=(1, 3), opened=(1985, 2012), urban=False),
    FacilityMix("village_clinic", 857, "private", "private", size=(1, 3), opened=(1995, 2014), urban=False),
    FacilityMix("outpatient_dept", 13, "private", "private", size=(6, 25), opened=(2006, 2020)),
    FacilityMix("clinic", 375, "private", "private", size=(1, 5), opened=(2003, 2020)),
)

EVENTS = (
    Event("SZ-RMYY", "2023-12-01", level=3, grade="A", size_factor=1.1, why="全市首家三级甲等 (first 3A)"),
    Event("SZ-ZYY", "2023-06-01", move=True, size_factor=1.5, why="新院区投用 (new campus, 第一章(二)1)"),
    Event("SZ-DYY", "2024-10-01", level=3, grade="B", why="评审为三级乙等"),
    Event("SZ-JS", "2022-01-01", size_factor=0.8, why="病区调整 (psychiatric wards reduced)"),
    Event(f"SZ-FY-{YOUYU}", "2021-10-01", level=2, grade="B", size_factor=1.2, why="达到二级标准"),
    Event("SZ-P-BH", "2019-05-01", close=True, why="停业注销 (closed)"),
)

GROUPS = (
    *(
        GroupSpec(f"SZ-YGT-{code}", "2017-08-01", (f"SZ-RM-{code}", f"SZ-ZY-{code}"), county=code)
        for code in COUNTY_NAMES
    ),
    GroupSpec("SZ-YLT-RMYY", "2019-01-01", ("SZ-RMYY", "SZ-FYY"), county=ZONE),
)

PUBLISHED_COUNTS = {
    "total": 2134,
    "hospital": 82,
    "general_hospital": 48,
    "tcm_hospital": 7,
    "integrated_hospital": 6,
    "specialty_hospital": 21,
    "primary_care": 2026,
    "township_health_center": 92,
    "community": 69,
    "village_clinic": 1477,
    "outpatient_dept": 13,
    "clinic": 375,
    "public_health": 24,
    "cdc": 7,
    "mch_center": 7,
    "emergency_center": 1,
    "blood_center": 2,
    "health_inspection": 7,
    "other": 2,
    "level3_grade_a": 0,
}

SERIES = {
    "beds_per_1000": Series({2016: "4.35", 2020: "6.29"}, {2018: 5.1, 2019: 5.75, 2022: 6.75, 2024: 7.3},
                            note="on track for 7.5 (表1)"),
    "hospital_beds_per_1000": Series(assumed={2016: 3.3, 2020: 4.9, 2024: 5.8}),
    "psychiatric_beds_per_1000": Series({2020: "0.23"}, {2016: 0.2, 2021: 0.24, 2024: 0.21},
                                        note="regressing against 0.78 (表1): wards reduced in 2022"),
    "physicians_per_1000": Series({2020: "2.29"}, {2016: 1.98, 2024: 2.75}, note="behind 3.8 (表1)"),
    "nurses_per_1000": Series({2020: "2.37"}, {2016: 1.85, 2024: 2.95}, note="behind 3.8 (表1)"),
    "gps_per_10000": Series({2020: "3.35"}, {2016: 1.2, 2024: 3.62}, note="meets 3.5 (表1, binding)"),
    "psychiatrists_per_100000": Series(assumed={2016: 1.9, 2020: 2.2, 2024: 2.6}),
    "public_health_staff_per_1000": Series({2020: "0.47"}, {2016: 0.45, 2024: 0.62}, note="behind 0.83 (表1)"),
    "ambulances_per_10000": Series({2020: "0.31"}, {2016: 0.22, 2024: 0.35}, note="meets 0.32 (表1)"),
    "negative_pressure_ambulance_share": Series(assumed={2016: 0.0, 2019: 2.0, 2020: 10.0, 2024: 30.0}),
    "cdc_professional_share": Series({2020: "70.07"}, {2016: 66.5, 2024: 78.0}, note="behind ≥85 (表1)"),
    "geriatrics_dept_share": Series({2020: "64.29"}, {2016: 28.57, 2024: 73.33}, note="meets ≥70 (表1)"),
    "infectious_dept_share": Series({2020: "57"}, {2016: 33.33, 2019: 42.86, 2024: 100.0},
                                    note="meets 100 (表1)"),
    "tcm_hall_share": Series(assumed={2016: 30.0, 2020: 59.82, 2024: 85.0},
                             note="2020: 67 中医馆 (第一章(一)10) of 112 centres"),
    "fever_clinic_share": Series(assumed={2016: 8.0, 2019: 12.0, 2020: 60.0, 2022: 95.0, 2024: 100.0}),
    "tcm_clinical_dept_share": Series(assumed={2016: 50.0, 2024: 85.0}),
    "mental_clinic_share": Series(assumed={2016: 10.0, 2024: 45.0}),
    "rehab_dept_share": Series(assumed={2016: 25.0, 2024: 60.0}),
    "emergency_dept_share": Series(assumed={2016: 100.0}),
    "occupational_diagnosis_count": Series({2020: "1"}, {2016: 1.0, 2022: 1.0, 2023: 2.0}, decimals=0,
                                           note="meets ≥2 (表1) from 2023"),
    "visits_10k": Series(assumed={2016: 690.0, 2019: 745.0, 2020: 640.0, 2021: 700.0, 2022: 655.0, 2023: 780.0,
                                  2024: 805.0}),
    "primary_care_visit_share": Series(assumed={2016: 60.5, 2020: 58.2, 2024: 61.0}),
    "bed_occupancy_rate": Series(assumed={2016: 70.5, 2019: 68.0, 2020: 55.3, 2021: 60.1, 2022: 56.0, 2023: 65.2,
                                          2024: 67.0}),
    "hospital_alos": Series(assumed={2016: 10.6, 2020: 9.9, 2024: 9.2}),
    "other_alos": Series(assumed={2016: 6.8, 2024: 6.1}),
    "day_surgery_share": Series(assumed={2016: 1.5, 2020: 4.5, 2024: 11.0}),
    "birth_rate": Series(assumed={2016: 11.0, 2017: 10.6, 2018: 9.8, 2019: 9.3, 2020: 8.5, 2021: 7.4, 2022: 6.9,
                                  2023: 6.4, 2024: 6.7}, note="‰; births are adjusted in published years"),
    "infant_mortality": Series({2020: "2.62"}, {2016: 3.05, 2024: 2.45}),
    "under5_mortality": Series({2020: "3.46"}, {2016: 3.7, 2024: 3.2}),
    "maternal_mortality": Series(assumed={2016: 14.0, 2020: 7.4, 2024: 7.0}),
    "life_expectancy": Series(assumed={2021: 77.52, 2024: 78.05}, since=2021,
                              note="no value up to 2020 (表1 '—'); behind 78.93"),
    "health_literacy": Series({2020: "14"}, {2016: 8.5, 2024: 23.0}, note="on track for ≥25 (表1)"),
    "childcare_places_per_1000": Series({2020: "1.5"}, {2019: 1.1, 2024: 4.0}, since=2019,
                                        note="on track for 4.5 (表1)"),
    "total_health_expenditure_100m": Series(assumed={2016: 25.8, 2020: 36.4, 2024: 45.1}, note="亿元"),
    "oop_share": Series({2020: "28.94"}, {2016: 31.2, 2022: 29.1, 2024: 29.35},
                        note="regressing against 27左右 (表1)"),
    "basic_ph_per_capita": Series({2020: "74"}, {2016: 45.0, 2017: 50.0, 2018: 55.0, 2019: 69.0, 2021: 79.0,
                                                 2022: 84.0, 2023: 89.0, 2024: 94.0}, decimals=0,
                                  note="the national per-capita standard of each year (40 → 74 元, 第一章(一)8)"),
    "county_visit_rate": Series(assumed={2016: 80.2, 2020: 84.5, 2024: 87.9}),
    "visits_per_capita": Series(assumed={2016: 4.6, 2020: 4.1, 2024: 5.1}),
    "elderly_health_management_rate": Series({2020: "72.99"}, {2016: 65.0, 2024: 76.0}),
    "hypertension_management_rate": Series({2020: "86.63"}, {2016: 80.0, 2024: 88.0}),
    "diabetes_management_rate": Series({2020: "82.93"}, {2016: 76.0, 2024: 85.0}),
    "family_doctor_key_pop_coverage": Series(assumed={2016: 40.0, 2020: 70.0, 2024: 78.0}, since=2016),
    "hypertension_registered_pct": Series(assumed={2016: 7.8, 2024: 9.0}),
    "diabetes_registered_pct": Series(assumed={2016: 2.2, 2024: 3.0}),
    "key_groups_pct": Series(assumed={2016: 31.0, 2024: 37.0}),
}

SHUOZHOU = RegionSpec(
    key="shuozhou",
    code=CITY,
    name="朔州市",
    name_en="Shuozhou",
    plan="朔州市“十四五”公共卫生体系规划 (朔政发〔2022〕14号)",
    seat_county=SHUOCHENG,
    counties=COUNTIES,
    residual=RESIDUAL,
    first_year=2016,
    last_year=2024,
    named=NAMED,
    mixes=MIXES,
    events=EVENTS,
    churn=Churn(village_closed_before=70, village_closed_after=65, clinics_closed_before=40,
                clinics_opened_after=90, clinics_closed_after=35, health_centers_merged_after=2),
    groups=GROUPS,
    series=SERIES,
    published_counts=PUBLISHED_COUNTS,
)
