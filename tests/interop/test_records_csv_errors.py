"""Persons and documents as CSV (docs/csv-records.md): each bad row is named by its line and
column, and files that cannot be read as a whole are refused before their first row."""

from __future__ import annotations

import codecs
import io

import pytest

from passerelle.errors import InvalidCsv
from passerelle.interop.records_csv import (
    RowRecord,
    open_records,
    read_records,
)
from passerelle.interop.screening_csv import MAX_VALUE_CHARS

from .examples import DOCUMENT_ID, PERSON_ID
from .records_csv_support import (
    DOCUMENT,
    NOW,
    OTHER_PERSON,
    PERSON,
    TEMPLATES,
    errors,
    full,
    read,
    record_of,
    same,
    the_error,
    written,
)

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


