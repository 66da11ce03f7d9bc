"""``passerelle screen``: travellers screened against a watchlist, CSV in and out; the obvious
same person is a hit and a stranger is not; bad rows are named and the rest screened; a file
that cannot be read stops the run before anything is written (docs/screening.md)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from passerelle.cli.main import app
from passerelle.interop.screening_csv import HIT_COLUMNS, REJECTION_COLUMNS
from passerelle.matching.model import Band

TEMPLATES = Path(__file__).resolve().parents[2] / "docs" / "templates"
COLUMNS = "id,full_name,date_of_birth,nationality\n"
WATCHLIST = (COLUMNS + "w-1,Youssef El Amrani,1990-03-14,MA\n"
             "w-2,Lucía García Fernández,1987-11-05,ES\n"
             "w-3,Pieter Van den Broeck,1979-08-21,BE\n")
TRAVELLERS = (COLUMNS + "t-1,Yusuf al-Amrani,1990-03-14,MA\n"
              "t-2,يوسف العمراني,1990-03-14,\n"
              "t-3,Marta Kowalska,1992-01-30,PL\n")


def screen(*args: str) -> Result:
    return CliRunner().invoke(app, ["screen", *args], env={"COLUMNS": "250"},
                              catch_exceptions=False)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def run(tmp_path: Path, watchlist: str = WATCHLIST, travellers: str = TRAVELLERS,
        *options: str) -> Result:
    return screen("--watchlist", str(write(tmp_path, "watchlist.csv", watchlist)),
                  "--travellers", str(write(tmp_path, "travellers.csv", travellers)),
                  "--out", str(tmp_path / "hits.csv"), *options)


def hit_pairs(tmp_path: Path) -> set[tuple[str, str]]:
    return {(r["traveller_id"], r["watchlist_id"]) for r in rows(tmp_path / "hits.csv")}


def test_the_same_person_in_another_spelling_or_script_is_a_hit(tmp_path: Path) -> None:
    result = run(tmp_path)
    assert result.exit_code == 0, result.output
    pairs = hit_pairs(tmp_path)
    assert {("t-1", "w-1"), ("t-2", "w-1")} <= pairs
    assert not [p for p in pairs if p[0] == "t-3"]


def test_the_hits_file_follows_the_contract(tmp_path: Path) -> None:
    assert run(tmp_path).exit_code == 0
    with (tmp_path / "hits.csv").open("rb") as stream:
        head = stream.readline()
    assert head == (",".join(HIT_COLUMNS) + "\n").encode()
    found = rows(tmp_path / "hits.csv")
    assert found
    for row in found:
        assert len(row["score"].split(".")[1]) == 3
        assert 0.5 <= float(row["score"]) <= 1
        assert row["band"] in {b.value for b in Band}
        assert row["explanation"].strip()


def test_a_clean_run_writes_an_errors_file_with_only_its_header(tmp_path: Path) -> None:
    result = run(tmp_path)
    assert result.exit_code == 0
    assert (tmp_path / "hits.errors.csv").read_text(encoding="utf-8") == (
        ",".join(REJECTION_COLUMNS) + "\n")
    assert not list(tmp_path.glob("*.part"))


def test_the_summary_counts_what_was_done(tmp_path: Path) -> None:
    result = run(tmp_path)
    assert "3 entries indexed" in result.stdout
    assert "3 screened" in result.stdout
    assert "0 rows rejected" in result.stdout


def test_bad_rows_are_named_in_the_errors_file_and_the_rest_is_screened(
        tmp_path: Path) -> None:
    travellers = (COLUMNS + "t-1,Yusuf al-Amrani,1990-03-14,MA\n"
                  "t-4,Pieter Claes,2001-02-30,BE\n"
                  "t-5,,1985,ES\n")
    watchlist = WATCHLIST + "w-1,Someone Else,1970,FR\n"
    result = run(tmp_path, watchlist, travellers)
    assert result.exit_code == 1, result.output
    problems = {(r["list"], r["row"], r["column"]) for r in rows(tmp_path / "hits.errors.csv")}
    assert problems == {("travellers", "3", "date_of_birth"), ("travellers", "4", "full_name"),
                        ("watchlist", "5", "id")}
    assert ("t-1", "w-1") in hit_pairs(tmp_path)
    assert "travellers line 3, column date_of_birth" in result.stderr
    assert "3 rows rejected" in result.stdout


def test_the_errors_file_goes_where_asked(tmp_path: Path) -> None:
    target = tmp_path / "rejected.csv"
    result = run(tmp_path, WATCHLIST, COLUMNS + "t-1,,1990,\n", "--errors", str(target))
    assert result.exit_code == 1
    assert [r["column"] for r in rows(target)] == ["full_name"]
    assert not (tmp_path / "hits.errors.csv").exists()


def test_a_file_that_is_not_utf8_stops_the_run_naming_it(tmp_path: Path) -> None:
    travellers = tmp_path / "latin1.csv"
    travellers.write_bytes((COLUMNS + "t-1,José Núñez,1990,ES\n").encode("latin-1"))
    result = screen("--watchlist", str(write(tmp_path, "w.csv", WATCHLIST)),
                    "--travellers", str(travellers), "--out", str(tmp_path / "hits.csv"))
    assert result.exit_code == 2
    assert "invalid_csv" in result.stderr
    assert "latin1.csv" in result.stderr
    assert "line 2" in result.stderr
    assert not (tmp_path / "hits.csv").exists()
    assert not (tmp_path / "hits.errors.csv").exists()


def test_a_missing_column_stops_the_run_naming_it(tmp_path: Path) -> None:
    result = run(tmp_path, "id,name\nw-1,Ana Ruiz\n")
    assert result.exit_code == 2
    assert "full_name" in result.stderr
    assert not (tmp_path / "hits.csv").exists()


@pytest.mark.parametrize("option", [("--threshold", "1.5"), ("--threshold", "-0.1"),
                                    ("--top", "0")])
def test_an_option_out_of_range_is_a_usage_error(tmp_path: Path, option: tuple[str, str]
                                                 ) -> None:
    assert run(tmp_path, WATCHLIST, TRAVELLERS, *option).exit_code == 2
    assert not (tmp_path / "hits.csv").exists()


def test_an_output_that_would_overwrite_an_input_is_refused(tmp_path: Path) -> None:
    watchlist = write(tmp_path, "watchlist.csv", WATCHLIST)
    result = screen("--watchlist", str(watchlist), "--travellers",
                    str(write(tmp_path, "t.csv", TRAVELLERS)), "--out", str(watchlist))
    assert result.exit_code == 2
    assert watchlist.read_text(encoding="utf-8") == WATCHLIST


def test_every_reported_hit_reaches_the_threshold_and_top_limits_them(tmp_path: Path) -> None:
    assert run(tmp_path, WATCHLIST, TRAVELLERS, "--threshold", "0.2", "--top", "1"
               ).exit_code == 0
    found = rows(tmp_path / "hits.csv")
    assert all(float(r["score"]) >= 0.2 for r in found)
    travellers = [r["traveller_id"] for r in found]
    assert len(travellers) == len(set(travellers))
    assert {"t-1", "t-2"} <= set(travellers)


def test_the_documented_templates_screen_as_described(tmp_path: Path) -> None:
    out = tmp_path / "hits.csv"
    result = screen("--watchlist", str(TEMPLATES / "watchlist-template.csv"),
                    "--travellers", str(TEMPLATES / "travellers-template.csv"),
                    "--out", str(out))
    assert result.exit_code == 0, result.output
    pairs = {(r["traveller_id"], r["watchlist_id"]) for r in rows(out)}
    assert {("T-2041", "WL-00017"), ("T-2042", "WL-00017"), ("T-2043", "WL-00018")} <= pairs
    assert not [p for p in pairs if p[0] == "T-2045"]


def test_many_rejections_are_all_in_the_errors_file_and_summarised_on_stderr(
        tmp_path: Path) -> None:
    travellers = COLUMNS + "".join(f"t-{i},Ana Ruiz,1990-02-{28 + i % 2}\n" for i in range(50))
    result = run(tmp_path, WATCHLIST, travellers)
    assert result.exit_code == 1
    assert len(rows(tmp_path / "hits.errors.csv")) == 25
    assert "and 5 more problems" in result.stderr
    assert "25 screened" in result.stdout
