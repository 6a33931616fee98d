"""晋城市: the facts of 晋城市“十四五”医疗卫生服务体系规划 (晋市发改社会发〔2021〕525号) and the demo's assumptions.

Published (reproduced exactly): 第一章第一节 (institutions on 2020-12-31 by type; 3 三甲 of 4 三级; 6 county
general hospitals all 二级甲等; 80 乡镇卫生院; 40 社区卫生服务机构; 2,220 村卫生室; 2,360 社会办 = 74.61 %;
每千人口公共卫生人员 0.62; 医院床位 4.94/千人; 病床使用率 54.15 %; 医院平均住院日 10.5; 门急诊 898.55 万人次;
出院 26.05 万人), 第二节 (健康素养 12.78 %; 65+ 健康管理率 73 %; 高血压 77 %; 糖尿病 75 %; 卫生总费用 47.19 亿元
in 2020 and 190 亿元 over 2016–2020) and 表1 (2015 and 2020 columns). Everything else is an assumption.
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
    TownshipLayout,
)

CITY = "140500"
CHENGQU, QINSHUI, YANGCHENG, LINGCHUAN, ZEZHOU, GAOPING = "140502", "140521", "140522", "140524", "140525", "140581"
COUNTY_NAMES = {
    CHENGQU: "城区",
    QINSHUI: "沁水县",
    YANGCHENG: "阳城县",
    LINGCHUAN: "陵川县",
    ZEZHOU: "泽州县",
    GAOPING: "高平市",
}

COUNTIES = (
    CountySpec(CHENGQU, TownshipLayout(9, 2, 0), growth=0.006, registered_ratio=0.92, community_centers=10,
               community_stations=6),
    CountySpec(QINSHUI, TownshipLayout(0, 8, 6, extra_health_centers=1), growth=-0.008, registered_ratio=1.09,
               community_centers=1, community_stations=0),
    CountySpec(YANGCHENG, TownshipLayout(0, 10, 4, extra_health_centers=2), growth=-0.007, registered_ratio=1.08,
               community_centers=2, community_stations=1),
    CountySpec(LINGCHUAN, TownshipLayout(0, 7, 5, extra_health_centers=1), growth=-0.011, registered_ratio=1.12,
               community_centers=1, community_stations=0),
    CountySpec(ZEZHOU, TownshipLayout(0, 12, 5, extra_health_centers=2), growth=-0.009, registered_ratio=1.10,
               community_centers=2, community_stations=1),
    CountySpec(GAOPING, TownshipLayout(4, 14, 0, extra_health_centers=1), growth=-0.005, registered_ratio=1.06,
               community_centers=4, community_stations=2),
)


def _county_institutions() -> list[NamedFacility]:
    """Each county's public backbone: 人民医院 (二级甲等, 表述见第一章), 中医医院, 妇幼保健院, 疾控中心, 卫生监督所."""
    tcm_grades = {CHENGQU: "B", QINSHUI: "A", YANGCHENG: "A", LINGCHUAN: "B", ZEZHOU: "A", GAOPING: "A"}
    mch_levels = {CHENGQU: (2, "B"), QINSHUI: (1, ""), YANGCHENG: (2, "A"), LINGCHUAN: (1, ""), ZEZHOU: (2, "B"),
                  GAOPING: (2, "A")}
    hospital_beds = {CHENGQU: 420, QINSHUI: 380, YANGCHENG: 560, LINGCHUAN: 360, ZEZHOU: 520, GAOPING: 640}
    out: list[NamedFacility] = []
    for code, name in COUNTY_NAMES.items():
        level, grade = mch_levels[code]
        out += [
            NamedFacility(f"JC-RM-{code}", f"{name}人民医院", "general_hospital", code, "county", level=2, grade="A",
                          size=hospital_beds[code], opened="1950-10-01"),
            NamedFacility(f"JC-ZY-{code}", f"{name}中医医院", "tcm_hospital", code, "county", level=2,
                          grade=tcm_grades[code], size=0.4 * hospital_beds[code], opened="1979-06-01"),
            NamedFacility(f"JC-FY-{code}", f"{name}妇幼保健院", "mch_center", code, "county", level=level, grade=grade,
                          size=0.09 * hospital_beds[code], opened="1985-03-01"),
            NamedFacility(f"JC-CDC-{code}", f"{name}疾病预防控制中心", "cdc", code, "county",
                          size=0.09 * hospital_beds[code], opened="2002-01-01"),
            NamedFacility(f"JC-JD-{code}", f"{name}卫生监督所", "health_inspection", code, "county",
                          size=0.05 * hospital_beds[code], opened="2003-07-01"),
        ]
    return out


