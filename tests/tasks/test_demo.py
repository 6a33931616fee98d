"""The ledger's and the assessment's demo steps: 城区's plan, the 39 tasks, the progress reports; idempotent.

The registry holds only what the steps refer to (城区 and its two 区级 hospitals), so this runs in seconds.
"""

from __future__ import annotations

import datetime as dt

from healthplan.assess.demo import demo_steps as assess_steps
from healthplan.domain.periods import Period
from healthplan.domain.registry import Category, FacilityVersion, Level, OrgUnit
from healthplan.store import registry
from healthplan.store.database import Database
from healthplan.store.plans import get_plan
from healthplan.store.tasks import find_task_list
from healthplan.tasks.bulletin import build
from healthplan.tasks.demo.steps import demo_steps as tasks_steps
from healthplan.tasks.ledger import load_ledger


def test_demo_steps(database: Database) -> None:
    with database.transaction() as session:
        registry.upsert_org_units(session, [OrgUnit("140500", "晋城市", Level.CITY, None),
                                            OrgUnit("140502", "城区", Level.COUNTY, "140500")], "test")
        registry.upsert_facilities(session, [
            FacilityVersion("14050000004", "晋城市第二人民医院", "140502", Category.GENERAL_HOSPITAL,
                            dt.date(1965, 7, 1), level=3),
            FacilityVersion("14050200003", "城区中医医院", "140502", Category.TCM_HOSPITAL, dt.date(1979, 6, 1),
                            level=2)], "test")
    steps = tasks_steps(("jincheng",)) + assess_steps(("jincheng",))
    assert tasks_steps(("shuozhou",)) == [] and assess_steps(("shuozhou",)) == []
    first = [step.run(database, "demo") for step in steps]
    assert [c.inserted for c in first] == [1, 39, 22, 5]
    again = [step.run(database, "demo") for step in steps]
    assert all(c.inserted == c.updated == 0 for c in again)
    with database.sessions() as session:
        plan = get_plan(session, "chengqu-reform-2023")
        task_list = find_task_list(session, "chengqu-reform-2023")
    assert (plan.org_unit, len(plan.targets)) == ("140502", 4)
    assert task_list is not None and {t.code: t.target_seq for t in task_list.tasks if t.target_seq} == {"13": 1, "14": 2}
    quarter = build(load_ledger(database, "chengqu-reform-2023"), Period.parse("2023Q4")).to_json()
    assert quarter["overdue"] == ["9", "10", "18", "24", "34", "36"]
    assert quarter["summary"] == {"not_started": 0, "in_progress": 0, "completed": 11, "overdue": 6, "continuing": 22,
                                  "total": 39, "due": 10, "on_time": 5}
