"""Screening: traveller lists and partners' records checked against the watchlist, every match
put in the review queue.

A list is submitted (``submit``: validated whole, stored with its job, audited as a search of
the watchlist with the submitter's justification) and screened in the background
(``run_pending``, by the node's screening worker), chunk after chunk, each chunk's candidates
and progress committed together: a job interrupted by a restart resumes after its last
committed chunk, and a check screened twice adds no candidate twice (the queue is unique per
check and alert). A person or document record a partner sends is screened as it arrives
(``tick``), against every alert but the sender's own: the audit log says what arrived, and a
mark committed with the candidates says how far the screening got, so that records stored
while the worker was stopped (a sync from the command line) are screened when it runs.

Nothing is reported to anyone here: a candidate waits for a reviewer (``services.review``).
The submitter of a list learns how far the job got and how many checks went to review; never
which alert, which category, which traveller: a covert check must not show.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from passerelle.domain.audit import AuditAction, AuditEvent
from passerelle.domain.codec import dataclass_to_dict
from passerelle.domain.hits import (
    Candidate,
    CheckSource,
    Feature,
    JobStatus,
    ScreeningJob,
)
from passerelle.domain.policy import Action
from passerelle.domain.records import Document, Person, Record
from passerelle.errors import NotFound, ValidationFailed
from passerelle.matching.matcher import validate
from passerelle.matching.model import MatchingInputError, PersonEntry
from passerelle.ports import AuditQuery, Clock, UnitOfWorkFactory
from passerelle.services.caller import Caller
from passerelle.services.notifications import REVIEWERS, NoticeKind, Notifications
from passerelle.services.watchlist import Match, Watchlist, person_entry

CHUNK = 200
PARALLEL_FROM = 2000
"""Lists of at least this many travellers left to screen are screened on every core
(``matching.parallel``); shorter ones in the worker's own thread."""
Batch = Callable[[Sequence[PersonEntry], dt.datetime], list[list[Match]]]
PAGE = 2000
RECORDS_MARK = "partner-records"
ARRIVALS = frozenset({AuditAction.COLLECTION, AuditAction.ALTERATION})
SCREENED_KINDS = ("person--", "document--")
MAX_TRAVELLERS = 100_000
MAX_NAME = 200
Progress = Callable[[ScreeningJob], None]


def entry_row(entry: PersonEntry) -> dict[str, Any]:
    """A traveller as stored with its job."""
    return {k: list(v) if isinstance(v, tuple) else v
            for k, v in dataclasses.asdict(entry).items() if v not in ("", (), [])}


def row_entry(row: Mapping[str, Any]) -> PersonEntry:
    """A stored traveller back as the matcher reads it."""
    values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v
                              for k, v in row.items()}
    return PersonEntry(**values)


def candidate_of(match: Match, source: CheckSource, query: dict[str, Any],
                 at: dt.datetime, **where: Any) -> Candidate:
    """The review-queue item for one match."""
    record = match.watched.record
    features = tuple(Feature(f.field, round(f.weight, 3), f.text)
                     for f in match.comparison.features)
    return Candidate(id=f"candidate--{uuid.uuid4()}", source=source, query=query,
                     alert_id=record.id, alert_version=record.version,
                     issuer=record.owner_agency, score=round(match.comparison.score, 4),
                     features=features, created_at=at, **where)


