"""Build the demo regions (晋城市, 朔州市) from the files shipped in ``demo/data`` and ``demo/plans``.

Everything goes through the ordinary importers, so the demo also shows what a user's own files look like.
Re-running is idempotent: an unchanged demo writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from healthplan.assess.demo import demo_steps as assess_steps
from healthplan.interop.registry_import import import_facilities, import_org_units
from healthplan.interop.values_import import import_values
from healthplan.plans.files import import_plan
from healthplan.store.database import Database
from healthplan.store.registry import Changes
from healthplan.store.setup import initialise
from healthplan.surveillance.demo import steps as surveillance_steps
from healthplan.tasks.demo.steps import demo_steps as tasks_steps
from healthplan.utilization.demo import demo_steps as utilization_steps
from healthplan.web.demo import steps as web_steps

REGIONS = ("jincheng", "shuozhou")
PLAN_FILES = {"jincheng": "jincheng.yaml", "shuozhou": "shuozhou.yaml"}
PLAN_CODES = {"jincheng": "jincheng-14th-health-services", "shuozhou": "shuozhou-14th-public-health"}


def data_dir(region: str) -> Path:
    return Path(str(resources.files("healthplan.demo").joinpath("data", region)))


def plan_file(region: str) -> Path:
    return Path(str(resources.files("healthplan.demo").joinpath("plans", PLAN_FILES[region])))


def demo_plan_codes() -> list[str]:
    return [PLAN_CODES[r] for r in REGIONS]


@dataclass(frozen=True)
class Step:
    label: str
    run: Callable[[Database, str], Changes]


def _initialise(database: Database, _user: str) -> Changes:
    return initialise(database)


def _file_step(label: str, importer: Callable[[Path, Database, str], Changes], path: Path) -> Step:
    def run(database: Database, user: str) -> Changes:
        return importer(path, database, user)

    return Step(label, run)


def _plan_changes(path: Path, database: Database, user: str) -> Changes:
    return import_plan(path, database, user)[1]


# ---- capability demo data: each package that ships demo data adds its step builder to this list ----
CAPABILITY_STEPS: list[Callable[[tuple[str, ...]], list[Step]]] = [surveillance_steps, tasks_steps,
                                                                 assess_steps, web_steps, utilization_steps]


def steps(regions: tuple[str, ...] = REGIONS) -> list[Step]:
    """The import steps, in dependency order: areas, facilities, values, plans, then each capability's data."""
    result: list[Step] = [Step("初始化数据库", _initialise)]
    for region in regions:
        folder = data_dir(region)
        result += [
            _file_step(f"{region} 组织机构", import_org_units, folder / "orgunits.csv"),
            _file_step(f"{region} 机构", import_facilities, folder / "facilities.csv"),
            _file_step(f"{region} 区域数据", import_values, folder / "area_values.csv"),
            _file_step(f"{region} 机构数据", import_values, folder / "facility_values.csv"),
            _file_step(f"{region} 规划", _plan_changes, plan_file(region)),
        ]
    for capability in CAPABILITY_STEPS:
        result += capability(regions)
    return result


def build_demo(database: Database, user: str = "demo", on_step: Callable[[], None] | None = None,
               regions: tuple[str, ...] = REGIONS) -> Changes:
    total = Changes()
    for step in steps(regions):
        total += step.run(database, user)
        if on_step is not None:
            on_step()
    return total
