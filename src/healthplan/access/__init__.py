"""Spatial access (服务可及性): who is within a service standard, how much care each place can reach, and where
new facilities should go.

Standards are data (``standards.yaml``); demand is township seats or a population grid (``population``);
distances follow a road network when one is given, else the great circle times a circuity factor (``travel``,
``roads``); ``coverage`` and ``e2sfca`` measure access and ``sites`` chooses new sites with the exact models of
``healthplan.access.siting``, existing facilities kept open.
"""

from healthplan.access.coverage import Coverage, assess, count_sites
from healthplan.access.e2sfca import e2sfca, step_weights
from healthplan.access.population import Demand, grid_demand, township_demand
from healthplan.access.region import Region, Site, load_region, select_sites
from healthplan.access.roads import RoadNetwork, read_network
from healthplan.access.sites import Proposal, propose
from healthplan.access.standards import Standard, Standards, load_standards
from healthplan.access.travel import GreatCircle, Places, TravelModel

__all__ = ["Coverage", "Demand", "GreatCircle", "Places", "Proposal", "Region", "RoadNetwork", "Site", "Standard",
           "Standards", "TravelModel", "assess", "count_sites", "e2sfca", "grid_demand", "load_region",
           "load_standards", "propose", "read_network", "select_sites", "step_weights", "township_demand"]
