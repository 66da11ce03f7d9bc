"""Pairwise comparison: the issue's named pairs, evidence other than names, explanations."""

from __future__ import annotations

import pytest

from passerelle.matching.countries import resolve_country
from passerelle.matching.dates import DateAgreement, compare_dates, parse_birth_date
from passerelle.matching.documents import (
    DocumentAgreement,
    compare_documents,
    mrz_check_digit,
)
from passerelle.matching.matcher import compare
from passerelle.matching.model import (
    DEFAULT_THRESHOLD,
    Band,
    MatchingInputError,
    PersonEntry,
)


def person(name: str, dob: str = "", **fields: str) -> PersonEntry:
    return PersonEntry(id=name, full_name=name, date_of_birth=dob, **fields)  # type: ignore[arg-type]


SAME_PEOPLE = [
    ("Youssef El Amrani", "Yusuf al-Amrani"),
    ("Youssef El Amrani", "Jusuf Amrani"),
    ("Youssef El Amrani", "يوسف العمراني"),
    ("Khalid Benhaddou", "Jalid Ben Haddou"),
    ("Khalid Benhaddou", "خالد بن حدو"),
    ("Chakib Abdeslam", "Shakib Abd al-Salam"),
    ("Chakib Abdeslam", "شكيب عبد السلام"),
    ("Fatima Zahra Benali", "Benali Fatima Zahra"),
]


@pytest.mark.parametrize(("a", "b"), SAME_PEOPLE)
def test_same_person_with_date_of_birth_is_a_hit(a: str, b: str) -> None:
    result = compare(person(a, "1991-04-17"), person(b, "1991-04-17"))
    assert result.score >= DEFAULT_THRESHOLD, result.explanation
    assert result.band in (Band.STRONG, Band.POSSIBLE)


@pytest.mark.parametrize(("a", "b"), SAME_PEOPLE)
def test_same_person_outranks_a_namesake_of_the_given_name(a: str, b: str) -> None:
    same = compare(person(a), person(b)).score
    other = compare(person(a), person(b.split()[0] + " Haddad")).score
    assert same > other


def test_rare_names_weigh_more_than_common_ones() -> None:
    rare = compare(person("Chakib Abdeslam"), person("Shakib Abdessalam")).score
    common = compare(person("Mohamed Ali"), person("Muhammad Ali")).score
    assert rare > 0.5 > common


def test_same_given_name_other_family_name_stays_below_threshold() -> None:
    result = compare(person("Youssef El Amrani", "1990-03-14"),
                     person("Youssef El Idrissi", "1990-03-14"))
    assert result.score < DEFAULT_THRESHOLD, result.explanation
    assert "amrani ≠ idrissi" in result.explanation


def test_namesakes_born_decades_apart_stay_below_threshold() -> None:
    result = compare(person("Mohamed Ali", "1962"), person("Mohamed Ali", "1985"))
    assert result.score < 0.01
    assert "different years of birth" in result.explanation


def test_explanation_names_the_convention() -> None:
    result = compare(person("Khalid Benhaddou", "1980-02-03"),
                     person("Jalid Benhaddou", "1980-03-02"))
    assert "Spanish j = kh" in result.explanation
    assert "day and month swapped" in result.explanation
    assert result.explanation.index("date of birth") < result.explanation.index("Spanish")


def test_score_is_a_probability_and_features_carry_weights() -> None:
    result = compare(person("Ursula Fischer", "1995-04-25", document_number="C4XT12345"),
                     person("Ursula Fischer", "1995-04-25", document_number="C4XT12345"))
    assert 0.99 <= result.score <= 1.0
    assert {f.field for f in result.features} == {"name", "date of birth", "document"}
    assert all(f.weight > 0 for f in result.features)


def test_same_document_number_with_ocr_confusion_links_different_spellings() -> None:
    result = compare(person("Mohammed Benjelloun", document_number="C5GB2NCCC"),
                     person("Mohammed Bendschellun", document_number="C5G82NCCC"))
    assert result.band is Band.STRONG
    assert "O/0" in result.explanation


def test_entry_without_a_name_is_refused() -> None:
    with pytest.raises(MatchingInputError) as error:
        compare(PersonEntry("x", full_name="  "), person("Ana Lopez"))
    assert error.value.field == "full_name"


