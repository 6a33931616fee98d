"""Report sections contributed by capabilities: 资源配置缺口, 服务可及性, 分级诊疗, 重点任务推进.

A provider reads the report's inputs (and, through ``inputs.database``, its own package's stored results) and
returns a :class:`Contribution`, or None when its package has nothing for the plan's region and year; the
section is then left out and the following ones move up (a 公文 numbers its parts without gaps). Its sentences
point into ``data``, which the report keeps under ``/sections/<key>``. Add a capability's provider to
:data:`PROVIDERS` in report order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from healthplan.reports.inputs import ReportInputs
from healthplan.reports.model import Claim, Section
from healthplan.reports.sections.access import access_problems, access_section
from healthplan.reports.sections.gaps import (
    allocation_data,
    allocation_section,
    plan_allocation,
    resource_gaps,
)
from healthplan.reports.sections.tasks import tasks_problems, tasks_section
from healthplan.reports.sections.utilization import utilization_section


@dataclass(frozen=True)
class Contribution:
    """``problems``: (problem, suggestion) pairs 存在问题与建议 takes from the section, pointing into ``data``."""

    key: str
    section: Section
    data: Mapping[str, object] = field(default_factory=dict)
    problems: tuple[tuple[Claim, Claim], ...] = ()


SectionProvider = Callable[[ReportInputs], Contribution | None]


def _gaps(inputs: ReportInputs) -> Contribution | None:
    section = resource_gaps(inputs)
    allocation = plan_allocation(inputs)
    if allocation is None:
        return None if section is None else Contribution("resource_gaps", section)
    section = section or Section("资源配置缺口")
    section.add(allocation_section(inputs, allocation))
    return Contribution("resource_gaps", section, {"allocation": allocation_data(allocation)})


def _access(inputs: ReportInputs) -> Contribution | None:
    made = access_section(inputs)
    return None if made is None else Contribution("access", *made, problems=access_problems(made[1]))


def _utilization(inputs: ReportInputs) -> Contribution | None:
    made = utilization_section(inputs)
    return None if made is None else Contribution("utilization", *made)


def _tasks(inputs: ReportInputs) -> Contribution | None:
    made = tasks_section(inputs)
    return None if made is None else Contribution("tasks", *made, problems=tasks_problems(made[1]))


#: In report order: 四 资源配置缺口 (plan evaluation's gaps and allocation/), 五 服务可及性 (access/),
#: 六 分级诊疗 (utilization/), 七 重点任务推进 (tasks/).
PROVIDERS: tuple[SectionProvider, ...] = (_gaps, _access, _utilization, _tasks)
