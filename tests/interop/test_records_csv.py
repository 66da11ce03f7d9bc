"""Persons and documents as CSV (docs/csv-records.md): what is written is read back unchanged,
each bad row is named by its line and column, and files that cannot be read as a whole are
refused before their first row."""

from __future__ import annotations

import codecs
import dataclasses
import datetime as dt
import io
from pathlib import Path
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
from passerelle.errors import InvalidCsv, ValidationFailed
from passerelle.interop.records_csv import (
    RowError,
    RowRecord,
    RowResult,
    columns,
    guard,
    open_records,
    read_records,
    unguard,
    write_records,
)
from passerelle.interop.screening_csv import MAX_VALUE_CHARS

from .examples import DOCUMENT_ID, PERSON_ID, full_records
from .strategies import documents, markings, people, record_ids

NOW = dt.datetime(2026, 6, 1, 8, 30, tzinfo=dt.UTC)
TEMPLATES = Path(__file__).resolve().parents[2] / "docs" / "templates"
PERSON, DOCUMENT = RecordKind.PERSON, RecordKind.DOCUMENT
OTHER_PERSON = "person--6f1f3f1e-2c7d-4b9a-9e1c-8d2b7a4c5e61"


def read(data: bytes | str, kind: RecordKind = PERSON) -> list[RowResult]:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return list(read_records(io.BytesIO(raw), kind, owner_agency="es",
                             created_by="user:lucia", now=NOW))


def written(records: list[Record], kind: RecordKind, *, bom: bool = False) -> str:
    stream = io.StringIO(newline="")
    assert write_records(records, kind, stream, bom=bom) == len(records)
    return stream.getvalue()


def record_of(result: RowResult) -> Record:
    assert isinstance(result, RowRecord), result
    return result.record


def person_of(result: RowResult) -> Person:
    details = record_of(result).details
    assert isinstance(details, Person)
    return details


def round_trip(records: list[Record], kind: RecordKind) -> list[Record]:
    return [record_of(r) for r in read(written(records, kind), kind)]


def full(kind: RecordKind) -> Record:
    return next(r for r in full_records() if r.kind is kind)


def person(details: Person, markings: Markings | None = None) -> Record:
    return Record(id=PERSON_ID, owner_agency="fr", markings=markings or Markings(),
                  details=details)


def errors(results: list[RowResult]) -> list[tuple[int, str]]:
    return [(r.line, r.column) for r in results if isinstance(r, RowError)]


def the_error(results: list[RowResult]) -> RowError:
    found = [r for r in results if isinstance(r, RowError)]
    assert len(found) == 1, results
    return found[0]


def same(read_back: Record, original: Record) -> None:
    assert (read_back.id, read_back.details, read_back.markings) == (
        original.id, original.details, original.markings)


# -- round trip ---------------------------------------------------------------------------

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

PERSON_HEADER = ("id,subject_category,given_names,family_name,date_of_birth,nationalities,"
                 "tlp,handling_code,handling_conditions,recipients,review_date\n")
GOOD_PERSON = f"{PERSON_ID},suspect,Khalid,Ben Ali,1990,MA,AMBER,H0,,,\n"


@pytest.mark.parametrize(("cells", "column", "words"), [
    ({"date_of_birth": "14/03/1990"}, "date_of_birth", "is not YYYY"),
    ({"date_of_birth": "2001-02-30"}, "date_of_birth", "does not exist"),
    ({"subject_category": "suspekt"}, "subject_category", "is not one of suspect"),
    ({"subject_category": ""}, "subject_category", "is required"),
    ({"nationalities": "MA;Maroc"}, "nationalities", "item 2: 'Maroc' is not an ISO"),
    ({"id": "person-42"}, "id", "is not a record id"),
    ({"id": DOCUMENT_ID}, "id", "names a record of kind document"),
    ({"tlp": "PURPLE"}, "tlp", "is not one of RED"),
    ({"tlp": "RED"}, "recipients", "named recipients"),
    ({"handling_code": "H3"}, "handling_conditions", "written out"),
    ({"recipients": "amina"}, "recipients", "'user:<id>' or 'agency:<id>'"),
    ({"review_date": "2027-13-01"}, "review_date", "is not a date"),
    ({"given_names": "", "family_name": ""}, "family_name", "at least one name"),
    ({"family_name": "Ben\x07Ali"}, "family_name", "control characters"),
    ({"given_names": "K" * (MAX_VALUE_CHARS + 1)}, "given_names", "more than the 4,096"),
])
def test_a_bad_person_row_is_refused_naming_its_line_and_column(
        cells: dict[str, str], column: str, words: str) -> None:
    names = PERSON_HEADER.strip().split(",")
    values = dict(zip(names, GOOD_PERSON.strip().split(","), strict=True))
    values |= {"id": OTHER_PERSON} | cells
    error = the_error(read(PERSON_HEADER + GOOD_PERSON + ",".join(values[n] for n in names)))
    assert (error.line, error.column) == (3, column)
    assert words in error.message
    assert str(error).startswith(f"line 3, column {column}: ")


