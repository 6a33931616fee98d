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
from healthplan.reports.model import Section
from healthplan.reports.sections.gaps import resource_gaps


@dataclass(frozen=True)
class Contribution:
    key: str
    section: Section
    data: Mapping[str, object] = field(default_factory=dict)


SectionProvider = Callable[[ReportInputs], Contribution | None]


def _gaps(inputs: ReportInputs) -> Contribution | None:
    section = resource_gaps(inputs)
    return None if section is None else Contribution("resource_gaps", section)


#: In report order: 四 资源配置缺口 (from the plan evaluation's gaps until allocation/ lands), then 五 服务可及性
#: (access/), 六 分级诊疗 (utilization/), 七 重点任务推进 (tasks/) as their packages land.
PROVIDERS: tuple[SectionProvider, ...] = (_gaps,)
