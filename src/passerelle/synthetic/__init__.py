"""Fictional, diverse, reproducible people for seeding, tests and benchmarks.

Fictional only: every person is a random combination of a given name, a family name,
a birth date, a birth place, nationalities and a document number drawn independently
from hand-written pools, so no record describes a real person. No religion, ethnicity
or political attribute exists; the name-origin pool (``SyntheticName.origin``) is a
linguistic device to produce diverse names and must never be used as a person
attribute elsewhere in Passerelle.

Diversity: thirteen name-origin pools (Arabic, Amazigh, French, Iberian, Dutch/Flemish,
West African, Turkish, English, German, Italian, Slavic, East Asian, South Asian); about
35% of people come from the Arabic (mostly Maghrebi) pool, the hardest case for
cross-border matching, with Arabic-script forms and French, Spanish, Dutch, English and
German romanisations.

Frequencies: names are Zipf-weighted within each pool, birth years concentrate on
ages 20-45 and some birth dates are partial or defaulted to 1 January, so common names
collide as in real registers (a large share of people share given name, family name
and birth year with several namesakes).

Determinism: ``PeopleGenerator(seed).person(key)`` depends only on ``(seed, key)`` and
is stable across runs, machines and Python versions; ``variant_of(person, key)`` depends
only on ``(seed, person.key, key)``.
"""

from passerelle.synthetic.people import (
    REFERENCE_YEAR,
    PeopleGenerator,
    SyntheticName,
    SyntheticPerson,
)

__all__ = ["REFERENCE_YEAR", "PeopleGenerator", "SyntheticName", "SyntheticPerson"]
