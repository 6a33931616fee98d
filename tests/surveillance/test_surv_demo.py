"""The 晋城 demo step: a plausible year of signals for a city CDC, every injected outbreak signalled, the
multi-point event, the response metrics as data values, and nothing new when it runs again."""

from __future__ import annotations

import datetime as dt

from healthplan.demo.build import data_dir
from healthplan.interop.registry_import import import_org_units
from healthplan.store import surveillance as store
from healthplan.store.database import Database
from healthplan.store.values import read_values
from healthplan.surveillance.demo import LAST, OUTBREAKS, RUN_FROM, _townships, build


def test_demo_year_of_signals(sqlite_db: Database) -> None:
    import_org_units(data_dir("jincheng") / "orgunits.csv", sqlite_db, "demo")
    lines: list[str] = []
    build(sqlite_db, "demo", report=lines.append)
    with sqlite_db.sessions() as session:
        signals = store.find_signals(session, first=RUN_FROM, last=LAST)
        events = store.find_events(session)
        values = {(de, ou, p): v for de, ou, p, _, v, _ in read_values(session, org_unit="140500")}
    assert 30 <= len(signals) <= 300  # tens to low hundreds a year, not one per township a week
    towns = _townships()
    for index, county, source, disease, start, days, _ in OUTBREAKS:
        assert any(s.org_unit == towns[county][index] and (s.source, s.disease) == (source, disease)
                   and s.window_start <= start + dt.timedelta(days=days) and s.window_end >= start
                   for s in signals), (county, disease)
    (event,) = events
    assert (event.rule, event.org_unit, event.window_start) == ("diarrhoea_multipoint", towns["140525"][0],
                                                               dt.date(2024, 7, 16))
    assert len(event.signal_ids) == 3
    assert values[("surv.signals", "140500", "2024")] == len(signals)
    assert 0 < values[("surv.timely_response_rate", "140500", "2024")] < values[("surv.response_rate", "140500",
                                                                                  "2024")] < 100
    assert f"信号 {len(signals)} 条，多点触发事件 1 起" in lines[0]
    again = build(sqlite_db, "demo")
    assert again.inserted == 0 and again.updated == 0
