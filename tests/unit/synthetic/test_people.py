"""The synthetic people generator: reproducible, diverse, colliding like real registers."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from datetime import date

import pytest

from passerelle.synthetic import PeopleGenerator, SyntheticName, SyntheticPerson
from passerelle.synthetic.people import days_in_month


@dataclasses.dataclass(frozen=True)
class Census:
    """What the scale tests need from 100,000 people, gathered in one pass."""

    cells: Counter[tuple[str, str, int]]
    documents: int
    distinct_documents: int


@pytest.fixture(scope="module")
def census() -> Census:
    cells: Counter[tuple[str, str, int]] = Counter()
    documents: set[str] = set()
    count = 0
    for person in PeopleGenerator(seed=11).people(100_000):
        cells[(person.name.given, person.name.family, person.birth_year)] += 1
        documents.add(person.document_number)
        count += 1
    return Census(cells, count, len(documents))


def test_same_seed_and_key_give_the_same_person_whatever_else_was_generated() -> None:
    alone = PeopleGenerator(seed=5).person(1234)
    generator = PeopleGenerator(seed=5)
    list(generator.people(50, start=1200))
    assert generator.person(1234) == alone
    assert list(PeopleGenerator(seed=5).people(3, start=1233))[1] == alone


def test_people_yields_consecutive_keys_from_start() -> None:
    keys = [p.key for p in PeopleGenerator().people(5, start=10)]
    assert keys == [10, 11, 12, 13, 14]


def test_different_seeds_give_different_people() -> None:
    first = list(PeopleGenerator(seed=1).people(50))
    second = list(PeopleGenerator(seed=2).people(50))
    assert sum(a.name != b.name for a, b in zip(first, second, strict=True)) > 40


def test_negative_keys_are_rejected() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        PeopleGenerator().person(-1)


def test_people_carry_no_religion_ethnicity_or_politics_field() -> None:
    person_fields = {f.name for f in dataclasses.fields(SyntheticPerson)}
    name_fields = {f.name for f in dataclasses.fields(SyntheticName)}
    assert person_fields == {
        "key", "name", "aliases", "birth_year", "birth_month", "birth_day",
        "place_of_birth", "nationalities", "sex", "document_number", "document_country",
    }
    assert name_fields == {"given", "family", "original_script", "spelling", "origin"}


def test_ten_thousand_people_come_from_at_least_ten_origins_with_a_third_arabic() -> None:
    origins = Counter(p.name.origin for p in PeopleGenerator(seed=3).people(10_000))
    assert len(origins) >= 10
    assert 0.25 <= origins["arabic"] / 10_000 <= 0.45


def test_arabic_origin_people_have_their_arabic_script_name_and_others_none() -> None:
    for person in PeopleGenerator(seed=4).people(2_000):
        script = person.name.original_script
        if person.name.origin == "arabic":
            assert script is not None
            assert re.fullmatch(r"[\u0600-\u06FF ]+", script)
        elif person.name.origin not in ("amazigh",):
            assert script is None


def test_fields_hold_valid_codes_and_latin_names() -> None:
    for person in PeopleGenerator(seed=6).people(5_000):
        assert person.sex in ("F", "M", "X")
        assert 1 <= len(person.nationalities) <= 2
        assert all(re.fullmatch(r"[A-Z]{2}", code) for code in person.nationalities)
        assert person.document_country == person.nationalities[0]
        assert person.place_of_birth
        assert not re.search(r"[\u0600-\u06FF]", person.name.given + person.name.family)
        assert person.name.spelling in ("fr", "es", "nl", "en", "de")


def test_common_name_and_birth_year_are_shared_by_five_people_among_100k(
    census: Census,
) -> None:
    assert census.cells.most_common(1)[0][1] >= 5
    crowded = sum(n for n in census.cells.values() if n >= 5)
    assert crowded / census.documents > 0.05


def test_document_numbers_are_unique_over_100k_people(census: Census) -> None:
    assert census.distinct_documents == census.documents == 100_000


@pytest.mark.parametrize(
    ("country", "pattern"),
    [
        ("FR", r"\d{2}[A-Z]{2}\d{5}"),
        ("ES", r"[PX][A-Z]{2}\d{6}"),
        ("BE", r"[A-Z]{2}\d{6}"),
        ("MA", r"[A-Z]{2}\d{7}"),
    ],
)
def test_document_numbers_look_like_their_issuing_country(country: str, pattern: str) -> None:
    numbers = [p.document_number for p in PeopleGenerator(seed=8).people(3_000)
               if p.document_country == country]
    assert numbers
    assert all(re.fullmatch(pattern, n) for n in numbers)


def test_partial_dates_never_have_a_day_without_a_month_and_full_dates_exist() -> None:
    people = list(PeopleGenerator(seed=9).people(20_000))
    for p in people:
        if p.birth_day is not None:
            assert p.birth_month is not None
            assert date(p.birth_year, p.birth_month, p.birth_day)  # raises if not a real date
        if p.birth_month is not None:
            assert 1 <= p.birth_month <= 12
    year_only = sum(p.birth_month is None for p in people) / len(people)
    no_day = sum(p.birth_month is not None and p.birth_day is None for p in people) / len(people)
    assert 0.08 <= year_only <= 0.12
    assert 0.035 <= no_day <= 0.065


def test_days_in_month_follow_the_gregorian_leap_years() -> None:
    assert days_in_month(2000, 2) == 29
    assert days_in_month(1900, 2) == 28
    assert days_in_month(2024, 2) == 29
    assert days_in_month(2023, 4) == 30