@pytest.mark.parametrize(("row", "column", "words"), [
    (f",passport,AB12,MA,{DOCUMENT_ID},", "holder", "must be a person record"),
    (",passport,AB12,MA,Youssef,", "holder", "is not a record identifier"),
    (",passport,AB12,Morocco,,", "issuing_country", "is not an ISO 3166-1"),
    (",passport,,MA,,", "number", "is required"),
    (",passeport,AB12,MA,,", "document_type", "is not one of passport"),
    (",passport,AB12,MA,,2031-02-30", "expiry_date", "is not a date"),
    (f"{PERSON_ID},passport,AB12,MA,,", "id", "names a record of kind person"),
])
def test_a_bad_document_row_is_refused_naming_its_column(row: str, column: str,
                                                         words: str) -> None:
    header = "id,document_type,number,issuing_country,holder,expiry_date\n"
    error = the_error(read(header + row + "\n", DOCUMENT))
    assert (error.line, error.column) == (2, column)
    assert words in error.message


def test_a_duplicate_id_is_refused_on_its_second_row_naming_the_first() -> None:
    results = read(PERSON_HEADER + GOOD_PERSON + "\n" + GOOD_PERSON)
    record_of(results[0])
    error = the_error(results)
    assert (error.line, error.column) == (4, "id")
    assert "first on line 2" in error.message


def test_an_id_of_a_refused_row_still_counts_for_duplicates() -> None:
    bad_first = GOOD_PERSON.replace("1990", "1990-13")
    assert errors(read(PERSON_HEADER + bad_first + GOOD_PERSON)) == [
        (2, "date_of_birth"), (3, "id")]


def test_a_row_error_becomes_an_invalid_csv_error_naming_line_and_column() -> None:
    error = the_error(read(PERSON_HEADER + GOOD_PERSON.replace("1990", "199")))
    assert error.code == "invalid_date"
    assert error.as_error().field == "line 2, column date_of_birth"
    assert error.as_error().code == "invalid_csv"


@pytest.mark.parametrize(("row", "column", "words"), [
    ('suspect,"Haddad"x\n', "family_name", "malformed CSV on line 3"),
    ("suspect,Haddad,Oujda\n", "", "3 values but the header has 2 columns"),
    ('suspect,"Haddad\nsuspect,Benali\n', "family_name", "lines 3-4 (to the end of the file)"),
])
def test_malformed_csv_refuses_the_row_and_names_what_it_can(row: str, column: str,
                                                             words: str) -> None:
    error = the_error(read("subject_category,family_name\nwitness,Okafor\n" + row))
    assert (error.line, error.column, error.code) == (3, column, "invalid_csv")
    assert words in error.message


def test_an_unclosed_quote_is_cut_short_and_the_rows_after_it_are_still_read() -> None:
    filler = "".join(f"suspect,Name{i}\n" for i in range(10_000))
    results = read('subject_category,family_name\nsuspect,"Benali\n' + filler)
    error = the_error(results)
    assert (error.line, error.column) == (2, "family_name")
    assert "not closed within" in error.message
    assert all(isinstance(r, RowRecord) for r in results[1:])
    assert results[-1].line == 10_002


