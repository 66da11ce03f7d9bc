"""Quality tasks with more than names: dates of birth, and whole synthetic people.

``with_dob`` takes the pairs of ``cross_script_names`` and ``latin_variants`` and gives every
entry a date of birth. Each query (traveller) is born at an age of 18 to 70 (most 20 to 40);
its true match carries the same date as another register holds it: 10 % keep the year only,
5 % have day and month swapped (when both are 12 or less), 3 % have the year off by one, the
rest agree. Negatives are born independently by the same law, and a quarter of them in the
query's very birth year (namesakes of the same age are what alerts are made of).

``synthetic`` is people of ``passerelle.synthetic`` against the record another agency keeps of
them (``variant_of``: another romanisation or Arabic script, swaps, particles, typos, partial
or mistyped dates, OCR-confused or other documents), every field of ``as_entry`` included.
Negatives are other people of a generated population: a quarter share the query's family
name, a quarter its given name (homonyms found by grouping the population by folded name), the
rest are anyone.
"""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect_right
from collections import defaultdict
from dataclasses import replace
from itertools import accumulate

from passerelle.matching.model import PersonEntry
from passerelle.matching.text import fold
from passerelle.synthetic import REFERENCE_YEAR, PeopleGenerator, SyntheticPerson
from passerelle.synthetic.entries import as_entry
from passerelle.synthetic.people import days_in_month
from quality_tasks import Pair, Sizes, Task

AGES = tuple(range(18, 71))
YEAR_ONLY, SWAPPED, YEAR_OFF = 0.10, 0.05, 0.03
SAME_YEAR_NEGATIVES = 0.25


def _age_weight(age: int) -> float:
    if age < 20:
        return 0.6
    return 1.0 if age <= 40 else 1.0 - 0.85 * (age - 40) / 30


_CUMULATIVE = list(accumulate(_age_weight(a) for a in AGES))


def birth_date(rng: random.Random, year: int | None = None) -> dt.date:
    """A full date of birth (at ages 18-70 in the reference year unless ``year`` is given)."""
    if year is None:
        x = rng.random() * _CUMULATIVE[-1]
        year = REFERENCE_YEAR - AGES[min(bisect_right(_CUMULATIVE, x), len(AGES) - 1)]
    month = rng.randint(1, 12)
    return dt.date(year, month, rng.randint(1, days_in_month(year, month)))


def recorded(date: dt.date, rng: random.Random) -> tuple[str, str]:
    """The date as another register holds it, and which drift it got."""
    r = rng.random()
    if r < YEAR_ONLY:
        return f"{date.year:04d}", "year_only"
    if r < YEAR_ONLY + SWAPPED:
        if date.day <= 12 and date.day != date.month:
            return f"{date.year:04d}-{date.day:02d}-{date.month:02d}", "swapped"
        return date.isoformat(), "same"
    if r < YEAR_ONLY + SWAPPED + YEAR_OFF:
        year = date.year + rng.choice((-1, 1))
        day = min(date.day, days_in_month(year, date.month))
        return dt.date(year, date.month, day).isoformat(), "year_off"
    return date.isoformat(), "same"


def with_dob(sources: list[Task], seed: int) -> Task:
    """The pairs of ``sources`` with dates of birth on both sides (see the module doc)."""
    rng = random.Random(f"{seed}:with_dob")
    pairs: list[Pair] = []
    offset = 0
    for task in sources:
        dates: dict[int, dt.date] = {}
        for pair in task.pairs:
            born = dates.setdefault(pair.group, birth_date(rng))
            if pair.is_match:
                text, drift = recorded(born, rng)
                kind = f"match+{drift}"
            else:
                same_year = rng.random() < SAME_YEAR_NEGATIVES
                text = birth_date(rng, born.year if same_year else None).isoformat()
                kind = f"{pair.kind}+same_year" if same_year else pair.kind
            pairs.append(Pair(replace(pair.query, date_of_birth=born.isoformat()),
                              replace(pair.candidate, date_of_birth=text), pair.is_match,
                              kind, offset + pair.group))
        offset += task.queries
    negatives = sources[0].negatives_per_query if sources else None
    return Task("with_dob", "cross_script_names and latin_variants with dates of birth",
                tuple(pairs), offset, negatives, dates=True)


def synthetic(seed: int, sizes: Sizes) -> Task:
    """Generated people against their other records and against other people."""
    generator = PeopleGenerator(seed)
    people = list(generator.people(max(sizes.population, sizes.positives + sizes.negatives)))
    by_family: dict[str, list[int]] = defaultdict(list)
    by_given: dict[str, list[int]] = defaultdict(list)
    for person in people:
        by_family[fold(person.name.family)].append(person.key)
        by_given[fold(person.name.given)].append(person.key)
    rng = random.Random(f"{seed}:synthetic")
    queries = rng.sample(range(len(people)), sizes.positives)
    pairs: list[Pair] = []
    for q, key in enumerate(queries):
        person = people[key]
        query = as_entry(generator.variant_of(person, 1), f"syn{q}")
        pairs.append(Pair(query, _entry(person, q, "m"), True, "match", q))
        plan = _namesakes(rng, person, by_family, by_given, sizes.negatives // 4)
        seen = {key} | {k for k, _ in plan}
        while len(plan) < sizes.negatives:
            other = rng.randrange(len(people))
            if other not in seen:
                seen.add(other)
                plan.append((other, "random"))
        pairs += [Pair(query, _entry(people[other], q, str(j)), False, kind, q)
                  for j, (other, kind) in enumerate(plan)]
    return Task("synthetic", "synthetic people vs another agency's record of them (all fields)",
                tuple(pairs), len(queries), sizes.negatives, dates=True)


def _entry(person: SyntheticPerson, q: int, suffix: str) -> PersonEntry:
    return as_entry(person, f"syn{q}-{suffix}")


def _namesakes(rng: random.Random, person: SyntheticPerson, by_family: dict[str, list[int]],
               by_given: dict[str, list[int]], each: int) -> list[tuple[int, str]]:
    plan: list[tuple[int, str]] = []
    taken = {person.key}
    for kind, group in (("same_family", by_family[fold(person.name.family)]),
                        ("same_given", by_given[fold(person.name.given)])):
        others = [k for k in group if k not in taken]
        for other in rng.sample(others, min(each, len(others))):
            taken.add(other)
            plan.append((other, kind))
    return plan
