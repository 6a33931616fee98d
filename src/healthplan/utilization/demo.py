"""The demo's encounters: synthetic records of 晋城 2019–2024, measured and written back.

The records are generated (``synth``: one record for every ≈ 68 of the region's ~68 million encounters, so
the step stays within seconds) into a temporary folder, measured on DuckDB (``metrics``) and written back as
``svc.enc_*`` values with their ``enc_*`` indicators (``writeback``); the demo database is the only thing left
behind. The generated rows are valid by construction (the test suite imports them and checks that none is
quarantined), so the demo skips the import. Same seed, same rows: rebuilding the demo changes nothing.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from healthplan.store.database import Database
from healthplan.store.registry import Changes

if TYPE_CHECKING:
    from healthplan.demo.build import Step

REGION = "jincheng"
YEARS = list(range(2019, 2025))
ROWS = 1_000_000
SEED = 20240705


def demo_steps(regions: tuple[str, ...]) -> list[Step]:
    from healthplan.demo.build import Step  # imported here: demo.build imports this module

    return [Step(f"{REGION} 就诊记录（分级诊疗）", load_demo_encounters)] if REGION in regions else []


def load_demo_encounters(database: Database, user: str) -> Changes:
    from healthplan.utilization.engines import connect
    from healthplan.utilization.metrics import compute_years
    from healthplan.utilization.synth import Generator, synthesize
    from healthplan.utilization.territory import Territory
    from healthplan.utilization.writeback import write_back

    with tempfile.TemporaryDirectory(prefix="healthplan-encounters-") as folder:
        dataset = synthesize(Generator.for_region(REGION, YEARS, ROWS, SEED), Path(folder) / "encounters")
        with database.sessions() as session:
            territory = Territory.from_store(session)
        connection = connect()
        try:
            results = compute_years(connection, dataset, territory, YEARS)
        finally:
            connection.close()
    return write_back(database, results, user, f"示范数据 demo: {REGION} {YEARS[0]}–{YEARS[-1]}, seed {SEED}")