NAMED = (
    # city hospitals: 4 三级 (3 三级甲等) in 2020 — 第一章第一节
    NamedFacility("JC-RMYY", "晋城市人民医院", "general_hospital", CHENGQU, "city", level=3, grade="A", size=1500,
                  opened="1946-05-01", city_level=True),
    NamedFacility("JC-DYY", "晋城大医院", "general_hospital", CHENGQU, "city", level=3, grade="A", size=1150,
                  opened="1958-03-01", city_level=True),
    NamedFacility("JC-ZYY", "晋城市中医医院", "tcm_hospital", CHENGQU, "city", level=3, grade="A", size=720,
                  opened="1958-09-01", city_level=True),
    NamedFacility("JC-EY", "晋城市第二人民医院", "general_hospital", CHENGQU, "city", level=2, grade="A", size=560,
                  opened="1965-07-01", city_level=True),
    NamedFacility("JC-CRB", "晋城市传染病医院", "specialty_hospital", CHENGQU, "city", specialty="infectious",
                  level=2, grade="A", size=230, opened="1972-04-01", city_level=True),
    NamedFacility("JC-JW", "晋城市精神卫生中心", "specialty_hospital", CHENGQU, "city", specialty="psychiatric",
                  level=2, grade="A", size=330, opened="1983-10-01", city_level=True),
    NamedFacility("JC-ET", "晋城市儿童医院", "specialty_hospital", CHENGQU, "city", specialty="children",
                  size=300, opened="2023-10-01", city_level=True, township="other"),
    NamedFacility("JC-KF", "晋城市康复医院", "specialty_hospital", ZEZHOU, "city", specialty="rehabilitation",
                  size=260, opened="2024-06-01", city_level=True),
    # enterprise hospitals (coal industry); 职业病医院 1 — 第一章第一节
    NamedFacility("JC-KQ", "晋城矿区总医院", "general_hospital", ZEZHOU, "enterprise", level=2, grade="A",
                  size=600, opened="1960-01-01"),
    NamedFacility("JC-ZYB", "晋城职业病医院", "specialty_hospital", ZEZHOU, "enterprise", specialty="occupational",
                  level=2, size=160, opened="1988-05-01", firsts=("cap.occupational_diagnosis",)),
    NamedFacility("JC-KQKF", "晋城矿区康复医院", "specialty_hospital", YANGCHENG, "enterprise",
                  specialty="rehabilitation", level=1, size=90, opened="1992-08-01", township="other"),
    # county psychiatric and integrated hospitals (4 精神专科医院 in all, with the city's and a private one)
    NamedFacility("JC-GPJS", "高平市精神病医院", "specialty_hospital", GAOPING, "county", specialty="psychiatric",
                  level=1, size=160, opened="1986-03-01"),
    NamedFacility("JC-ZZJS", "泽州县精神康复医院", "specialty_hospital", ZEZHOU, "county", specialty="psychiatric",
                  level=1, size=120, opened="1995-09-01", township="other"),
    NamedFacility("JC-YCZX", "阳城县中西医结合医院", "integrated_hospital", YANGCHENG, "county", level=1, size=90,
                  opened="1998-05-01"),
    NamedFacility("JC-LCZX", "陵川县中西医结合医院", "integrated_hospital", LINGCHUAN, "county", level=1, size=70,
                  opened="2001-05-01"),
    # private hospitals that the registry history follows
    NamedFacility("JC-P-KH", "城区康华医院", "general_hospital", CHENGQU, "private", ownership="private", level=1,
                  size=90, opened="2017-05-18"),
    NamedFacility("JC-P-RJ", "泽州县仁济医院", "general_hospital", ZEZHOU, "private", ownership="private", level=1,
                  size=60, opened="2008-11-03"),
    # 专业公共卫生机构 hosted by the city: 24 in all with the counties' — 第一章第一节
    NamedFacility("JC-FYY", "晋城市妇幼保健院", "mch_center", CHENGQU, "city", level=2, grade="A", size=170,
                  opened="1953-06-01", city_level=True),
    NamedFacility("JC-CDC", "晋城市疾病预防控制中心", "cdc", CHENGQU, "city", size=125, opened="2002-01-01",
                  city_level=True),
    NamedFacility("JC-JJ", "晋城市急救中心", "emergency_center", CHENGQU, "city", size=85, opened="1996-12-01",
                  city_level=True),
    NamedFacility("JC-XZ", "晋城市中心血站", "blood_center", CHENGQU, "city", size=70, opened="1993-04-01",
                  city_level=True),
    NamedFacility("JC-JDS", "晋城市卫生监督所", "health_inspection", CHENGQU, "city", size=45, opened="2002-07-01",
                  city_level=True),
    NamedFacility("JC-JK", "晋城市健康教育所", "health_education", CHENGQU, "city", size=16, opened="1990-01-01",
                  city_level=True),
    # county emergency centres opened after 2020 (target: 县级急救中心全覆盖, 表2-14)
    NamedFacility("JC-JJ-GP", "高平市急救中心", "emergency_center", GAOPING, "county", size=30, opened="2022-06-01"),
    NamedFacility("JC-JJ-YC", "阳城县急救站", "emergency_center", YANGCHENG, "county", size=22, opened="2023-03-01"),
    # 7 其他机构
    NamedFacility("JC-JY", "晋城市临床检验中心", "other", CHENGQU, "city", size=20, opened="2005-01-01",
                  city_level=True),
    NamedFacility("JC-XX", "晋城市卫生健康信息中心", "other", CHENGQU, "city", size=25, opened="2010-01-01",
                  city_level=True),
    NamedFacility("JC-JX", "晋城市卫生进修学校", "other", CHENGQU, "city", size=30, opened="1980-09-01",
                  city_level=True),
    NamedFacility("JC-YKS", "晋城市医学科学研究所", "other", CHENGQU, "city", size=18, opened="1986-01-01",
                  city_level=True),
    NamedFacility("JC-LY", "晋城矿区疗养院", "other", YANGCHENG, "enterprise", size=40, opened="1985-06-01",
                  township="other"),
    NamedFacility("JC-FW-GP", "高平市卫生健康服务中心", "other", GAOPING, "county", size=15, opened="2012-01-01"),
    NamedFacility("JC-FW-ZZ", "泽州县卫生健康服务中心", "other", ZEZHOU, "county", size=15, opened="2012-01-01"),
    *_county_institutions(),
)

