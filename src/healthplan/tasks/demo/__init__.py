"""Demo data of the ledger: the 39 tasks of 城区's 2023 reform action plan (seed 003) and their plan."""
