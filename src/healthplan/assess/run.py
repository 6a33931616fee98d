"""Run a scheme for a year: load the engine and the scheme, find the subjects, score them."""

from __future__ import annotations

from healthplan.assess.elements import ensure_elements
from healthplan.assess.result import Assessment
from healthplan.assess.scheme import IndicatorScheme, load_scheme, scheme_path
from healthplan.assess.scoring import score_indicators
from healthplan.assess.subjects import resolve
from healthplan.assess.targets import score_targets
from healthplan.engine.analytics import Analytics
from healthplan.engine.catalog import Catalog
from healthplan.store.database import Database
from healthplan.store.plans import get_plan, user_indicators


def run_scheme(database: Database, reference: str, year: int | None, user: str) -> Assessment:
    """``reference``: a shipped scheme's code or a YAML file; ``year`` None: the latest year with data."""
    ensure_elements(database, user)
    analytics = Analytics(database)
    analytics.load()
    with database.sessions() as session:
        catalog = Catalog(user_indicators(session), analytics.elements)
    scheme = load_scheme(scheme_path(reference), catalog, analytics.compiler)
    chosen = year if year is not None else max((p.start.year for p in analytics.periods.values()), default=0)
    subjects = resolve(database, scheme.subjects, chosen)
    if isinstance(scheme, IndicatorScheme):
        return score_indicators(analytics, scheme, subjects, chosen)
    with database.sessions() as session:
        plan = get_plan(session, scheme.plan)
    return score_targets(analytics, catalog, plan, scheme, subjects, chosen)