MIXES = (
    FacilityMix("general_hospital", 3, "public", "enterprise", level=1, size=(60, 120), opened=(1970, 1995),
                urban=False),
    FacilityMix("general_hospital", 7, "public", "township", level=1, size=(30, 80), opened=(1975, 2000),
                urban=False),
    FacilityMix("general_hospital", 4, "private", "private", level=2, grade="B", size=(150, 260),
                opened=(2003, 2013)),
    FacilityMix("general_hospital", 18, "private", "private", level=1, size=(30, 100), opened=(2004, 2019)),
    FacilityMix("general_hospital", 4, "private", "private", level=0, size=(20, 50), opened=(2012, 2020)),
    FacilityMix("tcm_hospital", 3, "private", "private", level=1, size=(30, 80), opened=(2006, 2018)),
    FacilityMix("integrated_hospital", 2, "private", "private", level=1, size=(30, 70), opened=(2008, 2018)),
    FacilityMix("specialty_hospital", 1, "private", "private", specialty="psychiatric", level=1, size=(100, 160),
                opened=(2010, 2016)),
    FacilityMix("specialty_hospital", 5, "private", "private", specialty="stomatology", size=(4, 15),
                opened=(2009, 2020)),
    FacilityMix("specialty_hospital", 3, "private", "private", specialty="eye", level=1, size=(20, 50),
                opened=(2008, 2019)),
    FacilityMix("specialty_hospital", 4, "private", "private", specialty="maternity", level=1, size=(30, 70),
                opened=(2006, 2019)),
    FacilityMix("specialty_hospital", 3, "private", "private", specialty="rehabilitation", level=1, size=(40, 100),
                opened=(2012, 2020)),
    FacilityMix("specialty_hospital", 1, "private", "private", specialty="oncology", level=1, size=(80, 120),
                opened=(2011, 2015)),
    FacilityMix("specialty_hospital", 1, "private", "private", specialty="children", level=1, size=(30, 60),
                opened=(2010, 2016)),
    FacilityMix("specialty_hospital", 6, "private", "private", specialty="other", level=1, size=(30, 90),
                opened=(2007, 2020)),
    FacilityMix("nursing_home", 2, "private", "private", size=(50, 120), opened=(2014, 2019)),
    FacilityMix("community_health_center", 2, "private", "private", level=1, size=(0, 10), opened=(2012, 2019)),
    FacilityMix("community_health_station", 8, "private", "private", size=(3, 6), opened=(2010, 2020)),
    FacilityMix("village_clinic", 627, "public", "village", size=(1, 3), opened=(1985, 2012), urban=False),
    FacilityMix("village_clinic", 1593, "private", "private", size=(1, 3), opened=(1995, 2013), urban=False),
    FacilityMix("outpatient_dept", 45, "private", "private", size=(6, 30), opened=(2005, 2020)),
    FacilityMix("clinic", 653, "private", "private", size=(1, 5), opened=(2003, 2020)),
)

