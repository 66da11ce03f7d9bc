"""Screening jobs, candidates and hit reports in memory, for the in-memory unit of work.

Isolated like the other in-memory tables (``storage.memory``): a unit of work works on copies
of the committed rows and, on commit, writes back exactly the rows it changed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar

from passerelle.domain.hits import (
    Candidate,
    CandidateStatus,
    Direction,
    HitMessage,
    HitReport,
    JobStatus,
    ScreeningJob,
)
from passerelle.storage.hits import answers
from passerelle.storage.screening import check_key
from passerelle.storage.types import as_utc

V = TypeVar("V")


@dataclass
class HitState:
    """The committed rows of the four tables."""

    jobs: dict[str, tuple[ScreeningJob, tuple[dict[str, Any], ...]]] = field(default_factory=dict)
    candidates: dict[str, Candidate] = field(default_factory=dict)
    hits: dict[str, HitReport] = field(default_factory=dict)
    marks: dict[str, int] = field(default_factory=dict)


class _Rows(Generic[V]):
    def __init__(self, committed: dict[str, V]) -> None:
        self.rows = dict(committed)
        self.dirty: set[str] = set()

    def put(self, key: str, value: V) -> None:
        self.rows[key] = value
        self.dirty.add(key)

    def apply_to(self, committed: dict[str, V]) -> None:
        for key in self.dirty:
            committed[key] = self.rows[key]
        self.dirty.clear()


class MemoryScreeningRepository:
    """``ports.ScreeningRepository`` in memory."""

    def __init__(self, state: HitState) -> None:
        self._jobs = _Rows(state.jobs)
        self._candidates = _Rows(state.candidates)
        self._marks = _Rows(state.marks)

    def apply_to(self, state: HitState) -> None:
        """Write this unit of work's changes to the committed state."""
        self._jobs.apply_to(state.jobs)
        self._candidates.apply_to(state.candidates)
        self._marks.apply_to(state.marks)

    def mark(self, name: str) -> int:
        return self._marks.rows.get(name, 0)

    def set_mark(self, name: str, seq: int) -> None:
        self._marks.put(name, seq)

    def add_job(self, job: ScreeningJob, rows: Sequence[Mapping[str, Any]]) -> None:
        self._jobs.put(job.id, (job, tuple(dict(r) for r in rows)))

    def job(self, job_id: str) -> ScreeningJob | None:
        found = self._jobs.rows.get(job_id)
        return None if found is None else found[0]

    def job_rows(self, job_id: str) -> list[dict[str, Any]]:
        found = self._jobs.rows.get(job_id)
        return [] if found is None else [dict(r) for r in found[1]]

    def update_job(self, job: ScreeningJob) -> None:
        found = self._jobs.rows.get(job.id)
        if found is not None:
            self._jobs.put(job.id, (job, found[1]))

    def jobs(self, statuses: frozenset[JobStatus], limit: int) -> list[ScreeningJob]:
        found = [job for job, _ in self._jobs.rows.values()
                 if not statuses or job.status in statuses]
        found.sort(key=lambda j: j.id)
        found.sort(key=lambda j: as_utc(j.submitted_at), reverse=True)
        return found[:max(limit, 0)]

    def add_candidates(self, candidates: Sequence[Candidate]) -> int:
        known = {check_key(c) for c in self._candidates.rows.values()}
        added = 0
        for candidate in candidates:
            key = check_key(candidate)
            if key not in known:
                known.add(key)
                self._candidates.put(candidate.id, candidate)
                added += 1
        return added

    def candidate(self, candidate_id: str) -> Candidate | None:
        return self._candidates.rows.get(candidate_id)

    def candidates(self, status: CandidateStatus | None, after: str | None,
                   limit: int) -> list[Candidate]:
        found = sorted((c for c in self._candidates.rows.values()
                        if (status is None or c.status is status)
                        and (after is None or c.id > after)), key=lambda c: c.id)
        return found[:max(limit, 0)]

    def reviewed(self, candidate: Candidate) -> bool:
        stored = self._candidates.rows.get(candidate.id)
        if stored is None or stored.status is not CandidateStatus.PENDING:
            return False
        self._candidates.put(candidate.id, replace(
            stored, status=candidate.status, reviewed_by=candidate.reviewed_by,
            reviewed_at=candidate.reviewed_at, justification=candidate.justification,
            hit_id=candidate.hit_id))
        return True

    def count_candidates(self) -> dict[CandidateStatus, int]:
        counts = dict.fromkeys(CandidateStatus, 0)
        for candidate in self._candidates.rows.values():
            counts[candidate.status] += 1
        return counts


class MemoryHitRepository:
    """``ports.HitRepository`` in memory."""

    def __init__(self, state: HitState) -> None:
        self._hits = _Rows(state.hits)

    def apply_to(self, state: HitState) -> None:
        """Write this unit of work's changes to the committed state."""
        self._hits.apply_to(state.hits)

    def add(self, report: HitReport) -> bool:
        if report.id in self._hits.rows:
            return False
        self._hits.put(report.id, replace(report, messages=()))
        for message in report.messages:
            self.add_message(message)
        return True

    def get(self, hit_id: str) -> HitReport | None:
        return self._hits.rows.get(hit_id)

    def list(self, direction: Direction | None, after: str | None, limit: int
             ) -> Sequence[HitReport]:
        found = sorted((h for h in self._hits.rows.values()
                        if (direction is None or h.direction is direction)
                        and (after is None or h.id > after)), key=lambda h: h.id)
        return found[:max(limit, 0)]

    def add_message(self, message: HitMessage) -> bool:
        report = self._hits.rows.get(message.hit_id)
        if report is None or any(m.id == message.id for m in report.messages):
            return False
        messages = tuple(sorted((*report.messages, message),
                                key=lambda m: (as_utc(m.at), m.id)))
        answered = message.at if answers(report, message) else report.answered_at
        self._hits.put(report.id, replace(report, messages=messages, answered_at=answered))
        return True

    def unanswered(self, direction: Direction) -> Sequence[HitReport]:
        found = [h for h in self._hits.rows.values()
                 if h.direction is direction and h.answered_at is None]
        return sorted(found, key=lambda h: (as_utc(h.reported_at), h.id))
