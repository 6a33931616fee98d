"""healthplan — 区域卫生规划监测评估平台.

Plan, monitor and evaluate a regional health service system: registry, indicators, targets, allocation,
access, tiered care, early warning, task ledger, assessment and reports.
"""

__version__ = "0.1.0"
