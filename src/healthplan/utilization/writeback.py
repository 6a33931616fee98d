"""Write the measured counts back as data values, so the indicator engine, plans and reports use them.

Each count is its own data element ``svc.enc_<count>`` recorded at the counties and cities (weighted by the
dataset's expansion weight), and each metric an indicator ``enc_<metric>`` = Σ numerator ÷ Σ denominator — the
same ratio the metrics compute, rolled up by the engine like any other. They stand beside the statistical
report's elements (``svc.visits``, ``svc.resident_visits_in_county`` …) rather than replacing them: the two
sources measure the same thing differently, a planner wants to see both, and a rebuild of the demo must not
flip values between them. A plan targets the encounter measure by its code, e.g. ``enc_county_visit_rate``.

One transaction: data elements, indicators and values are written together or not at all; every value change
is audited with the dataset as the reason; writing the same results again changes nothing. Areas without a
single encounter are left alone (another city's dataset may have written them).
"""

from __future__ import annotations

from collections.abc import Sequence

from healthplan.domain.indicators import Indicator
from healthplan.store.database import Database
from healthplan.store.plans import save_indicators
from healthplan.store.registry import Changes
from healthplan.store.values import ValueWrite, upsert_data_elements, write_values
from healthplan.utilization.metrics import COUNTS, METRICS, Metric, YearMetrics

COMMENT = "由就诊记录计算 / computed from encounter records"


def indicator(metric: Metric) -> Indicator:
    """The plan-usable indicator of a metric: the same ratio over the written-back counts."""
    return Indicator(
        code=f"enc_{metric.code}", name=f"{metric.name}（就诊记录）", name_en=f"{metric.name_en} (encounters)",
        numerator=f"sum(svc.enc_{metric.numerator})",
        denominator=f"sum(svc.enc_{metric.denominator})" if metric.denominator else None,
        factor=metric.factor, unit=metric.unit, decimals=metric.decimals, polarity=metric.polarity,
        definition=metric.definition)


def value_writes(results: Sequence[YearMetrics]) -> list[ValueWrite]:
    """Counts to 2 decimals: weighted counts are estimates (a sample's records × its weight), money is yuan."""
    return [ValueWrite(count.element.code, area.org_unit, str(result.year), round(area.counts[count.key], 2),
                       comment=COMMENT)
            for result in results for area in result.areas if area.counts for count in COUNTS]


def write_back(database: Database, results: Sequence[YearMetrics], user: str, source: str) -> Changes:
    with database.transaction() as session:
        changes = upsert_data_elements(session, [c.element for c in COUNTS])
        changes += save_indicators(session, [indicator(m) for m in METRICS], user)
        changes += write_values(session, value_writes(results), user, reason=f"就诊记录 encounters: {source}")
    return changes
