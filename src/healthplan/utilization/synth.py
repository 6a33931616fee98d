"""Synthetic encounters for a demo region (``healthplan synth encounters``): calibrated, seeded, vectorised.

The rows of a year are drawn at once with numpy: how many fall on each stream (a facility's visits, its stays,
a county's out-of-city visits and stays) from a multinomial, then per row the residence township (from the
calibrated origins, ``calibration``), dates, length of stay, surgery, referral, costs and a diagnosis. Each
record stands for ``weight`` real encounters (the region's expected volume ÷ rows), stored with the dataset.
The same seed, rows and years give the same dataset; years are drawn in blocks of at most ``BLOCK`` rows from
their own random streams, so memory stays bounded at 10⁸ rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from healthplan.domain.problems import HealthplanError
from healthplan.utilization.calibration import Behaviour, Region, Tier, YearModel, region_folder
from healthplan.utilization.dataset import EncounterDataset, writing
from healthplan.utilization.schema import ENCOUNTER_SCHEMA, EncounterType, Referral, Surgery

BLOCK = 2_000_000
_CODED = frozenset({"residence_code", "facility_code", "type", "icd10", "referral", "referral_from", "surgery"})
_TYPES = pa.array([EncounterType.OUTPATIENT.value, EncounterType.EMERGENCY.value, EncounterType.INPATIENT.value])
_REFERRALS = pa.array([Referral.NONE.value, Referral.UP.value, Referral.DOWN.value])
_SURGERIES = pa.array([Surgery.NONE.value, Surgery.ELECTIVE.value, Surgery.DAY.value])
#: Common diagnoses (ICD-10) of visits and of stays, drawn uniformly: illustrative only.
_VISIT_ICD = pa.array(["J06.9", "I10", "E11.9", "K29.7", "M54.5", "J20.9", "N39.0", "L30.9", "H10.9", "Z00.0"])
_STAY_ICD = pa.array(["J18.9", "I63.9", "I25.1", "O80", "K80.2", "S72.0", "I50.9", "J44.1", "C34.9", "N18.5"])


@dataclass(frozen=True)
class Plan:
    """How many rows each year gets and how many real encounters a row stands for."""

    rows: dict[int, int]
    weight: float


def plan_rows(models: list[YearModel], rows: int) -> Plan:
    """Rows split over the years in proportion to their expected volume (largest remainder)."""
    expected = np.array([m.expected for m in models])
    if rows <= 0 or expected.sum() <= 0:
        raise HealthplanError("行数必须为正数", "--rows must be positive")
    exact = rows * expected / expected.sum()
    counts = np.floor(exact).astype(np.int64)
    counts[np.argsort(-(exact - counts), kind="stable")[: rows - int(counts.sum())]] += 1
    return Plan({m.year: int(n) for m, n in zip(models, counts, strict=True)}, float(expected.sum() / rows))


def _strings(prefix: str, numbers: Any, width: int) -> Any:
    """``prefix`` + zero-padded ``numbers`` as an Arrow string array, built from digits without Python loops."""
    n = len(numbers)
    head = np.frombuffer(prefix.encode("ascii"), dtype=np.uint8)
    size = len(head) + width
    buffer = np.empty((n, size), dtype=np.uint8)
    buffer[:, : len(head)] = head
    rest = numbers.astype(np.uint64)
    for column in range(size - 1, len(head) - 1, -1):
        rest, digit = np.divmod(rest, np.uint64(10))
        buffer[:, column] = digit + 48
    offsets = (np.arange(n + 1, dtype=np.int32) * size).astype(np.int32)
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(buffer.ravel()))


def _coded(dictionary: Any, indices: Any, mask: Any = None) -> Any:
    """Values as indices into a small dictionary: no string copies, and Parquet stores them dictionary-encoded."""
    return pa.DictionaryArray.from_arrays(pa.array(indices.astype(np.int32), mask=mask), dictionary)


#: The encounter schema with its low-cardinality text columns dictionary-encoded (readers see plain text).
GENERATED_SCHEMA = pa.schema([
    f.with_type(pa.dictionary(pa.int32(), pa.string())) if f.name in _CODED else f for f in ENCOUNTER_SCHEMA])


def _dates(days: Any) -> Any:
    return pa.array(days.astype(np.int32), pa.int32()).view(pa.date32())


class Generator:
    """Draws one region's encounters; ``blocks`` yields Arrow tables in the encounter schema."""

    def __init__(self, region: Region, years: list[int], rows: int, seed: int) -> None:
        self.region = region
        self.behaviour: Behaviour = region.behaviour
        self.models = [region.year(y) for y in years]
        self.plan = plan_rows(self.models, rows)
        self.seed = seed

    @classmethod
    def for_region(cls, region: str, years: list[int], rows: int, seed: int) -> Generator:
        return cls(Region(region_folder(region)), years, rows, seed)

    @property
    def block_count(self) -> int:
        return sum(-(-n // BLOCK) for n in self.plan.rows.values())

    def blocks(self) -> Iterator[Any]:
        sequence = 0
        for model in self.models:
            total = self.plan.rows[model.year]
            count = -(-total // BLOCK)
            for block in range(count):
                size = total // count + (1 if block < total % count else 0)
                rng = np.random.default_rng([self.seed, model.year, block])
                yield self._block(model, size, rng, sequence)
                sequence += size

    def _block(self, model: YearModel, size: int, rng: np.random.Generator, first_id: int) -> Any:
        b = self.behaviour
        n_fac, n_county, n_town = len(model.facilities), len(model.counties), len(model.towns)
        # streams: facility visits, facility stays, county out-of-city visits, county out-of-city stays
        volume = np.concatenate([model.visits, model.stays, model.out_of_city * (1 - b.out_of_city_inpatient),
                                 model.out_of_city * b.out_of_city_inpatient])
        stream, counted = self._streams_by_month(model.year, size, volume / volume.sum(), rng)
        kind = stream // n_fac
        outside = stream >= 2 * n_fac
        owner = np.where(outside, (stream - 2 * n_fac) % n_county, stream % n_fac)
        stay = np.where(outside, stream >= 2 * n_fac + n_county, kind == 1)
        facility = np.where(outside, -1, owner)
        tier = np.where(outside, Tier.HOSPITAL_3, model.tier[np.maximum(facility, 0)])

        origin_row = np.where(outside, n_fac + owner, owner)
        town = self._origins(model, origin_row, rng)
        non_resident = town == n_town

        emergency = ~stay & (rng.random(size) < np.where(outside, 0.1, np.array(b.emergency)[tier]))
        encounter_type = np.where(stay, 2, np.where(emergency, 1, 0))

        surgery, los = self._stays(model, stay, outside, facility, rng)
        referral, referral_from = self._referrals(model, stay, outside, facility, tier, town, owner, rng)
        cost, oop = self._costs(model, stay, outside, tier, encounter_type, surgery, los, facility, rng)

        residence = self._residences(model, town, non_resident, rng)
        places = pa.array(model.facilities + list(model.outside_places), pa.string())
        place_keys = np.array(list(model.outside_places.values()))
        outside_place = len(model.facilities) + rng.choice(len(place_keys), size, p=place_keys / place_keys.sum())
        person = np.where(non_resident, n_town * 10_000_000 + rng.integers(0, 1_000_000, size),
                          np.minimum(town, n_town - 1) * 10_000_000
                          + (rng.random(size) * model.town_pop[np.minimum(town, n_town - 1)]).astype(np.int64))
        icd = np.where(stay, 10, 0) + rng.integers(0, 10, size)
        columns = {
            "encounter_id": _strings("E", first_id + np.arange(size, dtype=np.int64), 11),
            "patient_key": _strings("P", person, 11),
            "residence_code": residence,
            "facility_code": _coded(places, np.where(outside, outside_place, facility)),
            "type": _coded(_TYPES, encounter_type),
            "admit_date": _dates(np.where(stay, counted - los, counted)),
            "discharge_date": pa.array(np.where(stay, counted, 0).astype(np.int32), pa.int32(),
                                       mask=~stay).view(pa.date32()),
            "icd10": _coded(pa.concat_arrays([_VISIT_ICD, _STAY_ICD]), icd),
            "referral": _coded(_REFERRALS, referral),
            "referral_from": _coded(places, np.maximum(referral_from, 0), referral_from < 0),
            "cost_total": pa.array(cost),
            "cost_oop": pa.array(oop),
            "surgery": _coded(_SURGERIES, surgery),
        }
        return pa.table([columns[f.name] for f in GENERATED_SCHEMA], schema=GENERATED_SCHEMA)

    @staticmethod
    def _streams_by_month(year: int, size: int, share: Any, rng: np.random.Generator) -> tuple[Any, Any]:
        """Each row's stream and its counting date (uniform over the year), drawn month by month so that the
        rows come out in date order and the dataset writer need not sort them."""
        starts = np.arange(f"{year}-01", f"{year + 1}-02", dtype="datetime64[M]").astype("datetime64[D]")
        lengths = np.diff(starts).astype(np.int64)
        epoch = (starts[:-1] - np.datetime64("1970-01-01")).astype(np.int64)
        per_month = rng.multinomial(size, lengths / lengths.sum())
        streams, dates = [], []
        for month, rows in enumerate(per_month):
            streams.append(np.repeat(np.arange(len(share)), rng.multinomial(rows, share)))
            dates.append(epoch[month] + rng.integers(0, lengths[month], rows))
        return np.concatenate(streams), np.concatenate(dates)

    @staticmethod
    def _origins(model: YearModel, rows: Any, rng: np.random.Generator) -> Any:
        """A residence township per encounter from its stream's origin distribution (one searchsorted)."""
        width = model.origin.shape[1]
        cumulative = np.cumsum(model.origin, axis=1)
        cumulative /= np.maximum(cumulative[:, -1:], 1e-300)
        cumulative[:, -1] = 1.0
        flat = (cumulative + np.arange(len(cumulative))[:, None]).ravel()
        index = np.searchsorted(flat, rows + rng.random(len(rows)), side="right")
        return np.minimum(index - rows * width, width - 1)

    def _residences(self, model: YearModel, town: Any, non_resident: Any, rng: np.random.Generator) -> Any:
        codes = pa.array(model.towns + list(model.outside_residences), pa.string())
        weights = np.array(list(model.outside_residences.values()))
        elsewhere = len(model.towns) + rng.choice(len(weights), len(town), p=weights / weights.sum())
        return _coded(codes, np.where(non_resident, elsewhere, town))

    def _stays(self, model: YearModel, stay: Any, outside: Any, facility: Any,
               rng: np.random.Generator) -> tuple[Any, Any]:
        """Surgery (0 none, 1 elective, 2 day) and length of stay in days; 0 for visits."""
        rows = np.flatnonzero(stay)
        f, away = np.maximum(facility[rows], 0), outside[rows]
        surgical_p = np.where(away, 0.4, model.surgical[f])
        day_p = np.where(away, 0.12, model.day_share[f])
        surgical = rng.random(len(rows)) < surgical_p
        day = surgical & (rng.random(len(rows)) < day_p)
        alos = np.where(away, self.behaviour.out_of_city_stay, model.alos[f])
        p_day = surgical_p * day_p  # day stays last 0 or 1 night (0.3 on average): the others make up the mean
        mean_other = np.maximum((alos - 0.3 * p_day) / np.maximum(1 - p_day, 1e-9), 1.0)
        long_stay = np.maximum(np.floor(rng.gamma(2.0, mean_other / 2.0) + 0.5), 1)
        surgery = np.zeros(len(stay), dtype=np.int64)
        surgery[rows] = np.where(day, 2, np.where(surgical, 1, 0))
        los = np.zeros(len(stay), dtype=np.int64)
        los[rows] = np.where(day, rng.random(len(rows)) < 0.3, long_stay)
        return surgery, los

    def _referrals(self, model: YearModel, stay: Any, outside: Any, facility: Any, tier: Any, town: Any,
                   owner: Any, rng: np.random.Generator) -> tuple[Any, Any]:
        """Referral (0 none, 1 up, 2 down) and the referring facility (index, −1 for none)."""
        b = self.behaviour
        growth = (1 + b.referral_growth) ** (model.year - 2019)
        hospital = outside | (tier >= Tier.HOSPITAL)
        up_p = np.where(stay, b.referral_up[1], b.referral_up[0]) * growth * np.where(outside, 3.0, 1.0)
        down_p = np.where(stay, b.referral_down[1], b.referral_down[0]) * growth
        center = ~outside & (tier == Tier.CENTER)
        draw = rng.random(len(stay))
        up = hospital & (draw < up_p)
        down = center & (draw < down_p)
        n_town = len(model.towns)
        home = model.home_center[np.minimum(town, n_town - 1)]
        county = np.where(outside, owner, model.facility_county[np.maximum(facility, 0)])
        source = np.where(up, np.where(outside, model.county_hospital[county], home),
                          np.where(down, model.county_hospital[county], -1))
        source = np.where(up & (town == n_town), -1, source)  # visitors from outside: referrer unknown
        return np.where(up, 1, np.where(down, 2, 0)), source

    def _costs(self, model: YearModel, stay: Any, outside: Any, tier: Any, encounter_type: Any, surgery: Any,
               los: Any, facility: Any, rng: np.random.Generator) -> tuple[Any, Any]:
        b = self.behaviour
        growth = (1 + b.cost_growth) ** (model.year - 2019)
        visit = np.where(outside, b.cost_outside[0], np.array(b.cost_visit)[tier])
        visit = visit * np.where(encounter_type == 1, 1.6, 1.0)
        alos = np.maximum(np.where(outside, b.out_of_city_stay, model.alos[np.maximum(facility, 0)]), 1.0)
        per_stay = np.where(outside, b.cost_outside[1], np.array(b.cost_stay)[tier]) * (0.4 + 0.6 * los / alos)
        per_stay = np.where(surgery == 2, b.cost_day_surgery, per_stay)
        median = np.where(stay, per_stay, visit) * growth
        cost = np.round(median * rng.lognormal(0.0, np.where(stay, 0.5, 0.7)), 2)
        share = np.where(stay, np.where(outside, b.oop_outside[1], np.array(b.oop_stay)[tier]),
                         np.where(outside, b.oop_outside[0], np.array(b.oop_visit)[tier]))
        oop = np.round(cost * np.clip(share + rng.normal(0.0, 0.08, len(cost)), 0.0, 1.0), 2)
        return cost, np.minimum(oop, cost)


def synthesize(generator: Generator, out: Path, on_block: Callable[[], None] | None = None) -> EncounterDataset:
    """Write the generator's encounters as a dataset at ``out`` (replacing it as a whole)."""
    with writing(out, generator.plan.weight) as writer, ThreadPoolExecutor(1) as background:
        pending: Future[None] | None = None
        for table in generator.blocks():  # draw the next block while the last one is being written
            if pending is not None:
                pending.result()
            pending = background.submit(writer.write, table)
            if on_block is not None:
                on_block()
        if pending is not None:
            pending.result()
        return writer.commit()
