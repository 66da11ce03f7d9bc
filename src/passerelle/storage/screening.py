"""Screening jobs and the review queue in SQL.

A job's travellers are stored with the job (one JSON column): the job runner reads them once
per run, and a job resumed after a restart reads the same list. Candidates are unique per
``check_key`` (the check and the alert): a check screened again adds nothing twice. Reviews are
guarded by ``status = 'pending'``, so that of two reviewers deciding at once only one wins.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from passerelle.domain.hits import (
    Candidate,
    CandidateStatus,
    CheckSource,
    Feature,
    JobStatus,
    ScreeningJob,
)
from passerelle.storage.schema import CANDIDATES, SCREENING_JOBS, SCREENING_MARKS

IN_CHUNK = 500


def check_key(candidate: Candidate) -> str:
    """What makes a candidate the same one: the check (a job's row or a record's version)
    and the alert."""
    if candidate.source is CheckSource.LIST:
        return f"list:{candidate.job_id}:{candidate.row}:{candidate.alert_id}"
    version = candidate.query.get("version", "")
    return f"record:{candidate.record_id}:{version}:{candidate.alert_id}"


def _job(row: Any) -> ScreeningJob:
    return ScreeningJob(id=row.id, name=row.name, submitted_by=row.submitted_by,
                        submitted_at=row.submitted_at, total=row.total, done=row.done,
                        candidates=row.candidates, status=JobStatus(row.status),
                        error=row.error, finished_at=row.finished_at)


def candidate_values(c: Candidate) -> dict[str, Any]:
    """The row of a candidate."""
    return {"id": c.id, "check_key": check_key(c), "source": c.source.value,
            "job_id": c.job_id, "row": c.row, "record_id": c.record_id, "query": c.query,
            "alert_id": c.alert_id, "alert_version": c.alert_version, "issuer": c.issuer,
            "score": c.score, "features": [[f.field, f.weight, f.text] for f in c.features],
            "created_at": c.created_at, "status": c.status.value,
            "reviewed_by": c.reviewed_by, "reviewed_at": c.reviewed_at,
            "justification": c.justification, "hit_id": c.hit_id}


def candidate_of(row: Any) -> Candidate:
    """The candidate of a row (or of ``candidate_values``' mapping)."""
    get: Mapping[str, Any] = row if isinstance(row, Mapping) else row._mapping
    return Candidate(
        id=get["id"], source=CheckSource(get["source"]), query=dict(get["query"]),
        alert_id=get["alert_id"], alert_version=get["alert_version"], issuer=get["issuer"],
        score=float(get["score"]),
        features=tuple(Feature(str(f), float(w), str(t)) for f, w, t in get["features"]),
        created_at=get["created_at"], job_id=get["job_id"], row=get["row"],
        record_id=get["record_id"], status=CandidateStatus(get["status"]),
        reviewed_by=get["reviewed_by"], reviewed_at=get["reviewed_at"],
        justification=get["justification"], hit_id=get["hit_id"])


class SqlScreeningRepository:
    """``ports.ScreeningRepository`` over one connection."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add_job(self, job: ScreeningJob, rows: Sequence[Mapping[str, Any]]) -> None:
        """Store a new job with its travellers."""
        self._connection.execute(insert(SCREENING_JOBS), [{
            "id": job.id, "name": job.name, "submitted_by": job.submitted_by,
            "submitted_at": job.submitted_at, "total": job.total, "done": job.done,
            "candidates": job.candidates, "status": job.status.value, "error": job.error,
            "finished_at": job.finished_at, "rows": [dict(r) for r in rows]}])

    def job(self, job_id: str) -> ScreeningJob | None:
        """A job by id."""
        columns = [c for c in SCREENING_JOBS.c if c.name != "rows"]
        row = self._connection.execute(
            select(*columns).where(SCREENING_JOBS.c.id == job_id)).first()
        return None if row is None else _job(row)

    def job_rows(self, job_id: str) -> list[dict[str, Any]]:
        """The travellers of a job."""
        rows = self._connection.execute(
            select(SCREENING_JOBS.c.rows).where(SCREENING_JOBS.c.id == job_id)).scalar()
        return list(rows or [])

    def update_job(self, job: ScreeningJob) -> None:
        """Store a job's progress."""
        self._connection.execute(
            update(SCREENING_JOBS).where(SCREENING_JOBS.c.id == job.id).values(
                done=job.done, candidates=job.candidates, status=job.status.value,
                error=job.error, finished_at=job.finished_at, total=job.total))

    def jobs(self, statuses: frozenset[JobStatus], limit: int) -> list[ScreeningJob]:
        """Jobs in one of ``statuses``, latest first."""
        columns = [c for c in SCREENING_JOBS.c if c.name != "rows"]
        statement = select(*columns)
        if statuses:
            statement = statement.where(
                SCREENING_JOBS.c.status.in_(sorted(s.value for s in statuses)))
        rows = self._connection.execute(statement.order_by(
            SCREENING_JOBS.c.submitted_at.desc(), SCREENING_JOBS.c.id).limit(max(limit, 0)))
        return [_job(row) for row in rows]

    def add_candidates(self, candidates: Sequence[Candidate]) -> int:
        """Store the candidates whose check and alert are not stored yet."""
        values: dict[str, dict[str, Any]] = {}
        for candidate in candidates:
            row = candidate_values(candidate)
            values.setdefault(row["check_key"], row)
        keys = sorted(values)
        for start in range(0, len(keys), IN_CHUNK):
            for known in self._connection.execute(select(CANDIDATES.c.check_key).where(
                    CANDIDATES.c.check_key.in_(keys[start:start + IN_CHUNK]))).scalars():
                values.pop(known, None)
        if values:
            self._connection.execute(insert(CANDIDATES), list(values.values()))
        return len(values)

    def candidate(self, candidate_id: str) -> Candidate | None:
        """A candidate by id."""
        row = self._connection.execute(
            select(CANDIDATES).where(CANDIDATES.c.id == candidate_id)).first()
        return None if row is None else candidate_of(row)

    def candidates(self, status: CandidateStatus | None, after: str | None,
                   limit: int) -> list[Candidate]:
        """Candidates by id, after ``after``."""
        statement = select(CANDIDATES)
        if status is not None:
            statement = statement.where(CANDIDATES.c.status == status.value)
        if after is not None:
            statement = statement.where(CANDIDATES.c.id > after)
        rows = self._connection.execute(statement.order_by(CANDIDATES.c.id)
                                        .limit(max(limit, 0)))
        return [candidate_of(row) for row in rows]

    def reviewed(self, candidate: Candidate) -> bool:
        """Store a decision on a candidate still pending."""
        changed = self._connection.execute(
            update(CANDIDATES).where(CANDIDATES.c.id == candidate.id,
                                     CANDIDATES.c.status == CandidateStatus.PENDING.value)
            .values(status=candidate.status.value, reviewed_by=candidate.reviewed_by,
                    reviewed_at=candidate.reviewed_at,
                    justification=candidate.justification, hit_id=candidate.hit_id))
        return changed.rowcount == 1

    def count_candidates(self) -> dict[CandidateStatus, int]:
        """Candidates per status."""
        rows = self._connection.execute(
            select(CANDIDATES.c.status, func.count()).group_by(CANDIDATES.c.status))
        counts = dict.fromkeys(CandidateStatus, 0)
        counts.update({CandidateStatus(row[0]): int(row[1]) for row in rows})
        return counts

    def mark(self, name: str) -> int:
        """How far the follower ``name`` has worked."""
        seq = self._connection.execute(
            select(SCREENING_MARKS.c.seq).where(SCREENING_MARKS.c.name == name)).scalar()
        return int(seq or 0)

    def set_mark(self, name: str, seq: int) -> None:
        """Store how far the follower ``name`` has worked."""
        changed = self._connection.execute(
            update(SCREENING_MARKS).where(SCREENING_MARKS.c.name == name).values(seq=seq))
        if changed.rowcount == 0:
            self._connection.execute(insert(SCREENING_MARKS), [{"name": name, "seq": seq}])
