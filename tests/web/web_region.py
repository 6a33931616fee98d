"""A small 晋城 for the web tests: the city's six real counties (so the shipped boundaries apply), one
township, a hospital per county, values for 2019–2024, a plan, approval states and one user per role.

Approval as in the demo (for the two reports the region has data of): every report up to 2023 approved; in 2024 泽州县 is a draft and 高平市 is submitted.
"""

from __future__ import annotations

import datetime as dt

from healthplan.domain.data import ApprovalState
from healthplan.domain.plans import Nature, Plan, Target, TargetOp
from healthplan.domain.registry import Category, FacilityVersion, Level, OrgUnit
from healthplan.store import approval, registry, values
from healthplan.store.approval import Action
from healthplan.store.database import Database
from healthplan.store.plans import save_plan
from healthplan.store.users import Role, create_user

CITY = "140500"
COUNTIES = {"140502": "城区", "140521": "沁水县", "140522": "阳城县", "140524": "陵川县", "140525": "泽州县",
            "140581": "高平市"}
ZEZHOU, GAOPING = "140525", "140581"
TOWNSHIP = "140525100"
YEARS = range(2019, 2025)
PASSWORD = "web-test-password"
PLAN = "jc-test"
REPORTS = ("resources_yearly", "area_yearly")  # the reports whose elements the region holds
USERS = {  # username → (role, scope)
    "admin": (Role.ADMIN, CITY), "planner": (Role.PLANNER, CITY), "analyst": (Role.ANALYST, CITY),
    "viewer": (Role.VIEWER, CITY), "zz": (Role.EDITOR, ZEZHOU), "gp": (Role.EDITOR, GAOPING),
}


def hospital(county: str) -> str:
    return f"H{county}"


def build_web_region(db: Database, users: dict[str, tuple[Role, str]] = USERS) -> None:
    with db.transaction() as s:
        registry.upsert_org_units(s, [
            OrgUnit("140000", "山西省", Level.PROVINCE, None),
            OrgUnit(CITY, "晋城市", Level.CITY, "140000"),
            *(OrgUnit(code, name, Level.COUNTY, CITY) for code, name in COUNTIES.items()),
            OrgUnit(TOWNSHIP, "南村镇", Level.TOWNSHIP, ZEZHOU),
        ], "test")
        registry.upsert_facilities(s, [
            *(FacilityVersion(hospital(c), f"{n}人民医院", c, Category.GENERAL_HOSPITAL, dt.date(2000, 1, 1), level=2,
                              lat=35.5, lon=112.8) for c, n in COUNTIES.items()),
            FacilityVersion("T140525100", "南村镇卫生院", TOWNSHIP, Category.TOWNSHIP_HEALTH_CENTER,
                            dt.date(2000, 1, 1)),
        ], "test")
        w = values.ValueWrite
        writes = []
        for i, county in enumerate(COUNTIES):
            for year in YEARS:
                grow = year - 2019
                writes += [
                    w("pop.resident", county, str(year), 300_000 + 20_000 * i),
                    w("beds.actual", hospital(county), str(year), 1500 + 100 * i + 50 * grow),
                    w("beds.infectious", hospital(county), str(year), 40 + i),
                    w("beds.negative_pressure", hospital(county), str(year), 4),
                    w("staff.physician", hospital(county), str(year), 700 + 10 * i + 5 * grow),
                    w("staff.gp", hospital(county), str(year), 60 + 2 * grow),
                ]
        writes += [w("beds.actual", "T140525100", str(y), 30) for y in YEARS]
        values.write_values(s, writes, "test")
        save_plan(s, Plan(PLAN, "晋城测试规划", CITY, 2020, 2025, targets=(
            Target("beds_per_1000", TargetOp.GE, Nature.BINDING, value=6.0, seq=1),
            Target("gps_per_10000", TargetOp.REACH, Nature.EXPECTED, value=3.0, seq=2),
            Target("physicians_per_1000", TargetOp.REACH, Nature.EXPECTED, value=3.0, seq=3),
        )), "test")
        for ds in REPORTS:
            for unit in [CITY, *COUNTIES]:
                for year in YEARS:
                    state = ({ZEZHOU: ApprovalState.DRAFT, GAOPING: ApprovalState.SUBMITTED}.get(
                        unit, ApprovalState.APPROVED) if year == 2024 else ApprovalState.APPROVED)
                    if state is ApprovalState.DRAFT:
                        continue
                    approval.transition(s, ds, unit, str(year), Action.SUBMIT, "test")
                    if state is ApprovalState.APPROVED:
                        approval.transition(s, ds, unit, str(year), Action.APPROVE, "test")
        for name, (role, scope) in users.items():
            create_user(s, name, PASSWORD, role, scope, "test", name)