def test_every_row_is_counted_as_read_or_refused_and_blank_lines_are_not_rows() -> None:
    rows = [GOOD_PERSON, ",,,,,,,,,,\n", "\n",
            GOOD_PERSON.replace("Khalid", "Chakib"),  # duplicate id
            ",witness,Amina,Haddad,1995-06,MA;FR,GREEN,H1,,,2027-01-01\n",
            ",victim,Léa,,1790,,,,,,\n", 'suspect,"broken\n']
    reader = open_records(io.BytesIO((PERSON_HEADER + "".join(rows)).encode()), PERSON,
                          owner_agency="fr", created_by="", now=NOW)
    results = list(reader)
    accepted = [r for r in results if isinstance(r, RowRecord)]
    assert (len(accepted), reader.rows, reader.rejected) == (2, 5, 3)
    assert len(results) == reader.rows == len(accepted) + reader.rejected


# -- files refused as a whole --------------------------------------------------------------

@pytest.mark.parametrize(("data", "words"), [
    (b"", "is empty"),
    (codecs.BOM_UTF8 + b"\n \n,,\n", "is empty"),
    ("subject_category,family_name\nsuspect,Benali\nsuspect,Gonz\xe1lez\n".encode("latin-1"),
     "byte 0xE1 at offset 56 (line 3)"),
    ("subject_category,family_name\nsuspect,Benali\n".encode("utf-16"), "is UTF-16"),
    ("subject_category,family_name\n".encode("utf-16-le"), "NUL byte at offset 1 (line 1)"),
    (b"subject_category,family_name\nsuspect,Benali\xc3", "byte 0xC3 at offset 43 (line 2)"),
    (b"family_name\nBenali\n", "lacks the required column(s) subject_category"),
    (b"subject_category,family_name,date_of_brith\n", "date_of_brith (did you mean "
                                                       "date_of_birth?)"),
    (b"subject_category,family_name,pap\n", "unknown column(s) pap"),
    (b"subject_category,family_name,\n", "(column 3, no name)"),
    (b"subject_category,family_name,Family_Name\n", "names family_name more than once"),
    (b"subject_category;family_name\nsuspect;Benali\n", "separated by semicolons"),
    (b"subject_category,sex\n", "no name column"),
])
def test_a_file_that_cannot_be_read_as_a_whole_is_refused_before_any_row(
        data: bytes, words: str) -> None:
    with pytest.raises(InvalidCsv) as raised:
        read_records(io.BytesIO(data), PERSON, owner_agency="fr", created_by="", now=NOW)
    assert words in raised.value.detail


def test_a_documents_file_needs_type_number_and_country() -> None:
    with pytest.raises(InvalidCsv) as raised:
        read(b"document_type,issuing_country\n", DOCUMENT)
    assert raised.value.field == "number"


def test_a_byte_order_mark_is_accepted_and_written_on_request() -> None:
    text = written([full(PERSON)], PERSON, bom=True)
    assert text.startswith("\ufeffid,")
    (row,) = read(text.encode("utf-8"))
    same(record_of(row), full(PERSON))


class _Pipe(io.BytesIO):
    """A stream that cannot be rewound, like a pipe or an upload."""

    def seekable(self) -> bool:
        return False


def test_a_stream_that_cannot_be_rewound_is_checked_whole_before_its_first_row() -> None:
    good = (TEMPLATES / "persons.csv").read_bytes()
    results = read_records(_Pipe(good), PERSON, owner_agency="fr",
                           created_by="", now=NOW)
    assert len([record_of(r) for r in results]) == 3
    with pytest.raises(InvalidCsv, match="line 5"):
        read_records(_Pipe(good + b"suspect,\xff\n"), PERSON,
                     owner_agency="fr", created_by="", now=NOW)


def test_a_callers_stream_is_left_open_and_a_text_stream_is_refused() -> None:
    stream = io.BytesIO((TEMPLATES / "documents.csv").read_bytes())
    assert len(list(read_records(stream, DOCUMENT, owner_agency="fr", created_by="",
                                 now=NOW))) == 3
    assert not stream.closed
    with pytest.raises(TypeError):
        open_records(io.StringIO("x"), PERSON, owner_agency="fr",  # type: ignore[arg-type]
                     created_by="", now=NOW)


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
