"""Persons and documents as CSV (docs/csv-records.md): what is written is read back unchanged,
the templates read, and cells a spreadsheet could run are guarded. Bad rows and unreadable
files: test_records_csv_errors.py."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from passerelle.domain.dates import PartialDate
from passerelle.domain.markings import Markings
from passerelle.domain.records import (
    Details,
    Document,
    Person,
    Record,
    RecordKind,
    SubjectCategory,
)
from passerelle.errors import ValidationFailed
from passerelle.interop.records_csv import (
    RowRecord,
    columns,
    guard,
    open_records,
    unguard,
)
from passerelle.interop.screening_csv import MAX_VALUE_CHARS

from .examples import PERSON_ID
from .records_csv_support import (
    DOCUMENT,
    NOW,
    PERSON,
    TEMPLATES,
    errors,
    full,
    person,
    person_of,
    read,
    record_of,
    round_trip,
    same,
    written,
)
from .strategies import documents, markings, people, record_ids


@pytest.mark.parametrize("kind", [PERSON, DOCUMENT], ids=lambda k: k.value)
def test_a_fully_filled_record_reads_back_with_its_details_and_every_marking(
        kind: RecordKind) -> None:
    (back,) = round_trip([full(kind)], kind)
    same(back, full(kind))


def test_the_reader_makes_a_first_version_owned_and_created_by_the_importer() -> None:
    (back,) = round_trip([full(PERSON)], PERSON)
    assert (back.owner_agency, back.version, back.created_by, back.modified_by,
            back.created_at, back.modified_at) == ("es", 1, "user:lucia", "user:lucia", NOW, NOW)


def test_names_in_arabic_script_only_round_trip() -> None:
    original = person(Person(SubjectCategory.VICTIM,
                             names_original_script=("فاطمة الزهراء العلوي", "فاطمة العلوي"),
                             aliases=("أم يوسف", "Fatiha"), nationalities=("MA",), sex="F"))
    (back,) = round_trip([original], PERSON)
    same(back, original)


@pytest.mark.parametrize("date", [PartialDate(1979), PartialDate(1991, 7),
                                  PartialDate(2001, 2, 28)], ids=str)
def test_partial_dates_of_birth_round_trip(date: PartialDate) -> None:
    original = person(Person(SubjectCategory.SUSPECT, "Oluwaseun", "Okafor",
                             date_of_birth=date))
    assert written([original], PERSON).splitlines()[1].split(",")[6] == date.isoformat()
    (back,) = round_trip([original], PERSON)
    same(back, original)


def test_the_columns_are_the_domain_field_names_and_the_templates_have_them_all() -> None:
    def names(cls: type[object]) -> list[str]:
        return [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]

    marking_columns = [n for n in names(Markings) if n != "pap"]
    assert columns(PERSON) == ("id", *names(Person), *marking_columns)
    assert columns(DOCUMENT) == ("id", *names(Document), *marking_columns)
    for template, kind in (("persons.csv", PERSON), ("documents.csv", DOCUMENT)):
        header = (TEMPLATES / template).read_text(encoding="utf-8").splitlines()[0]
        assert tuple(header.split(",")) == columns(kind)


def test_every_column_has_a_row_in_the_tables_of_csv_records_md() -> None:
    text = (TEMPLATES.parent / "csv-records.md").read_text(encoding="utf-8")
    missing = [c for c in {*columns(PERSON), *columns(DOCUMENT)} if f"| `{c}` |" not in text]
    assert not missing, f"columns missing from docs/csv-records.md: {missing}"


@pytest.mark.parametrize(("template", "kind"), [("persons.csv", PERSON),
                                                 ("documents.csv", DOCUMENT)])
def test_templates_read_without_error(template: str, kind: RecordKind) -> None:
    reader = open_records(TEMPLATES / template, kind, owner_agency="be", created_by="",
                          now=NOW)
    results = list(reader)
    assert [r.id_from_file for r in results if isinstance(r, RowRecord)] == [True, False, True]
    assert (reader.rows, reader.rejected) == (3, 0)


def test_document_holders_in_the_template_are_persons_of_the_persons_template() -> None:
    people_ids = {record_of(r).id for r in read((TEMPLATES / "persons.csv").read_bytes())}
    holders = [record_of(r).details for r in read((TEMPLATES / "documents.csv").read_bytes(),
                                                  DOCUMENT)]
    named = {d.holder for d in holders if isinstance(d, Document) and d.holder}
    assert len(named) == 2
    assert named <= people_ids


# -- what a row may leave out -------------------------------------------------------------

def test_missing_marking_columns_and_empty_cells_take_the_domain_defaults() -> None:
    (row,) = read("subject_category,family_name,tlp,purpose\nsuspect,Haddad,,\n")
    assert record_of(row).markings == Markings()


def test_an_empty_id_gets_a_fresh_one_and_says_so() -> None:
    results = read("id,subject_category,family_name\n,suspect,Haddad\n,witness,De Smet\n")
    assert [r.id_from_file for r in results if isinstance(r, RowRecord)] == [False, False]
    ids = {record_of(r).id for r in results}
    assert len(ids) == 2
    assert all(i.startswith("person--") for i in ids)


def test_header_names_match_without_case_or_spaces_and_in_any_order() -> None:
    (row,) = read(" Family_Name ,SUBJECT_CATEGORY\n Öztürk ,contact\n")
    assert person_of(row) == Person(SubjectCategory.CONTACT, family_name="Öztürk")


def test_a_multi_line_value_keeps_the_line_numbers_of_the_rows_after_it() -> None:
    results = read('subject_category,family_name,place_of_birth\n'
                   'suspect,Benali,"Oran\nquartier Sidi El Houari"\nsuspect,Haddad,\n'
                   'suspekt,Van den Berg,\n')
    assert errors(results) == [(5, "subject_category")]
    assert person_of(results[0]).place_of_birth == "Oran\nquartier Sidi El Houari"


# -- rows refused, named by line and column --------------------------------------------------

def test_only_persons_and_documents_are_kept_in_csv() -> None:
    with pytest.raises(ValidationFailed) as raised:
        read(b"name\n", RecordKind.ORGANISATION)
    assert raised.value.field == "kind"


# -- writing -------------------------------------------------------------------------------

FORMULAS = ["=HYPERLINK(\"http://example.org\")", "+33 6 12 34 56 78", "-", "@SUM(A1)",
            "\tTab", "\rCR", "'=already guarded", "''+twice"]


def test_cells_a_spreadsheet_could_run_are_guarded_and_read_back_exactly() -> None:
    original = person(Person(SubjectCategory.OTHER, given_names=FORMULAS[0],
                             family_name=FORMULAS[2], aliases=tuple(FORMULAS[1:4]),
                             place_of_birth=FORMULAS[6]),
                      Markings(handling_conditions=FORMULAS[4], legal_basis=FORMULAS[7]))
    row = written([original], PERSON).split("\n", 1)[1]
    for cell in ("\"'=HYPERLINK", ",'-,", ",'+33 6", ",''=already", ",'\tTab", ",'''+twice"):
        assert cell in row
    (back,) = round_trip([original], PERSON)
    same(back, original)


def test_a_hand_written_apostrophe_is_kept_unless_it_guards_a_formula() -> None:
    (row,) = read("subject_category,family_name,aliases\nwitness,'t Hooft,'-Minus\n")
    assert (person_of(row).family_name, person_of(row).aliases) == ("'t Hooft", ("-Minus",))


def test_writing_a_record_of_another_kind_is_refused() -> None:
    with pytest.raises(ValidationFailed) as raised:
        written([full(DOCUMENT)], PERSON)
    assert raised.value.field == "kind"


@pytest.mark.parametrize(("details", "field"), [
    (Person(SubjectCategory.SUSPECT, "Ana María", aliases=("Ana; la Rubia",)), "aliases[0]"),
    (Person(SubjectCategory.SUSPECT, "Ana", place_of_birth="A" * (MAX_VALUE_CHARS + 1)),
     "place_of_birth"),
])
def test_a_value_the_reader_would_read_differently_is_not_written(details: Person,
                                                                  field: str) -> None:
    with pytest.raises(ValidationFailed) as raised:
        written([person(details)], PERSON)
    assert raised.value.field == field
    assert PERSON_ID in raised.value.detail


def test_an_empty_export_is_a_header() -> None:
    assert written([], DOCUMENT) == ",".join(columns(DOCUMENT)) + "\n"


# -- property: any representable record survives the trip ---------------------------------

def _tidy(obj: object) -> dict[str, Any]:
    """What cells can hold: no surrounding spaces, no blank or ``;``-holding list items."""
    changes: dict[str, Any] = {}
    for name in (f.name for f in dataclasses.fields(obj)):  # type: ignore[arg-type]
        value = getattr(obj, name)
        if type(value) is str:  # not the enums, which are strings too
            changes[name] = value.strip()
        elif isinstance(value, tuple):
            changes[name] = tuple(i.replace(";", ",").strip() for i in value if i.strip())
    return changes


def _representable(record: Record) -> Record:
    marks = dataclasses.replace(record.markings, **_tidy(record.markings))
    try:
        return dataclasses.replace(
            record, details=dataclasses.replace(record.details, **_tidy(record.details)),
            # an empty purpose cell means the default purpose
            markings=dataclasses.replace(marks, purpose=marks.purpose or Markings().purpose))
    except ValidationFailed:  # tidying left a person without a name
        assume(False)
        raise


@settings(max_examples=60, deadline=None)
@given(kind=st.sampled_from([PERSON, DOCUMENT]), data=st.data())
def test_any_representable_person_or_document_round_trips(kind: RecordKind,
                                                          data: st.DataObject) -> None:
    details: Details = data.draw(people()) if kind is PERSON else data.draw(documents)
    original = _representable(Record(id=data.draw(record_ids(kind)), owner_agency="fr",
                                     markings=data.draw(markings()), details=details))
    (back,) = round_trip([original], kind)
    same(back, original)


@given(st.sampled_from([*FORMULAS, "'t Hooft", "'", ""])
       | st.text(st.characters(blacklist_categories=["Cs"]), max_size=12))
def test_a_guarded_cell_starts_with_no_trigger_and_unguards_to_its_value(value: str) -> None:
    assert guard(value)[:1] not in ("=", "+", "-", "@", "\t", "\r")
    assert unguard(guard(value)) == value
