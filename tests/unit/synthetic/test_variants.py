"""Variants: the same fictional person as another agency would record them."""

from __future__ import annotations

from datetime import date

from passerelle.synthetic import PeopleGenerator, SyntheticPerson
from passerelle.synthetic.pools import POOLS
from passerelle.synthetic.variation import strip_diacritics


def _observable(p: SyntheticPerson) -> tuple[object, ...]:
    return (p.name.given, p.name.family, p.birth_year, p.birth_month, p.birth_day,
            p.place_of_birth, p.document_number)


def _entries(p: SyntheticPerson) -> set[int]:
    # Which name-table entries a record's given and family names come from, in any order.
    pool = POOLS[p.name.origin]
    found = set()
    for text in (p.name.given, p.name.family):
        for lookup in (pool.given_lookup, pool.family_lookup):
            forms = lookup.get(text) or lookup.get(text.split(" ")[0])
            if forms is not None:
                found.add(id(forms))
    return found


def test_variants_are_deterministic_in_seed_person_and_key() -> None:
    person = PeopleGenerator(seed=2).person(77)
    first = PeopleGenerator(seed=2).variant_of(person, 3)
    again = PeopleGenerator(seed=2).variant_of(person, 3)
    assert first == again
    others = {PeopleGenerator(seed=2).variant_of(person, k) for k in range(10)}
    assert len(others) > 3


def test_variants_differ_from_the_original_but_stay_the_same_person() -> None:
    generator = PeopleGenerator(seed=12)
    related = total = 0
    for person in generator.people(1_500):
        for k in range(2):
            variant = generator.variant_of(person, k)
            total += 1
            assert _observable(variant) != _observable(person)
            assert variant.key == person.key
            assert variant.sex == person.sex
            assert variant.name.origin == person.name.origin
            assert abs(variant.birth_year - person.birth_year) <= 1
            assert set(variant.nationalities) <= set(person.nationalities)
            assert variant.name.spelling != person.name.spelling
            related += bool(_entries(variant) & _entries(person))
    assert related / total > 0.8


def test_arabic_script_form_of_arabic_origin_people_appears_in_some_variant() -> None:
    generator = PeopleGenerator(seed=13)
    arabic = [p for p in generator.people(200) if p.name.origin == "arabic"][:30]
    assert arabic
    for person in arabic:
        variants = [generator.variant_of(person, k) for k in range(12)]
        scripted = [v for v in variants if v.name.spelling == "ar"]
        assert scripted, person
        assert person.name.original_script is not None
        for v in scripted:
            assert f"{v.name.given} {v.name.family}" == person.name.original_script


def test_variants_use_other_countries_romanisations() -> None:
    generator = PeopleGenerator(seed=14)
    youssefs = [p for p in generator.people(20_000)
                if p.name.origin == "arabic" and p.name.original_script
                and p.name.original_script.startswith("يوسف ")]
    assert youssefs
    seen = {generator.variant_of(p, k).name.given for p in youssefs[:20] for k in range(10)}
    assert {"Yusuf", "Jusuf", "يوسف"} <= {strip_diacritics(s) for s in seen} | seen


def test_variant_dates_stay_valid_and_partial_dates_keep_month_before_day() -> None:
    generator = PeopleGenerator(seed=15)
    swapped = 0
    for person in generator.people(2_000):
        variant = generator.variant_of(person, 0)
        if variant.birth_day is not None:
            assert variant.birth_month is not None
            assert date(variant.birth_year, variant.birth_month, variant.birth_day)
            swapped += (variant.birth_month, variant.birth_day) == (
                person.birth_day, person.birth_month) and person.birth_day != person.birth_month
    assert swapped > 0
