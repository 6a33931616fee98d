"""The ledger's part of ``healthplan demo``: 城区's reform plan, its 39 tasks and a quarter's progress reports.

The plan and the tasks are the seed's (003); the progress reports in ``003_progress.csv`` are illustrative,
written for the demo so that the 2023 bulletins show tasks done on time, done late, overdue and continuing.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from healthplan.plans.files import import_plan
from healthplan.store.database import Database
from healthplan.store.registry import Changes
from healthplan.store.tasks import link_target
from healthplan.tasks.demo.transcript import FILES, PLAN_CODE
from healthplan.tasks.files import import_tasks
from healthplan.tasks.progress import import_progress

if TYPE_CHECKING:  # demo.build imports this module to list the steps
    from healthplan.demo.build import Step

FOLDER = Path(__file__).parent
PLAN_FILE = FOLDER / "chengqu-reform-2023.yaml"
PROGRESS_FILE = FOLDER / "003_progress.csv"
TASK_FILE = FILES[0]
#: task → the plan target it serves (分级诊疗 → 区域内就诊率; 胸痛中心 → 市二院胸痛中心)
TARGET_LINKS = {"13": 1, "14": 2}


def _plan(database: Database, user: str) -> Changes:
    return import_plan(PLAN_FILE, database, user)[1]


def _tasks(database: Database, user: str) -> Changes:
    changes = import_tasks(TASK_FILE, database, user, PLAN_CODE)
    with database.transaction() as session:
        for task, seq in TARGET_LINKS.items():
            changes += link_target(session, PLAN_CODE, task, seq, user)
    return changes


def _progress(database: Database, user: str) -> Changes:
    return import_progress(PROGRESS_FILE, database, user, PLAN_CODE)


def demo_steps(regions: tuple[str, ...]) -> list[Step]:
    """城区 (140502) is in 晋城: nothing to add without that region."""
    from healthplan.demo.build import Step

    if "jincheng" not in regions:
        return []
    return [Step("城区医改任务台账 规划", _plan), Step("城区医改任务台账 39项任务", _tasks),
            Step("城区医改任务台账 进展报告", _progress)]
