"""The screening repository's contract (jobs, the review queue, follower marks), on the
in-memory fake, SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid

from passerelle.domain.hits import (
    Candidate,
    CandidateStatus,
    CheckSource,
    Feature,
    JobStatus,
    ScreeningJob,
)
from passerelle.ports import UnitOfWorkFactory

T0 = dt.datetime(2026, 12, 6, 9, 0, tzinfo=dt.UTC)
ROWS = [{"id": "PAX-1", "full_name": "يوسف الإدريسي", "date_of_birth": "1991-07-04",
         "nationalities": ["MA", "FR"]},
        {"id": "PAX-2", "full_name": "Ana Ferreira", "aliases": ["Ana F.", "A. Ferreira"]}]


def job(submitted: dt.datetime = T0, status: JobStatus = JobStatus.QUEUED) -> ScreeningJob:
    return ScreeningJob(id=f"screening--{uuid.uuid4()}", name="AT 0981",
                        submitted_by="user:u-1", submitted_at=submitted, total=len(ROWS),
                        status=status)


def candidate(job_id: str | None = None, row: int | None = 0, alert: str = "alert--1",
              record_id: str | None = None) -> Candidate:
    source = CheckSource.LIST if job_id else CheckSource.RECORD
    query = dict(ROWS[0]) if job_id else {"record_id": record_id, "version": 2}
    return Candidate(id=f"candidate--{uuid.uuid4()}", source=source, query=query,
                     alert_id=alert, alert_version=3, issuer="fr", score=0.8712,
                     features=(Feature("date of birth", 8.5, "day and month swapped"),
                               Feature("nationality", 1.0, "shared (MA)")),
                     created_at=T0, job_id=job_id, row=row if job_id else None,
                     record_id=record_id)


def test_a_job_reads_back_with_its_travellers_and_progress(
        uow_factory: UnitOfWorkFactory) -> None:
    first = job()
    with uow_factory() as tx:
        tx.screening.add_job(first, ROWS)
        tx.commit()
    with uow_factory() as tx:
        assert tx.screening.job(first.id) == first
        assert tx.screening.job_rows(first.id) == ROWS
        assert tx.screening.job(f"screening--{uuid.uuid4()}") is None
        assert tx.screening.job_rows("screening--unknown") == []
        moved = dataclasses.replace(first, done=2, candidates=1, status=JobStatus.DONE,
                                    finished_at=T0 + dt.timedelta(seconds=3))
        tx.screening.update_job(moved)
        tx.commit()
    with uow_factory() as tx:
        assert tx.screening.job(first.id) == moved


def test_jobs_are_listed_latest_first_by_status(uow_factory: UnitOfWorkFactory) -> None:
    older, newer = job(T0), job(T0 + dt.timedelta(minutes=1))
    done = job(T0 + dt.timedelta(minutes=2), JobStatus.DONE)
    with uow_factory() as tx:
        for each in (older, newer, done):
            tx.screening.add_job(each, ROWS)
        tx.commit()
    with uow_factory() as tx:
        waiting = tx.screening.jobs(frozenset({JobStatus.QUEUED, JobStatus.RUNNING}), 10)
        assert [j.id for j in waiting] == [newer.id, older.id]
        assert [j.id for j in tx.screening.jobs(frozenset(), 2)] == [done.id, newer.id]


def test_a_check_of_an_alert_is_queued_once(uow_factory: UnitOfWorkFactory) -> None:
    listed = job()
    first = candidate(listed.id)
    with uow_factory() as tx:
        tx.screening.add_job(listed, ROWS)
        assert tx.screening.add_candidates([first, candidate(listed.id)]) == 1
        tx.commit()
    with uow_factory() as tx:
        assert tx.screening.add_candidates([candidate(listed.id),
                                            candidate(listed.id, row=1),
                                            candidate(listed.id, alert="alert--2")]) == 2
        assert tx.screening.add_candidates([candidate(record_id="person--9"),
                                            candidate(record_id="person--9")]) == 1
        tx.commit()
    with uow_factory() as tx:
        assert tx.screening.candidate(first.id) == first
        assert len(tx.screening.candidates(None, None, 100)) == 4
        counts = tx.screening.count_candidates()
        assert counts[CandidateStatus.PENDING] == 4
        assert counts[CandidateStatus.CONFIRMED] == 0


def test_a_decision_is_stored_once(uow_factory: UnitOfWorkFactory) -> None:
    pending = candidate(record_id="person--1")
    with uow_factory() as tx:
        tx.screening.add_candidates([pending])
        tx.commit()
    confirmed = dataclasses.replace(
        pending, status=CandidateStatus.CONFIRMED, reviewed_by="user:u-2", reviewed_at=T0,
        justification="same person, swapped date", hit_id=f"hit--{uuid.uuid4()}")
    with uow_factory() as tx:
        assert tx.screening.reviewed(confirmed)
        tx.commit()
    with uow_factory() as tx:
        assert not tx.screening.reviewed(
            dataclasses.replace(confirmed, status=CandidateStatus.DISMISSED))
        assert tx.screening.candidate(pending.id) == confirmed
        assert tx.screening.candidates(CandidateStatus.PENDING, None, 10) == []
        assert tx.screening.candidates(CandidateStatus.CONFIRMED, None, 10) == [confirmed]


def test_the_queue_pages_by_id(uow_factory: UnitOfWorkFactory) -> None:
    made = [candidate(record_id=f"person--{i}") for i in range(5)]
    with uow_factory() as tx:
        tx.screening.add_candidates(made)
        tx.commit()
    ids = sorted(c.id for c in made)
    with uow_factory() as tx:
        first = tx.screening.candidates(CandidateStatus.PENDING, None, 2)
        rest = tx.screening.candidates(CandidateStatus.PENDING, first[-1].id, 10)
    assert [c.id for c in first + rest] == ids


def test_a_follower_mark_starts_at_zero_and_moves(uow_factory: UnitOfWorkFactory) -> None:
    with uow_factory() as tx:
        assert tx.screening.mark("partner-records") == 0
        tx.screening.set_mark("partner-records", 41)
        tx.commit()
    with uow_factory() as tx:
        tx.screening.set_mark("partner-records", 97)
        assert tx.screening.mark("partner-records") == 97
    with uow_factory() as tx:  # not committed: still 41
        assert tx.screening.mark("partner-records") == 41
