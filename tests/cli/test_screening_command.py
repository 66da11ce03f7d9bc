"""``passerelle screening``: a traveller list screened against the node's own alerts from the
command line, with progress; the job tells counts only; a bad row refuses the list."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from passerelle.bootstrap import node_caller
from passerelle.domain.dates import PartialDate
from passerelle.domain.hits import CandidateStatus
from passerelle.domain.markings import Markings
from passerelle.domain.records import Alert, AlertCategory, Person, SubjectCategory

from .cli_support import Invoke, node_of

LIST = ("id,full_name,date_of_birth,nationality\n"
        "P-1,Karim Bensalah,1988-06-02,FR\n"
        "P-2,Ana Ferreira,1990-01-17,PT\n"
        "P-3,كريم بن صالح,1988-02-06,DZ\n")


def raise_alert(database: Path) -> str:
    with node_of(database) as node:
        caller = node_caller("fr", "enquête 2026/77 — fictional")
        now = dt.datetime.now(dt.UTC)
        subject = node.records.create(caller, Markings(), Person(
            SubjectCategory.SUSPECT, "Karim", "Bensalah",
            date_of_birth=PartialDate.parse("1988-06-02", "date_of_birth"),
            nationalities=("FR", "DZ")))
        alert = node.records.create(caller, Markings(), Alert(
            AlertCategory.SPECIFIC_CHECK, subject.id, "Search the luggage discreetly.",
            now - dt.timedelta(days=1), now + dt.timedelta(days=30)))
        return alert.id


def test_a_list_is_screened_with_progress_and_its_matches_go_to_review(
        cli: Invoke, initialised: Path, tmp_path: Path) -> None:
    alert_id = raise_alert(initialised)
    path = tmp_path / "ferry.csv"
    path.write_text(LIST, encoding="utf-8")
    result = cli("screening", "submit", str(path), "--justification", "ferry Marseille-Alger")
    assert result.exit_code == 0, result.output
    assert "done  3/3 screened, 2 sent to review" in result.output
    assert alert_id not in result.output
    job_id = re.findall(r"screening--[0-9a-f-]{36}", result.output)[-1]
    status = cli("screening", "status", job_id)
    assert "done  3/3 screened" in status.output
    with node_of(initialised) as node, node.transactions() as tx:
        pending = tx.screening.candidates(CandidateStatus.PENDING, None, 10)
    assert sorted(c.query["id"] for c in pending) == ["P-1", "P-3"]
    assert {c.alert_id for c in pending} == {alert_id}


def test_a_list_with_a_bad_row_is_refused_naming_it(cli: Invoke, initialised: Path,
                                                   tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("id,full_name,date_of_birth\nP-1,Ana Ferreira,1990-14-01\n",
                    encoding="utf-8")
    result = cli("screening", "submit", str(path), "--justification", "ferry")
    assert result.exit_code != 0
    assert "row 2.date_of_birth" in result.output
    with node_of(initialised) as node, node.transactions() as tx:
        assert tx.screening.jobs(frozenset(), 10) == []


def test_a_list_left_to_the_worker_is_screened_by_resume(cli: Invoke, initialised: Path,
                                                        tmp_path: Path) -> None:
    raise_alert(initialised)
    path = tmp_path / "ferry.csv"
    path.write_text(LIST, encoding="utf-8")
    queued = cli("screening", "submit", str(path), "--justification", "ferry", "--no-wait")
    assert "queued  0/3 screened" in queued.output
    resumed = cli("screening", "resume")
    assert "done  3/3 screened, 2 sent to review" in resumed.output
    assert "no job waits" in cli("screening", "resume").output
