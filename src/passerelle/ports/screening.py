"""Screening jobs, their candidates, and hit reports."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from passerelle.domain.hits import (
    Candidate,
    CandidateStatus,
    Direction,
    HitMessage,
    HitReport,
    JobStatus,
    ScreeningJob,
)


class ScreeningRepository(Protocol):
    """Screening jobs (with the list they screen) and the review queue of candidates."""

    def add_job(self, job: ScreeningJob, rows: Sequence[Mapping[str, Any]]) -> None:
        """Store a new job and the travellers it screens, in their order."""
        ...

    def job(self, job_id: str) -> ScreeningJob | None:
        """A job by id."""
        ...

    def job_rows(self, job_id: str) -> list[dict[str, Any]]:
        """The travellers of a job, in their order (empty for an unknown job)."""
        ...

    def update_job(self, job: ScreeningJob) -> None:
        """Store a job's progress (status, done, candidates, error, finished_at)."""
        ...

    def jobs(self, statuses: frozenset[JobStatus], limit: int) -> list[ScreeningJob]:
        """Jobs in one of ``statuses`` (every job if empty), latest first."""
        ...

    def add_candidates(self, candidates: Sequence[Candidate]) -> int:
        """Store the candidates not stored yet for the same check of the same alert (a job's
        row, or a record's version); returns how many were new."""
        ...

    def candidate(self, candidate_id: str) -> Candidate | None:
        """A candidate by id."""
        ...

    def candidates(self, status: CandidateStatus | None, after: str | None,
                   limit: int) -> list[Candidate]:
        """Candidates in ``status`` (any if None), ordered by id, after the id ``after``."""
        ...

    def reviewed(self, candidate: Candidate) -> bool:
        """Store a review decision; False (nothing written) unless the candidate was still
        pending, so that two reviewers cannot both decide."""
        ...

    def count_candidates(self) -> dict[CandidateStatus, int]:
        """How many candidates are in each status."""
        ...

    def mark(self, name: str) -> int:
        """The audit seq up to which the follower ``name`` has worked (0 if it never ran)."""
        ...

    def set_mark(self, name: str, seq: int) -> None:
        """Store how far the follower ``name`` has worked."""
        ...


class HitRepository(Protocol):
    """Hit reports this node sent or received, and the messages that follow them."""

    def add(self, report: HitReport) -> bool:
        """Store a new report; False (nothing written) if its id is stored already."""
        ...

    def get(self, hit_id: str) -> HitReport | None:
        """A report with its messages, oldest first."""
        ...

    def list(self, direction: Direction | None, after: str | None, limit: int
             ) -> Sequence[HitReport]:
        """Reports ordered by id (with their messages), after the id ``after``."""
        ...

    def add_message(self, message: HitMessage) -> bool:
        """Store a message; False if its id is stored already. An acknowledgement or a reply
        of the issuer marks the report answered (``answered_at``) unless it was already."""
        ...

    def unanswered(self, direction: Direction) -> Sequence[HitReport]:
        """Reports not answered yet, oldest first (deadlines are counted from them)."""
        ...