@pytest.mark.parametrize("bad", ["1990-02-30", "1990-13", "90-01-01", "1990/01/01", "3000"])
def test_impossible_dates_are_refused_naming_the_field(bad: str) -> None:
    with pytest.raises(MatchingInputError) as error:
        parse_birth_date(bad)
    assert error.value.field == "date_of_birth"


@pytest.mark.parametrize(("a", "b", "agreement"), [
    ("1990-03-14", "1990-03-14", DateAgreement.SAME),
    ("1990-03-04", "1990-04-03", DateAgreement.SWAPPED),
    ("1990-03-14", "1991-03-14", DateAgreement.YEAR_OFF_BY_ONE),
    ("1990-03", "1990-03-14", DateAgreement.SAME_YEAR_MONTH),
    ("1990", "1990-03-14", DateAgreement.SAME_YEAR),
    ("1990-01-01", "1990-07-22", DateAgreement.SAME_YEAR),
    ("1990", "1991", DateAgreement.NEAR_YEAR),
    ("1962", "1985", DateAgreement.DIFFERENT),
])
def test_date_agreements(a: str, b: str, agreement: DateAgreement) -> None:
    date_a, date_b = parse_birth_date(a), parse_birth_date(b)
    assert date_a is not None
    assert date_b is not None
    assert compare_dates(date_a, date_b) is agreement


def test_document_numbers() -> None:
    assert compare_documents("AB 123-456", "ab123456") is DocumentAgreement.SAME
    assert compare_documents("O12345S7", "012345S7") is DocumentAgreement.CONFUSED
    number = "L898902C3"
    with_check = number + str(mrz_check_digit(number))
    assert mrz_check_digit(number) == 6  # ICAO 9303 specimen passport number
    assert compare_documents(number, with_check) is DocumentAgreement.CHECK_DIGIT
    assert compare_documents("X1234567", "Y7654321", "FR", "FR") \
        is DocumentAgreement.DIFFERENT_SAME_COUNTRY


@pytest.mark.parametrize("name", ["MA", "MAR", "Morocco", "Maroc", "Marruecos", "marocain"])
def test_country_names_in_three_languages(name: str) -> None:
    assert resolve_country(name) == "MA"


def test_nationality_and_place_of_birth_weigh_in() -> None:
    spanish = PersonEntry("a", "Lucía Fernández Ruiz", date_of_birth="1988",
                          nationalities=("ES",), place_of_birth="Séville")
    same = PersonEntry("b", "Lucia Fernandez", date_of_birth="1988",
                       nationalities=("Espagne",), place_of_birth="Sevilla")
    other = PersonEntry("c", "Lucia Fernandez", date_of_birth="1988",
                        nationalities=("Chile",), place_of_birth="Valparaíso")
    assert compare(spanish, same).score > compare(spanish, other).score
    bare = person("Lucía Fernández Ruiz", "1988")
    assert compare(bare, same).score == compare(bare, other).score  # absent: no evidence


def test_words_split_or_joined_still_pair() -> None:
    joined = compare(person("Jeanpierre Dubois", "1970-02-02"),
                     person("Jean Pierre Dubois", "1970-02-02"))
    assert "jeanpierre ~ jeanpierre" in joined.explanation
    assert joined.band is Band.STRONG


def test_near_miss_is_better_than_a_disagreement() -> None:
    listed = person("Clémence Ravelli", "1977-12-21")
    typo = compare(person("Clémence Raevlli", "1977-12-21"), listed)
    other = compare(person("Clémence Dupuis", "1977-12-21"), listed)
    assert typo.bits > other.bits + 5


def test_a_differing_word_amid_a_long_shared_name_points_to_a_relative() -> None:
    brothers = compare(person("Rachid Ben Ahmed Ben Salem Ouazzani", "1980"),
                       person("Rachid Ben Ahmed Ben Brahim Ouazzani", "1980"))
    same = compare(person("Rachid Ben Ahmed Ben Salem Ouazzani", "1980"),
                   person("Rachid Ben Ahmed Ben Salem Wazzani", "1980"))
    assert same.score > DEFAULT_THRESHOLD > brothers.score
