"""Resource allocation (资源配置): what each county still needs to meet a plan's per-population standards.

``allocate`` turns a plan's resource targets and the rules in a rules file into the 配置规划表 — the region's need
in the allocation year, today's gap and the annual increment, split by county three ways — and reports every
rule with its source clause (待核对 where the figure is second-hand).
"""

from healthplan.allocation.allocate import Allocation, LineAllocation, Row, allocate
from healthplan.allocation.ruleset import RuleSet, load_rules, shipped_rules
from healthplan.allocation.split import Method, apportion

__all__ = ["Allocation", "LineAllocation", "Method", "Row", "RuleSet", "allocate", "apportion", "load_rules",
           "shipped_rules"]
