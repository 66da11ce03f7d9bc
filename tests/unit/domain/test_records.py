"""Validation of records, markings and dates: clear errors naming the field."""

from __future__ import annotations

import datetime as dt

import pytest

from passerelle.domain.codec import record_from_dict, record_to_dict
from passerelle.domain.dates import PartialDate
from passerelle.domain.markings import HandlingCode, Markings, Pap, Tlp
from passerelle.domain.records import (
    Document,
    DocumentStatus,
    DocumentType,
    Person,
    Record,
    RecordKind,
    SubjectCategory,
    new_record_id,
)
from passerelle.errors import InvalidDate, InvalidMarking, ValidationFailed


def test_partial_dates_accept_year_month_and_full_dates() -> None:
    assert PartialDate.parse("1990") == PartialDate(1990)
    assert PartialDate.parse("1990-03").isoformat() == "1990-03"
    assert PartialDate.parse("1990-03-07") == PartialDate(1990, 3, 7)


@pytest.mark.parametrize("text", ["1990-02-30", "1990-13", "90-01-01", "1990/01/01", ""])
def test_impossible_or_malformed_dates_are_refused_with_the_field(text: str) -> None:
    with pytest.raises(InvalidDate) as error:
        PartialDate.parse(text, "details.date_of_birth")
    assert error.value.field == "details.date_of_birth"


def test_h3_needs_written_conditions() -> None:
    with pytest.raises(InvalidMarking) as error:
        Markings(handling_code=HandlingCode.H3)
    assert error.value.field == "handling_conditions"


def test_tlp_red_needs_recipients() -> None:
    with pytest.raises(InvalidMarking) as error:
        Markings(tlp=Tlp.RED)
    assert error.value.field == "recipients"


def test_pap_applies_to_indicators_only() -> None:
    with pytest.raises(InvalidMarking):
        Record(new_record_id(RecordKind.PERSON), "fr", Markings(pap=Pap.GREEN),
               Person(SubjectCategory.VICTIM, "Lina", "Moreau"))


def test_unassessed_grading_defaults_to_x4() -> None:
    assert Markings().grading == "X4"


def test_person_needs_a_name() -> None:
    with pytest.raises(ValidationFailed):
        Person(SubjectCategory.WITNESS)


def test_person_without_subject_category_is_refused_by_the_reader() -> None:
    data = record_to_dict(Record(new_record_id(RecordKind.PERSON), "fr", Markings(),
                                 Person(SubjectCategory.SUSPECT, "Karim", "Benali")))
    del data["details"]["subject_category"]
    with pytest.raises(ValidationFailed) as error:
        record_from_dict(data)
    assert error.value.field == "details.subject_category"


def test_unknown_tlp_is_refused_naming_the_marking() -> None:
    data = record_to_dict(Record(new_record_id(RecordKind.PERSON), "fr", Markings(),
                                 Person(SubjectCategory.SUSPECT, "Karim", "Benali")))
    data["markings"]["tlp"] = "PURPLE"
    with pytest.raises(InvalidMarking) as error:
        record_from_dict(data)
    assert error.value.field == "markings.tlp"


def test_canonical_form_round_trips_a_document() -> None:
    holder = new_record_id(RecordKind.PERSON)
    record = Record(new_record_id(RecordKind.DOCUMENT), "es",
                    Markings(releasable_to=frozenset({"fr", "ma"}),
                             review_date=dt.date(2027, 5, 1)),
                    Document(DocumentType.PASSPORT, "PAA123456", "ES", DocumentStatus.STOLEN,
                             holder, dt.date(2030, 1, 31)))
    assert record_from_dict(record_to_dict(record)) == record


def test_person_round_trips_names_in_arabic_script() -> None:
    record = Record(new_record_id(RecordKind.PERSON), "ma", Markings(),
                    Person(SubjectCategory.CONTACT, "Youssef", "El Amrani",
                           ("يوسف العمراني",), ("Yusuf al-Amrani",), PartialDate(1988, 4),
                           "Tanger", ("MA", "FR"), "M"))
    assert record_from_dict(record_to_dict(record)) == record


def test_unknown_property_is_named() -> None:
    data = record_to_dict(Record(new_record_id(RecordKind.PERSON), "fr", Markings(),
                                 Person(SubjectCategory.SUSPECT, "Karim", "Benali")))
    data["details"]["religion"] = "x"
    with pytest.raises(ValidationFailed) as error:
        record_from_dict(data)
    assert error.value.field == "details.religion"