EVENTS = (
    Event("JC-EY", "2019-07-01", level=3, grade="B", size_factor=1.25, why="晋升三级乙等 (upgraded to 3B)"),
    Event("JC-CRB", "2023-05-01", move=True, size_factor=1.6,
          why="迁建市级传染病专科医院 (relocated to a new site, 第三章第二节)"),
    *(
        Event(f"JC-FY-{code}", "2016-06-01", name=f"{name}妇幼保健计划生育服务中心",
              why="妇幼保健与计划生育服务机构整合 (merger with family planning services)")
        for code, name in COUNTY_NAMES.items()
    ),
    Event(f"JC-FY-{LINGCHUAN}", "2022-07-01", level=2, grade="B", size_factor=1.2, why="达到二级标准"),
    Event(f"JC-FY-{QINSHUI}", "2023-09-01", level=2, grade="B", size_factor=1.2, why="达到二级标准"),
    Event("JC-P-KH", "2021-09-01", level=2, grade="B", size_factor=1.8, why="民营医院晋升二级乙等"),
    Event("JC-P-RJ", "2022-04-01", close=True, why="停业注销 (closed)"),
)

GROUPS = (
    GroupSpec(f"JC-YGT-{GAOPING}", "2016-12-01", (f"JC-RM-{GAOPING}", f"JC-ZY-{GAOPING}"), county=GAOPING),
    *(
        GroupSpec(f"JC-YGT-{code}", "2017-08-01", (f"JC-RM-{code}", f"JC-ZY-{code}"), county=code)
        for code in (QINSHUI, YANGCHENG, LINGCHUAN, ZEZHOU)
    ),
    GroupSpec("JC-YLT-RMYY", "2018-06-01", ("JC-RMYY", f"JC-RM-{CHENGQU}"), county=CHENGQU),
    GroupSpec("JC-YLT-DYY", "2018-06-01", ("JC-DYY", "JC-EY", "JC-KQ")),
    GroupSpec("JC-ZKLM-CK", "2019-03-01", ("JC-FYY", *(f"JC-FY-{code}" for code in COUNTY_NAMES))),
)

PUBLISHED_COUNTS = {
    "total": 3163,
    "hospital": 94,
    "primary_care": 3038,
    "public_health": 24,
    "other": 7,
    "private": 2360,
    "level3": 4,
    "level3_grade_a": 3,
    "county_general_2a": 6,
    "psychiatric_hospital": 4,
    "occupational_hospital": 1,
    "township_health_center": 80,
    "community": 40,
    "village_clinic": 2220,
    "cdc": 7,
    "mch_center": 7,
    "emergency_center": 1,
    "blood_center": 1,
    "health_inspection": 7,
}

