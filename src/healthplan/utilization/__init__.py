"""Encounter-level analytics (分级诊疗): 县域就诊率, 基层就诊率, referrals, flows, ALOS, occupancy, costs.

Encounter records are validated into a Parquet dataset partitioned by year/month (``importer``), measured with
one set of Ibis expressions that run on DuckDB or PySpark (``metrics``, ``flows``, ``engines``), and written
back as ``svc.enc_*`` data values so the indicator engine, plans and reports use them (``writeback``).
``synth`` generates calibrated synthetic encounters for the demo regions. See docs/utilization.md.
"""
