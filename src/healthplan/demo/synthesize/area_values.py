"""Yearly values recorded at areas (``area_values.csv``): population, vital events, health status,
finance, public-health services and residents' visits.

Real: 常住人口 by county and the 65+ share in the census year. Published (reproduced exactly at the city):
the plans' mortality rates, health literacy, management rates and, for 朔州, childcare places, basic
public-health funding and the out-of-pocket share. Everything else follows the region's series; city totals
are split over counties in proportion to population (or births, or people aged 65+) times a fixed county
factor, so counties differ plausibly but always add up to the city.
"""

from __future__ import annotations

from dataclasses import dataclass

from .calibrate import apportion, series_total
from .census import age65plus_share
from .orgunits import Geography
from .streams import stream

AreaValue = tuple[str, str, int, float | int]  # (data element, org unit, period, value)
_VITAL_RATES = (("infant_mortality", 1000), ("under5_mortality", 1000), ("maternal_mortality", 100000))


@dataclass(frozen=True)
class _Vital:
    births: int
    infant: int
    under5: int
    maternal: int


class AreaValues:
    def __init__(self, geography: Geography) -> None:
        self.geography = geography
        self.region = geography.region
        self.counties = geography.counties
        self.out: list[AreaValue] = []

    def factor(self, purpose: str, county: str, spread: float) -> float:
        """A fixed county factor around 1 (±spread) for one purpose."""
        return 1 + spread * (2 * float(stream(self.region.key, "county-factor", purpose, county).random()) - 1)

    def yearly_factor(self, purpose: str, county: str, year: int, spread: float) -> float:
        return 1 + spread * (2 * float(stream(self.region.key, "year-factor", purpose, county, year).random()) - 1)

    def record(self, element: str, org_unit: str, year: int, value: float | int) -> None:
        self.out.append((element, org_unit, year, value))

    def split(self, element: str, year: int, total: int, weights: list[float], caps: list[int] | None = None) -> list[int]:
        counts = apportion(total, weights, caps)
        for county, count in zip(self.counties, counts, strict=True):
            self.record(element, county.code, year, count)
        return counts

    def series_total(self, key: str, year: int, denominator: int, factor: int) -> int:
        return series_total(self.region.series[key], year, denominator, factor)

    # ---- population ------------------------------------------------------------------------------------

    def population(self, year: int) -> list[int]:
        pops = [c.population(year) for c in self.counties]
        self.record("pop.resident", self.region.code, year, sum(pops))
        for county, pop in zip(self.counties, pops, strict=True):
            self.record("pop.resident", county.code, year, pop)
        for county in self.counties:
            for code, pop in county.township_populations(year).items():
                self.record("pop.resident", code, year, pop)
        for county, pop in zip(self.counties, pops, strict=True):
            drift = 1 + 0.002 * (year - 2020)
            self.record("pop.registered", county.code, year, round(pop * county.spec.registered_ratio * drift))
        return pops

    def elderly(self, year: int, pops: list[int]) -> list[int]:
        elderly = [
            round(pop * age65plus_share(c.census, year, self.region.ageing_pp_per_year) / 100)
            for c, pop in zip(self.counties, pops, strict=True)
        ]
        for county, count in zip(self.counties, elderly, strict=True):
            self.record("pop.age65plus", county.code, year, count)
        return elderly

    # ---- vital events ----------------------------------------------------------------------------------

    def city_vital(self, year: int) -> _Vital:
        """City births and deaths: rates from the series; in a year with published rates the number of births
        is moved (by at most a few per cent) until every published rate is reproduced by whole deaths."""
        guess = round(self.geography.city_population(year) * self.region.series["birth_rate"].at(year) / 1000)
        for step in range(guess // 20):
            for births in (guess + step, guess - step):
                try:
                    deaths = [self.series_total(key, year, births, f) for key, f in _VITAL_RATES]
                except ValueError:
                    continue
                return _Vital(births, deaths[0], deaths[1], deaths[2])
        raise ArithmeticError(f"{year}: no number of births reproduces the published mortality rates")

    def vital(self, year: int) -> list[int]:
        city = self.city_vital(year)
        weights = [c.population(year) * c.census.age0_14_pct * self.factor("births", c.code, 0.08)
                   for c in self.counties]
        births = self.split("vital.live_births", year, city.births, weights)
        risk = [b * self.yearly_factor("deaths", c.code, year, 0.3) for c, b in zip(self.counties, births, strict=True)]
        infant = self.split("vital.infant_deaths", year, city.infant, risk)
        extra = apportion(city.under5 - city.infant, risk)
        for county, i, e in zip(self.counties, infant, extra, strict=True):
            self.record("vital.under5_deaths", county.code, year, i + e)
        self.split("vital.maternal_deaths", year, city.maternal, risk)
        return births

    def city_births(self, year: int) -> int:
        first = self.region.first_year
        return self.city_vital(max(year, first)).births

    # ---- the rest --------------------------------------------------------------------------------------

    def status(self, year: int) -> None:
        for key, element, spread in (("life_expectancy", "health.life_expectancy", 0.9),
                                     ("health_literacy", "health.literacy_pct", 2.5)):
            series = self.region.series[key]
            if not series.has_value(year):
                continue
            value = series.at(year)
            self.record(element, self.region.code, year, round(value, 2))
            for county in self.counties:
                offset = spread * (2 * float(stream(self.region.key, "status", key, county.code).random()) - 1)
                self.record(element, county.code, year, round(value + offset, 2))

    def children(self, year: int, births: list[int]) -> None:
        weights = [float(b) for b in births]
        earlier = [apportion(self.city_births(y), weights) for y in (year - 1, year - 2)]
        young = [round((b + sum(split[i] for split in earlier)) * 0.985) for i, b in enumerate(births)]
        for county, count in zip(self.counties, young, strict=True):
            self.record("pop.age0_2", county.code, year, count)
        if self.region.series["childcare_places_per_1000"].has_value(year):
            places = self.series_total("childcare_places_per_1000", year, self.geography.city_population(year), 1000)
            self.split("childcare.places", year, places, [float(y) for y in young])

    def finance(self, year: int, pops: list[int]) -> None:
        total = round(self.region.series["total_health_expenditure_100m"].at(year) * 100_000_000)
        self.record("fin.total_health_expenditure", self.region.code, year, total)
        self.record("fin.out_of_pocket", self.region.code, year, self.series_total("oop_share", year, total, 100))
        standard = round(self.region.series["basic_ph_per_capita"].at(year))
        for county, pop in zip(self.counties, pops, strict=True):
            self.record("fin.basic_ph_funding", county.code, year, standard * pop)

    def services(self, year: int, pops: list[int], elderly: list[int]) -> None:
        per_capita = self.region.series["visits_per_capita"].at(year)
        totals = [round(pop * per_capita * self.factor("visits", c.code, 0.1))
                  for c, pop in zip(self.counties, pops, strict=True)]
        self.split("svc.resident_visits_total", year, sum(totals), [float(t) for t in totals], totals)
        in_county = self.series_total("county_visit_rate", year, sum(totals), 100)
        self.split("svc.resident_visits_in_county", year, in_county,
                   [t * self.factor("in-county", c.code, 0.05) for c, t in zip(self.counties, totals, strict=True)],
                   totals)
        self.managed("ph.elderly_managed", "elderly_health_management_rate", year, elderly)
        for disease in ("hypertension", "diabetes"):
            share = self.region.series[f"{disease}_registered_pct"].at(year) / 100
            registered = [round(pop * share * self.factor(disease, c.code, 0.1))
                          for c, pop in zip(self.counties, pops, strict=True)]
            for county, count in zip(self.counties, registered, strict=True):
                self.record(f"ph.{disease}_registered", county.code, year, count)
            self.managed(f"ph.{disease}_managed", f"{disease}_management_rate", year, registered)
        share = self.region.series["key_groups_pct"].at(year) / 100
        key_groups = [round(pop * share * self.factor("key-groups", c.code, 0.05))
                      for c, pop in zip(self.counties, pops, strict=True)]
        for county, count in zip(self.counties, key_groups, strict=True):
            self.record("pop.key_groups", county.code, year, count)
        if self.region.series["family_doctor_key_pop_coverage"].has_value(year):
            self.managed("ph.key_pop_signed", "family_doctor_key_pop_coverage", year, key_groups)

    def managed(self, element: str, key: str, year: int, base: list[int]) -> None:
        total = self.series_total(key, year, sum(base), 100)
        weights = [b * self.factor(element, c.code, 0.06) for c, b in zip(self.counties, base, strict=True)]
        self.split(element, year, total, weights, base)

    def build(self) -> list[AreaValue]:
        for year in self.region.years:
            pops = self.population(year)
            elderly = self.elderly(year, pops)
            births = self.vital(year)
            self.status(year)
            self.children(year, births)
            self.finance(year, pops)
            self.services(year, pops, elderly)
        return self.out


def area_values(geography: Geography) -> list[AreaValue]:
    """Every area value of every year, in a stable order."""
    return AreaValues(geography).build()