class ScreeningService:
    """Screening for the node of ``agency_id`` (see the module docstring)."""

    def __init__(self, transactions: UnitOfWorkFactory, clock: Clock, agency_id: str,
                 watchlist: Watchlist, notifications: Notifications,
                 processes: int = 1) -> None:
        self._transactions = transactions
        self._clock = clock
        self._agency_id = agency_id
        self._watchlist = watchlist
        self._notifications = notifications
        self._processes = max(1, processes)

    # -- lists ----------------------------------------------------------------------------

    def submit(self, caller: Caller, name: str, travellers: Sequence[PersonEntry]
               ) -> ScreeningJob:
        """Store a list for screening and return its job (queued). Every traveller needs an
        id, unique in the list, and a name; the first one that has not is named in the
        error and nothing is stored."""
        caller.require(Action.READ)
        justification = caller.require_justification()
        self._check(name, travellers)
        now = self._clock.now()
        job = ScreeningJob(id=f"screening--{uuid.uuid4()}", name=name.strip(),
                           submitted_by=caller.actor, submitted_at=now,
                           total=len(travellers))
        with self._transactions() as tx:
            tx.screening.add_job(job, [entry_row(t) for t in travellers])
            tx.audit.append([AuditEvent(
                AuditAction.SEARCH, caller.actor, caller.user.agency_id, None, justification,
                {"screening": job.id, "list": job.name, "travellers": job.total})])
            tx.commit()
        return job

    @staticmethod
    def _check(name: str, travellers: Sequence[PersonEntry]) -> None:
        if not name.strip() or len(name) > MAX_NAME:
            raise ValidationFailed(f"1 to {MAX_NAME} characters", field="name")
        if not travellers:
            raise ValidationFailed("the list holds no traveller", field="travellers")
        if len(travellers) > MAX_TRAVELLERS:
            raise ValidationFailed(f"at most {MAX_TRAVELLERS} travellers per list",
                                   field="travellers")
        seen: set[str] = set()
        for index, traveller in enumerate(travellers):
            try:
                validate(traveller)
            except MatchingInputError as error:
                raise ValidationFailed(error.message,
                                       field=f"travellers[{index}].{error.field}") from None
            if traveller.id in seen:
                raise ValidationFailed(f"{traveller.id!r} is listed twice",
                                       field=f"travellers[{index}].id")
            seen.add(traveller.id)

    def job(self, caller: Caller, job_id: str) -> ScreeningJob:
        """A job's progress (the submitter's or, for reviewers, any)."""
        caller.require(Action.READ)
        with self._transactions() as tx:
            job = tx.screening.job(job_id)
        if job is None:
            raise NotFound(f"no screening job {job_id}", field="job_id")
        return job

    def run_pending(self, progress: Progress | None = None) -> list[ScreeningJob]:
        """Screen every job queued or interrupted, oldest first; the jobs as they ended."""
        with self._transactions() as tx:
            waiting = tx.screening.jobs(frozenset({JobStatus.QUEUED, JobStatus.RUNNING}),
                                        1000)
        return [self.run(job.id, progress) for job in reversed(waiting)]

    def run(self, job_id: str, progress: Progress | None = None) -> ScreeningJob:
        """Screen one job from where it stopped, chunk by chunk (see the module docstring)."""
        with self._transactions() as tx:
            job, rows = tx.screening.job(job_id), tx.screening.job_rows(job_id)
        if job is None:
            raise NotFound(f"no screening job {job_id}", field="job_id")
        if job.status in (JobStatus.DONE, JobStatus.FAILED):
            return job
        self._watchlist.catch_up()
        job = dataclasses.replace(job, status=JobStatus.RUNNING)
        workers = self._processes if len(rows) - job.done >= PARALLEL_FROM else 1
        chunk = CHUNK * workers
        with self._watchlist.batch(workers) as screen:
            for start in range(job.done, len(rows), chunk):
                job = self._chunk(job, rows, start, chunk, screen)
                if progress is not None:
                    progress(job)
        job = dataclasses.replace(job, status=JobStatus.DONE, finished_at=self._clock.now())
        with self._transactions() as tx:
            tx.screening.update_job(job)
            tx.commit()
        self._notifications.publish(NoticeKind.SCREENING, job.id, self._clock.now(),
                                    REVIEWERS, status=job.status.value, done=job.done,
                                    total=job.total, candidates=job.candidates)
        if progress is not None:
            progress(job)
        return job

    def _chunk(self, job: ScreeningJob, rows: Sequence[Mapping[str, Any]], start: int,
               size: int, screen: Batch) -> ScreeningJob:
        now = self._clock.now()
        end = min(start + size, len(rows))
        matches = screen([row_entry(row) for row in rows[start:end]], now)
        found = [candidate_of(match, CheckSource.LIST, dict(rows[row_number]), now,
                              job_id=job.id, row=row_number)
                 for row_number, row_matches in zip(range(start, end), matches, strict=True)
                 for match in row_matches]
        with self._transactions() as tx:
            added = tx.screening.add_candidates(found)
            job = dataclasses.replace(job, done=end, candidates=job.candidates + added)
            tx.screening.update_job(job)
            tx.commit()
        self._announce(found, added)
        return job

    def _announce(self, found: Sequence[Candidate], added: int) -> None:
        if added:
            for candidate in found:
                self._notifications.publish(NoticeKind.CANDIDATE, candidate.id,
                                            candidate.created_at, REVIEWERS,
                                            source=candidate.source.value)

    # -- partners' records ----------------------------------------------------------------

    def tick(self) -> int:
        """Follow the watchlist's changes, then screen the partners' person and document
        records stored since the last pass (read from the audit log after this node's mark,
        which is committed with the candidates); the number of new candidates."""
        self._watchlist.catch_up()
        added = 0
        while True:
            with self._transactions() as tx:
                mark = tx.screening.mark(RECORDS_MARK)
                entries = tx.audit.entries(AuditQuery(), mark, PAGE)
            if not entries:
                return added
            ids = list(dict.fromkeys(
                e.record_id for e in entries if e.action in ARRIVALS and e.record_id
                and e.record_id.startswith(SCREENED_KINDS)))
            found = self._record_candidates(ids)
            with self._transactions() as tx:
                new = tx.screening.add_candidates(found)
                tx.screening.set_mark(RECORDS_MARK, entries[-1].seq)
                tx.commit()
            self._announce(found, new)
            added += new

    def _record_candidates(self, record_ids: Sequence[str]) -> list[Candidate]:
        """The candidates of the partners' records among ``record_ids``."""
        if not record_ids:
            return []
        with self._transactions() as tx:
            records = [r for r in tx.records.get_many(list(record_ids))
                       if r.owner_agency != self._agency_id]
        now = self._clock.now()
        return [candidate_of(match, CheckSource.RECORD, _record_query(record), now,
                             record_id=record.id)
                for record in records for match in self._matches(record, now)]

    def _matches(self, record: Record, now: dt.datetime) -> list[Match]:
        details = record.details
        if isinstance(details, Person):
            return self._watchlist.screen_person(person_entry(record.id, details), now,
                                                 exclude_owner=record.owner_agency)
        if isinstance(details, Document):
            return self._watchlist.screen_document(details, now,
                                                   exclude_owner=record.owner_agency)
        return []


def _record_query(record: Record) -> dict[str, Any]:
    """What the reviewer sees of the checked record: its id, version, owner and details."""
    return {"record_id": record.id, "version": record.version, "owner": record.owner_agency,
            "kind": record.kind.value, "details": dataclass_to_dict(record.details)}
