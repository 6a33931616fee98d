"""The generator's own check that the census-year registry matches the plan's published counts."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .registry import Facility, Version
from .spec import RegionSpec

COUNTS: dict[str, Callable[[Version], bool]] = {
    "total": lambda v: True,
    "hospital": lambda v: v.is_hospital,
    "primary_care": lambda v: v.is_primary_care,
    "public_health": lambda v: v.is_public_health,
    "private": lambda v: v.ownership == "private",
    "level3": lambda v: v.is_hospital and v.level == 3,
    "level3_grade_a": lambda v: v.is_hospital and v.level == 3 and v.grade == "A",
    "county_general": lambda v: v.category == "general_hospital" and v.host == "county",
    "county_general_2a": lambda v: v.category == "general_hospital" and v.host == "county" and v.level == 2
    and v.grade == "A",
    "psychiatric_hospital": lambda v: v.specialty == "psychiatric",
    "occupational_hospital": lambda v: v.specialty == "occupational",
    "community": lambda v: v.category in ("community_health_center", "community_health_station"),
}


def count(name: str, versions: Sequence[Version]) -> int:
    """How many of ``versions`` a published count covers (a named group or a category)."""
    predicate = COUNTS.get(name)
    if predicate is None:
        return sum(1 for v in versions if v.category == name)
    return sum(1 for v in versions if predicate(v))


def check_counts(region: RegionSpec, census_roster: Sequence[tuple[Facility, Version]]) -> None:
    versions = [v for _, v in census_roster]
    wrong = {
        name: (count(name, versions), expected)
        for name, expected in region.published_counts.items()
        if count(name, versions) != expected
    }
    if wrong:
        raise AssertionError(f"{region.name}: census-year counts differ from the plan (got, published): {wrong}")