SERIES = {
    # 表1 资源配置 (2015, 2020) and 表2 targets for 2025
    "beds_per_1000": Series({2015: "4.64", 2020: "6.13"}, {2017: 5.2, 2019: 5.95, 2021: 6.38, 2022: 6.6,
                            2023: 6.85, 2024: 7.05}, note="2024 7.05 meets 表2-5 (7)"),
    "hospital_beds_per_1000": Series({2020: "4.94"}, {2015: 3.62, 2024: 5.75}, note="hospitals' share of beds rises"),
    "psychiatric_beds_per_1000": Series(assumed={2015: 0.24, 2020: 0.31, 2024: 0.45},
                                        note="behind the 0.78 target (表2-12)"),
    "physicians_per_1000": Series({2015: "2.32", 2020: "2.77"}, {2024: 2.98}, note="on track for 3 (表2-6)"),
    "nurses_per_1000": Series({2015: "1.91", 2020: "2.76"}, {2024: 3.35}, note="behind 3.8 (表2-7)"),
    "gps_per_10000": Series({2015: "0.76", 2020: "1.6"}, {2022: 2.4, 2024: 3.6},
                            note="表1 0.76 used for 2015 (the text's 0.32 conflicts); 2024 3.6 meets 3.5 (表2-8)"),
    "psychiatrists_per_100000": Series(assumed={2015: 2.1, 2020: 2.6, 2024: 3.4}, note="on track for 3.5 (表2-9)"),
    "public_health_staff_per_1000": Series({2020: "0.62"}, {2015: 0.58, 2024: 0.7}),
    "ambulances_per_10000": Series(assumed={2015: 0.2, 2020: 0.27, 2024: 0.33}, note="meets 0.32 (表2-15)"),
    "negative_pressure_ambulance_share": Series(assumed={2015: 0.0, 2019: 2.0, 2020: 12.0, 2024: 35.0}),
    "cdc_professional_share": Series(assumed={2015: 78.0, 2020: 80.5, 2024: 83.0}),
    "geriatrics_dept_share": Series(assumed={2015: 21.43, 2020: 42.86, 2024: 66.67},
                                    note="on track for ≥70 (表2-10)"),
    "infectious_dept_share": Series(assumed={2015: 50.0, 2019: 60.0, 2020: 80.0, 2024: 95.0}),
    "tcm_hall_share": Series(assumed={2015: 40.0, 2020: 85.0, 2024: 98.3}, note="on track for 100 (表2-13)"),
    "fever_clinic_share": Series(assumed={2015: 10.0, 2019: 15.0, 2020: 70.0, 2022: 100.0}),
    "tcm_clinical_dept_share": Series(assumed={2015: 60.0, 2024: 90.0}),
    "mental_clinic_share": Series(assumed={2015: 20.0, 2024: 60.0}),
    "rehab_dept_share": Series(assumed={2015: 30.0, 2024: 70.0}),
    "emergency_dept_share": Series(assumed={2015: 100.0}),
    "occupational_diagnosis_count": Series(assumed={2015: 1.0, 2020: 1.0, 2021: 2.0}, decimals=0),
    "visits_10k": Series({2020: "898.55"}, {2015: 1010.0, 2019: 1075.0, 2021: 985.0, 2022: 940.0, 2023: 1110.0,
                         2024: 1150.0}, note="COVID dip in 2020 and 2022"),
    "primary_care_visit_share": Series(assumed={2015: 57.5, 2019: 58.3, 2020: 55.8, 2024: 54.1},
                                       note="regressing against ≥65 (表2-16)"),
    "bed_occupancy_rate": Series({2020: "54.15"}, {2015: 73.2, 2019: 69.8, 2021: 61.5, 2022: 57.2, 2023: 66.4,
                                 2024: 68.1}),
    "hospital_alos": Series({2020: "10.5"}, {2015: 11.4, 2024: 9.6}),
    "other_alos": Series(assumed={2015: 7.2, 2024: 6.4}),
    "discharges_10k": Series({2020: "26.05"}),
    "day_surgery_share": Series(assumed={2015: 2.0, 2020: 6.5, 2024: 15.0}),
    # area level
    "birth_rate": Series(assumed={2015: 10.6, 2016: 11.2, 2017: 11.0, 2018: 9.9, 2019: 9.2, 2020: 8.0, 2021: 7.0,
                                  2022: 6.5, 2023: 6.1, 2024: 6.3}, note="‰; births are adjusted in published years"),
    "infant_mortality": Series({2015: "4.96", 2020: "3.40"}, {2024: 3.1}, note="meets ≤5.25 (表2-3)"),
    "under5_mortality": Series({2015: "6.11", 2020: "4.59"}, {2024: 4.2}),
    "maternal_mortality": Series({2015: "12.73", 2020: "17.01"}, {2017: 9.5, 2022: 14.0, 2024: 21.5},
                                 note="regressing against ≤12.5 (表2-4): a few deaths swing the rate"),
    "life_expectancy": Series(assumed={2015: 76.6, 2020: 77.35, 2024: 77.82}, note="behind 78.1 (表2-1)"),
    "health_literacy": Series({2020: "12.78"}, {2016: 7.9, 2024: 22.6}, since=2016,
                              note="no 2015 value (表1 '-'); 2024 well above 2020 (表2-2 较大提高)"),
    "childcare_places_per_1000": Series(assumed={2019: 0.9, 2020: 1.3, 2024: 2.6}, since=2019,
                                        note="托位 recorded from 2019 (国办发〔2019〕15号)"),
    "total_health_expenditure_100m": Series({2020: "47.19"}, {2015: 27.6, 2016: 32.0, 2017: 34.5, 2018: 36.9,
                                            2019: 39.4, 2021: 50.2, 2022: 52.0, 2023: 55.6, 2024: 58.3},
                                            note="亿元; 2016–2020 add up to 190 亿 (第一章第二节)"),
    "oop_share": Series(assumed={2015: 31.8, 2020: 29.62, 2024: 27.31}, note="meets 27左右 (表2-19)"),
    "basic_ph_per_capita": Series(assumed={2015: 40.0, 2016: 45.0, 2017: 50.0, 2018: 55.0, 2019: 69.0, 2020: 74.0,
                                           2021: 79.0, 2022: 84.0, 2023: 89.0, 2024: 94.0}, decimals=0,
                                  note="the national per-capita standard of each year; 持续增长 met (表2-18)"),
    "county_visit_rate": Series(assumed={2015: 82.5, 2020: 86.2, 2024: 89.5}, note="on track for ≥90 (表2-17)"),
    "visits_per_capita": Series(assumed={2015: 4.9, 2020: 4.3, 2024: 5.4}),
    "elderly_health_management_rate": Series({2020: "73"}, {2015: 66.0, 2024: 76.5}),
    "hypertension_management_rate": Series({2020: "77"}, {2015: 70.0, 2024: 80.0}),
    "diabetes_management_rate": Series({2020: "75"}, {2015: 67.0, 2024: 78.0}),
    "family_doctor_key_pop_coverage": Series(assumed={2016: 45.0, 2020: 72.0, 2024: 80.0}, since=2016),
    "hypertension_registered_pct": Series(assumed={2015: 7.4, 2024: 8.6}),
    "diabetes_registered_pct": Series(assumed={2015: 2.1, 2024: 2.9}),
    "key_groups_pct": Series(assumed={2015: 30.0, 2024: 36.0}),
}

JINCHENG = RegionSpec(
    key="jincheng",
    code=CITY,
    name="晋城市",
    name_en="Jincheng",
    plan="晋城市“十四五”医疗卫生服务体系规划 (晋市发改社会发〔2021〕525号)",
    seat_county=CHENGQU,
    counties=COUNTIES,
    residual=None,
    first_year=2015,
    last_year=2024,
    named=NAMED,
    mixes=MIXES,
    events=EVENTS,
    churn=Churn(village_closed_before=95, village_closed_after=88, clinics_closed_before=70,
                clinics_opened_after=140, clinics_closed_after=60, health_centers_merged_after=1),
    groups=GROUPS,
    series=SERIES,
    published_counts=PUBLISHED_COUNTS,
)
