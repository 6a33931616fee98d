"""Response metrics per area and period (预警信息响应率, 及时响应率, response time), also as ``surv.*`` data values.

A signal belongs to the period of its first alarm and to the area of its series and every area above it.
Responded: it left 新发 (the first step); timely: within its limit (24 h, 2 h for fixed-threshold
diseases) of being issued.  Response hours are summarised by the median and the quartiles (linear
interpolation).  Suspected share: signals ever verified as 疑似事件 over all signals.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from healthplan.domain.data import Aggregation, DataElement, Kind, RecordedAt, ValueType
from healthplan.domain.periods import Period
from healthplan.domain.problems import NotFound
from healthplan.store import registry
from healthplan.store import surveillance as store
from healthplan.store.database import Database
from healthplan.store.registry import Changes
from healthplan.store.values import ValueWrite, upsert_data_elements, write_values


def _element(code: str, name: str, name_en: str, value_type: ValueType, unit: str) -> DataElement:
    counted = value_type is ValueType.INTEGER
    return DataElement(code, name, name_en, Kind.FLOW if counted else Kind.STOCK, value_type,
                       Aggregation.SUM if counted else Aggregation.NONE, RecordedAt.AREA, unit, minimum=0)


DATA_ELEMENTS = [
    _element("surv.signals", "预警信号数", "early-warning signals", ValueType.INTEGER, "条"),
    _element("surv.signals_responded", "已响应预警信号数", "signals responded", ValueType.INTEGER, "条"),
    _element("surv.signals_timely", "及时响应预警信号数", "signals responded in time", ValueType.INTEGER, "条"),
    _element("surv.signals_suspected", "核实为疑似事件的信号数", "signals verified as suspected events",
             ValueType.INTEGER, "条"),
    _element("surv.response_rate", "预警信息响应率", "signal response rate", ValueType.PERCENT, "%"),
    _element("surv.timely_response_rate", "预警信息及时响应率", "timely response rate", ValueType.PERCENT, "%"),
    _element("surv.suspected_share", "核实为疑似事件的比例", "share verified as suspected events",
             ValueType.PERCENT, "%"),
    _element("surv.response_hours_median", "响应时间中位数", "median response time", ValueType.NUMBER, "小时"),
    _element("surv.response_hours_q1", "响应时间下四分位数", "response time, first quartile", ValueType.NUMBER, "小时"),
    _element("surv.response_hours_q3", "响应时间上四分位数", "response time, third quartile", ValueType.NUMBER, "小时"),
]


@dataclass(frozen=True)
class AreaMetrics:
    org_unit: str
    name: str
    level: str
    period: str
    signals: int
    responded: int
    timely: int
    suspected: int
    median_hours: float | None
    q1_hours: float | None
    q3_hours: float | None

    def _rate(self, part: int) -> float | None:
        return round(100.0 * part / self.signals, 2) if self.signals else None

    @property
    def response_rate(self) -> float | None:
        return self._rate(self.responded)

    @property
    def timely_rate(self) -> float | None:
        return self._rate(self.timely)

    @property
    def suspected_share(self) -> float | None:
        return self._rate(self.suspected)

    def to_json(self) -> dict[str, object]:
        return {"org_unit": self.org_unit, "name": self.name, "level": self.level, "period": self.period,
                "signals": self.signals, "responded": self.responded, "timely": self.timely,
                "suspected": self.suspected, "response_rate": self.response_rate,
                "timely_response_rate": self.timely_rate, "suspected_share": self.suspected_share,
                "response_hours_median": self.median_hours, "response_hours_q1": self.q1_hours,
                "response_hours_q3": self.q3_hours}

    def values(self) -> list[ValueWrite]:
        """The metrics as data values of the ``surv.*`` elements (rates only where there were signals)."""
        numbers: dict[str, float | None] = {
            "surv.signals": self.signals, "surv.signals_responded": self.responded,
            "surv.signals_timely": self.timely, "surv.signals_suspected": self.suspected,
            "surv.response_rate": self.response_rate, "surv.timely_response_rate": self.timely_rate,
            "surv.suspected_share": self.suspected_share, "surv.response_hours_median": self.median_hours,
            "surv.response_hours_q1": self.q1_hours, "surv.response_hours_q3": self.q3_hours}
        return [ValueWrite(code, self.org_unit, self.period, value) for code, value in numbers.items()
                if value is not None]


def compute_metrics(database: Database, period: Period, org_unit: str | None = None) -> list[AreaMetrics]:
    """Metrics of every area with signals or series under it (or of ``org_unit`` and the areas below it)."""
    with database.sessions() as session:
        areas = {a.code: a for a in registry.list_areas(session)}
        signals = store.find_signals(session, first=period.start, last=period.end)
        series = store.list_series(session)
    if org_unit is not None and org_unit not in areas:
        raise NotFound(f"找不到组织机构“{org_unit}”", f"no org unit with code {org_unit!r}")

    def chain(code: str) -> list[str]:
        result = []
        current: str | None = code
        while current is not None and current in areas:
            result.append(current)
            current = areas[current].parent_code
        return result

    watched = {code for s in series for code in chain(s.org_unit)}
    grouped: dict[str, list[store.Signal]] = defaultdict(list)
    for signal in signals:
        for code in chain(signal.org_unit):
            grouped[code].append(signal)
    chosen = sorted(watched | set(grouped), key=lambda c: (areas[c].level.depth, c))
    if org_unit is not None:
        chosen = [c for c in chosen if org_unit in chain(c)]
    return [_metrics(areas[c].code, areas[c].name, areas[c].level.value, period.code, grouped[c]) for c in chosen]


def _metrics(code: str, name: str, level: str, period: str, signals: list[store.Signal]) -> AreaMetrics:
    hours = np.array([(s.responded_at - s.issued_at).total_seconds() / 3600.0 for s in signals
                      if s.responded_at is not None])
    timely = sum(1 for s in signals if s.responded_at is not None
                 and (s.responded_at - s.issued_at).total_seconds() <= s.response_hours * 3600.0)
    q1, median, q3 = (round(float(v), 2) for v in np.percentile(hours, [25, 50, 75])) if hours.size else (None,) * 3
    return AreaMetrics(code, name, level, period, len(signals), int(hours.size), timely,
                       sum(1 for s in signals if s.suspected), median, q1, q3)


def write_metrics(database: Database, metrics: list[AreaMetrics], user: str) -> Changes:
    """Store the metrics as ``surv.*`` data values (the elements are added first if missing)."""
    with database.transaction() as session:
        upsert_data_elements(session, DATA_ELEMENTS)
        return write_values(session, [v for m in metrics for v in m.values()], user,
                            reason="healthplan detect metrics")
