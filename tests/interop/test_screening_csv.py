"""The screening CSV contract (docs/screening.md): what is read from a list file, which rows are
rejected with their line and column, which files are refused as a whole, and what is written."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from passerelle.errors import InvalidCsv
from passerelle.interop.screening_csv import (
    HIT_COLUMNS,
    MAX_VALUE_CHARS,
    HitsWriter,
    Rejection,
    RejectionsWriter,
    open_list,
    read_entries,
    replaced_on_success,
)
from passerelle.matching.model import Comparison, Feature, Hit, PersonEntry

TODAY = dt.date(2026, 6, 1)
HEADER = "id,full_name,date_of_birth\n"


def write(tmp_path: Path, text: str, name: str = "list.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def read(path: Path) -> list[PersonEntry | Rejection]:
    return list(open_list(path, "watchlist", today=TODAY))


def rejections(items: list[PersonEntry | Rejection]) -> list[tuple[int, str]]:
    return [(r.row, r.column) for r in items if isinstance(r, Rejection)]


def entries(items: list[PersonEntry | Rejection]) -> list[PersonEntry]:
    return [e for e in items if isinstance(e, PersonEntry)]


def test_every_column_of_the_contract_reaches_the_entry(tmp_path: Path) -> None:
    path = write(tmp_path, "id,full_name,given_name,family_name,name_original_script,aliases,"
                 "date_of_birth,place_of_birth,nationality,document_number,document_country\n"
                 "w-1,Youssef El Amrani,Youssef,El Amrani,يوسف العمراني,Abou Yassine;Y. Amrani,"
                 "1990-03-14,Oujda,MA;FR,XK4471203,MA\n")
    assert read(path) == [PersonEntry(
        id="w-1", full_name="Youssef El Amrani", given_name="Youssef", family_name="El Amrani",
        name_original_script="يوسف العمراني", aliases=("Abou Yassine", "Y. Amrani"),
        date_of_birth="1990-03-14", place_of_birth="Oujda", nationalities=("MA", "FR"),
        document_number="XK4471203", document_country="MA")]


def test_aliases_and_nationalities_are_split_trimmed_and_deduplicated(tmp_path: Path) -> None:
    path = write(tmp_path, 'id,full_name,aliases,nationality\n'
                 'w-1,Lucía García Fernández," Lucy García ; ;Lucy García;L. García", es ; FR;\n')
    (entry,) = entries(read(path))
    assert entry.aliases == ("Lucy García", "L. García")
    assert entry.nationalities == ("es", "FR")


def test_a_byte_order_mark_and_header_case_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffID, Full_Name \r\nw-1,Pieter Van den Broeck\r\n".encode())
    assert read(path) == [PersonEntry(id="w-1", full_name="Pieter Van den Broeck")]


def test_given_and_family_name_are_enough_without_full_name(tmp_path: Path) -> None:
    path = write(tmp_path, "id,full_name,given_name,family_name\nw-1,,Pieter,Van den Broeck\n")
    (entry,) = entries(read(path))
    assert (entry.full_name, entry.given_name, entry.family_name) == (
        "", "Pieter", "Van den Broeck")


def test_a_row_without_any_name_is_rejected_naming_full_name(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "w-1,,1990\nw-2,Ana Ruiz,\nw-3, ?? ,\n")
    items = read(path)
    assert rejections(items) == [(2, "full_name"), (4, "full_name")]
    assert [e.id for e in entries(items)] == ["w-2"]


@pytest.mark.parametrize(("date", "why"), [
    ("2001-02-30", "does not exist"),
    ("2001-13", "month 13"),
    ("14/03/1990", "YYYY-MM-DD"),
    ("1850", "outside 1900-2026"),
    ("2027", "outside 1900-2026"),
    ("2026-07", "in the future"),
])
def test_an_impossible_date_of_birth_is_rejected_naming_the_column(
        tmp_path: Path, date: str, why: str) -> None:
    path = write(tmp_path, HEADER + f"w-1,Ana Ruiz,{date}\nw-2,Ana Ruiz,2026-05\n")
    items = read(path)
    (rejection,) = [r for r in items if isinstance(r, Rejection)]
    assert (rejection.list_name, rejection.row, rejection.column) == (
        "watchlist", 2, "date_of_birth")
    assert why in rejection.message
    assert [e.id for e in entries(items)] == ["w-2"]


def test_a_duplicate_id_rejects_the_second_row_and_names_the_first(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "w-1,Ana Ruiz,\nw-2,Omar Benali,\nw-1,Someone Else,\n")
    items = read(path)
    (rejection,) = [r for r in items if isinstance(r, Rejection)]
    assert (rejection.row, rejection.column) == (4, "id")
    assert "line 2" in rejection.message
    assert [e.full_name for e in entries(items)] == ["Ana Ruiz", "Omar Benali"]


def test_an_id_first_used_by_a_rejected_row_is_still_a_duplicate(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "w-1,Ana Ruiz,2001-02-30\nw-1,Ana Ruiz,2001-02-28\n")
    assert rejections(read(path)) == [(2, "date_of_birth"), (3, "id")]


def test_a_row_without_id_is_rejected(tmp_path: Path) -> None:
    assert rejections(read(write(tmp_path, HEADER + " ,Ana Ruiz,\n"))) == [(2, "id")]


def test_every_problem_of_a_row_is_reported_and_the_row_counted_once(tmp_path: Path) -> None:
    listing = open_list(write(tmp_path, HEADER + ",,1990-02-31\nw-2,Ana Ruiz,\n"), "watchlist",
                        today=TODAY)
    items = list(listing)
    assert rejections(items) == [(2, "id"), (2, "full_name"), (2, "date_of_birth")]
    assert (listing.rows, listing.rejected_rows) == (2, 1)


def test_a_huge_value_is_rejected_naming_its_row_and_column(tmp_path: Path) -> None:
    huge = "x" * (MAX_VALUE_CHARS + 1)
    path = write(tmp_path, HEADER + f"w-1,{huge},\nw-2,Ana Ruiz,\n")
    items = read(path)
    assert rejections(items) == [(2, "full_name")]
    assert [e.id for e in entries(items)] == ["w-2"]


def test_a_value_larger_than_the_csv_parser_accepts_is_still_named(tmp_path: Path) -> None:
    huge = "x" * (csv.field_size_limit() + 10)
    path = write(tmp_path, HEADER + f"w-1,Ana Ruiz,\nw-2,{huge},1990\nw-3,Omar Benali,\n")
    items = read(path)
    assert rejections(items) == [(3, "full_name")]
    assert [e.id for e in entries(items)] == ["w-1", "w-3"]


def test_an_unclosed_quote_is_reported_with_the_lines_it_swallowed(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + 'w-1,"Ana Ruiz,\nw-2,Omar Benali,\n')
    (rejection,) = read(path)
    assert isinstance(rejection, Rejection)
    assert (rejection.row, rejection.column) == (2, "full_name")
    assert "lines 2-3" in rejection.message


def test_a_stray_quote_names_its_column_and_the_next_row_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + 'w-1,"Ana" Ruiz,\nw-2,Omar Benali,\n')
    items = read(path)
    assert rejections(items) == [(2, "full_name")]
    assert [e.id for e in entries(items)] == ["w-2"]


def test_a_row_with_more_values_than_columns_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "w-1,Ruiz, Ana,1990\nw-2,Omar Benali,,,\n")
    items = read(path)
    assert rejections(items) == [(2, "")]
    assert [e.id for e in entries(items)] == ["w-2"]


def test_a_quoted_value_over_several_lines_is_named_by_its_first_line(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + 'w-1,"Ana\nRuiz",\nw-2,,\n')
    items = read(path)
    assert entries(items)[0].full_name == "Ana\nRuiz"
    assert rejections(items) == [(4, "full_name")]


def test_blank_lines_hold_no_person_and_are_skipped(tmp_path: Path) -> None:
    listing = open_list(write(tmp_path, "\n" + HEADER + "\nw-1,Ana Ruiz,\n,,\n"), "watchlist",
                        today=TODAY)
    assert [e.id for e in entries(list(listing))] == ["w-1"]
    assert (listing.rows, listing.rejected_rows) == (1, 0)


def test_unknown_columns_are_ignored_and_listed(tmp_path: Path) -> None:
    listing = open_list(write(tmp_path, "id,full_name,religion,\nw-1,Ana Ruiz,x,y\n"), "w")
    assert listing.ignored_columns == ("religion", "(column 4, no name)")
    assert list(listing) == [PersonEntry(id="w-1", full_name="Ana Ruiz")]


def test_a_latin1_file_is_refused_naming_the_file_and_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("id,full_name\nw-1,Ana Ruiz\nw-2,José Núñez\n".encode("latin-1"))
    with pytest.raises(InvalidCsv) as raised:
        read_entries(path)
    assert str(path) in raised.value.detail
    assert "line 3" in raised.value.detail
    assert "not UTF-8" in raised.value.detail


def test_a_bad_byte_past_the_first_megabyte_is_located(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    rows = "".join(f"w-{i},Ana Ruiz {i}\n" for i in range(100_000))
    path.write_bytes(f"id,full_name\n{rows}".encode() + b"w-x,\xe9\n")
    with pytest.raises(InvalidCsv, match="line 100002"):
        read_entries(path)


def test_a_utf16_file_is_refused_as_such(tmp_path: Path) -> None:
    path = tmp_path / "utf16.csv"
    path.write_bytes("id,full_name\nw-1,Ana Ruiz\n".encode("utf-16"))
    with pytest.raises(InvalidCsv, match="UTF-16"):
        read_entries(path)


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\n\n  \n"])
def test_an_empty_file_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(InvalidCsv, match=r"empty|no header"):
        read_entries(path)


def test_missing_required_columns_are_named(tmp_path: Path) -> None:
    with pytest.raises(InvalidCsv, match="full_name") as raised:
        read_entries(write(tmp_path, "id,name\nw-1,Ana Ruiz\n"))
    assert raised.value.field == "full_name"


def test_a_semicolon_separated_file_gets_a_hint(tmp_path: Path) -> None:
    with pytest.raises(InvalidCsv, match="semicolons"):
        read_entries(write(tmp_path, "id;full_name\nw-1;Ana Ruiz\n"))


def test_a_column_named_twice_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidCsv, match="more than once"):
        read_entries(write(tmp_path, "id,full_name,id\nw-1,Ana Ruiz,w-2\n"))


def test_the_line_count_bounds_the_rows(tmp_path: Path) -> None:
    assert open_list(write(tmp_path, HEADER + "w-1,Ana Ruiz,\nw-2,Omar Benali,"), "w").lines == 3


def test_hits_are_written_one_row_each_with_three_decimals() -> None:
    stream = io.StringIO()
    comparison = Comparison(0.91234, (Feature("name", 6.0, "same name"),
                                      Feature("date_of_birth", 3.0, "same date")))
    HitsWriter(stream).write("t-1", [Hit("w-1", comparison), Hit("w-2", Comparison(0.1))])
    rows = list(csv.reader(io.StringIO(stream.getvalue())))
    assert rows == [list(HIT_COLUMNS),
                    ["t-1", "w-1", "0.912", "strong", "name: same name; date_of_birth: same date"],
                    ["t-1", "w-2", "0.100", "", ""]]


def test_rejections_are_written_with_list_row_column_and_message() -> None:
    stream = io.StringIO()
    RejectionsWriter(stream).write(Rejection("travellers", 7, "date_of_birth", "no, really"))
    assert stream.getvalue() == ("list,row,column,message\n"
                                 'travellers,7,date_of_birth,"no, really"\n')


def test_an_output_file_appears_only_when_complete(tmp_path: Path) -> None:
    target = tmp_path / "hits.csv"
    target.write_text("previous run\n", encoding="utf-8")

    def fail_half_way() -> None:
        with replaced_on_success(target) as stream:
            stream.write("half")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        fail_half_way()
    assert target.read_text(encoding="utf-8") == "previous run\n"
    assert list(tmp_path.iterdir()) == [target]
    with replaced_on_success(target) as stream:
        stream.write("é\n")
    assert target.read_bytes() == "é\n".encode()


@pytest.mark.parametrize("name", ["watchlist-template.csv", "travellers-template.csv"])
def test_the_documented_templates_are_read_without_rejection(name: str) -> None:
    path = Path(__file__).resolve().parents[2] / "docs" / "templates" / name
    listing = open_list(path, "list")
    items = list(listing)
    assert items
    assert all(isinstance(i, PersonEntry) for i in items)
    assert listing.ignored_columns == ()
