"""Weighted tables the generator draws from, built once from the hand-written name lists.

Why: realistic frequencies are what make matching hard. Within each pool, names are
weighted by a Zipf-like law on their rank (weight ``1 / (rank + offset) ** exponent``),
so a few names (Mohamed, Fatima, El Amrani, Martin, García, Nguyen, Diallo...) are
very common, exactly as in real registers, and many people share name and birth year.
Draws use cumulative integer weights and :func:`bisect.bisect_right`, which keeps
generation fast enough for million-person benchmarks.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from passerelle.synthetic.forms import NameForms
from passerelle.synthetic.names_amazigh import AMAZIGH_FAMILY, AMAZIGH_FEMALE, AMAZIGH_MALE
from passerelle.synthetic.names_arabic import ARABIC_FAMILY, ARABIC_FEMALE, ARABIC_MALE
from passerelle.synthetic.names_world import WORLD_POOLS
from passerelle.synthetic.places import CITIES, HOMELANDS, NATIONALITIES, City, Weighted

T = TypeVar("T")

#: Share of each name-origin pool in the generated population, per mille. The Arabic
#: (mostly Maghrebi) pool is the largest because it is both frequent in the partner
#: countries' records and the hardest case for cross-script matching.
ORIGIN_SHARES: tuple[tuple[str, int], ...] = (
    ("arabic", 350), ("french", 170), ("iberian", 120), ("dutch", 70),
    ("west_african", 50), ("turkish", 40), ("amazigh", 30), ("english", 30),
    ("german", 30), ("italian", 30), ("slavic", 30), ("east_asian", 30),
    ("south_asian", 20),
)

#: Origins whose names have an Arabic-script form.
ARABIC_SCRIPT_ORIGINS = frozenset({"arabic", "amazigh"})
#: Origins where civil registration often records unknown birth dates as 1 January.
DEFAULT_DATE_ORIGINS = frozenset({"arabic", "amazigh", "west_african", "south_asian"})

_SCALE = 1 << 24


@dataclass(frozen=True)
class WeightedTable(Generic[T]):
    """Items with cumulative integer weights; ``pick(u)`` maps ``u in [0, total)``.

    ``total`` is stored rather than computed because draws read it in the hot loop.
    """

    items: tuple[T, ...]
    cumulative: tuple[int, ...]
    total: int

    def pick(self, u: int) -> T:
        return self.items[bisect_right(self.cumulative, u)]


def weighted(items: Sequence[T], weights: Sequence[float]) -> WeightedTable[T]:
    """Build a table; every item keeps a weight of at least one unit."""
    if len(items) != len(weights) or not items:
        raise ValueError("items and weights must be non-empty and of equal length")
    total = float(sum(weights))
    cumulative: list[int] = []
    running = 0
    for w in weights:
        running += max(1, round(w / total * _SCALE))
        cumulative.append(running)
    return WeightedTable(tuple(items), tuple(cumulative), running)


def zipf(items: Sequence[T], exponent: float, offset: float) -> WeightedTable[T]:
    """Weight items by rank: the first is the most frequent."""
    return weighted(items, [1.0 / (rank + offset) ** exponent for rank in range(len(items))])


def _mix(pairs: Weighted) -> WeightedTable[tuple[str, ...]]:
    return weighted([tuple(code.split("+")) for code, _ in pairs], [w for _, w in pairs])


def _countries(pairs: Weighted) -> WeightedTable[str]:
    return weighted([code for code, _ in pairs], [w for _, w in pairs])


@dataclass(frozen=True)
class Pool:
    """Everything drawn for one name origin."""

    origin: str
    male: WeightedTable[NameForms]
    female: WeightedTable[NameForms]
    family: WeightedTable[NameForms]
    nationalities: WeightedTable[tuple[str, ...]]
    homelands: WeightedTable[str]
    given_lookup: dict[str, NameForms]
    family_lookup: dict[str, NameForms]


# Zipf parameters (exponent, offset). Given names are more concentrated than family
# names; Maghrebi given names most of all (Mohamed, Fatima).
_GIVEN_ZIPF = {"arabic": (1.1, 0.8), "amazigh": (1.0, 1.0), "south_asian": (1.0, 1.0)}
_FAMILY_ZIPF = {"arabic": (1.0, 1.2), "east_asian": (1.25, 0.5), "west_african": (1.1, 1.0)}
_DEFAULT_GIVEN = (1.05, 1.0)
_DEFAULT_FAMILY = (1.0, 1.5)


def _lookup(*tables: tuple[NameForms, ...]) -> dict[str, NameForms]:
    index: dict[str, NameForms] = {}
    for table in tables:
        for forms in table:
            for spelling in (*forms.spellings, forms.arabic):
                if spelling:
                    index.setdefault(spelling, forms)
    return index


def _pool(origin: str, male: tuple[NameForms, ...], female: tuple[NameForms, ...],
          family: tuple[NameForms, ...]) -> Pool:
    ge, go = _GIVEN_ZIPF.get(origin, _DEFAULT_GIVEN)
    fe, fo = _FAMILY_ZIPF.get(origin, _DEFAULT_FAMILY)
    return Pool(
        origin=origin,
        male=zipf(male, ge, go),
        female=zipf(female, ge, go),
        family=zipf(family, fe, fo),
        nationalities=_mix(NATIONALITIES[origin]),
        homelands=_countries(HOMELANDS[origin]),
        given_lookup=_lookup(male, female),
        family_lookup=_lookup(family),
    )


def _build_pools() -> dict[str, Pool]:
    pools = {
        "arabic": _pool("arabic", ARABIC_MALE, ARABIC_FEMALE, ARABIC_FAMILY),
        "amazigh": _pool("amazigh", AMAZIGH_MALE, AMAZIGH_FEMALE, AMAZIGH_FAMILY),
    }
    for origin, (male, female, family) in WORLD_POOLS.items():
        pools[origin] = _pool(origin, male, female, family)
    missing = {o for o, _ in ORIGIN_SHARES} ^ set(pools)
    if missing:
        raise RuntimeError(f"origin shares and pools disagree on {sorted(missing)}")
    return pools


POOLS: dict[str, Pool] = _build_pools()
ORIGINS: WeightedTable[Pool] = weighted(
    [POOLS[o] for o, _ in ORIGIN_SHARES], [w for _, w in ORIGIN_SHARES]
)

#: Cities per country, weighted towards the first (largest) ones.
CITY_TABLES: dict[str, WeightedTable[City]] = {
    country: zipf(cities, 1.0, 1.0) for country, cities in CITIES.items()
}
#: Where people are born when neither in a country of nationality nor in their pool's
#: homeland: mostly the partner countries and their neighbours (children of migrants).
ELSEWHERE: WeightedTable[str] = weighted(
    ["FR", "BE", "ES", "MA", "NL", "DE", "IT", "GB", "CH", "DZ"],
    [25, 15, 15, 15, 8, 8, 5, 4, 3, 2],
)
#: Any spelling of a city (in any convention) back to the city, to respell it.
CITY_LOOKUP: dict[str, City] = {
    name: city for cities in CITIES.values() for city in cities for name in city
}


def _ages() -> WeightedTable[int]:
    # Ages 14-80; most people officers record are between 20 and 36.
    ages = list(range(14, 81))
    weights = [
        (a - 13) / 7 if a < 20 else 1.0 if a <= 36 else max(0.03, 1.0 - (a - 36) / 20)
        for a in ages
    ]
    return weighted(ages, weights)


AGES: WeightedTable[int] = _ages()
