"""Bulk import of records (from STIX bundles, files, partners), reported object by object.

Each candidate is either a ``Record`` read from the input or the error that reading it raised,
so that one bad object is reported with its index and field while the others go on. With
``atomic=True`` (file imports), any rejection stores nothing; otherwise (API and TAXII bulk
paths) the valid objects are stored and the rejected ones reported, as TAXII does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import Enum

from passerelle.domain.audit import AuditAction, AuditEvent
from passerelle.domain.policy import ROLES_FOR, Action, decide
from passerelle.domain.records import Record
from passerelle.errors import Forbidden, PasserelleError
from passerelle.ports import Clock, UnitOfWork, UnitOfWorkFactory
from passerelle.services.caller import Caller

CHUNK = 2000


class ImportStatus(str, Enum):
    """What happened to one object."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"  # already stored at this version or a later one
    REJECTED = "rejected"
    NOT_STORED = "not_stored"  # valid, but an atomic import was abandoned


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """The fate of the object at ``index`` in the input."""

    index: int
    record_id: str | None
    status: ImportStatus
    code: str | None = None
    field: str | None = None
    detail: str | None = None


def _rejected(index: int, record_id: str | None, error: PasserelleError) -> ImportOutcome:
    return ImportOutcome(index, record_id, ImportStatus.REJECTED, error.code, error.field,
                         error.detail)


class ImportService:
    """Stores many records in one transaction with one audit entry each."""

    def __init__(self, transactions: UnitOfWorkFactory, clock: Clock) -> None:
        self._transactions = transactions
        self._clock = clock

    def _screen(self, caller: Caller, candidates: Sequence[Record | PasserelleError]
                ) -> tuple[list[ImportOutcome | None], list[tuple[int, Record]]]:
        outcomes: list[ImportOutcome | None] = [None] * len(candidates)
        accepted: list[tuple[int, Record]] = []
        seen: set[str] = set()
        today = self._clock.now().date()
        for index, candidate in enumerate(candidates):
            if isinstance(candidate, PasserelleError):
                outcomes[index] = _rejected(index, None, candidate)
            elif candidate.id in seen:
                outcomes[index] = ImportOutcome(index, candidate.id, ImportStatus.REJECTED,
                                                "conflict", "id", "the same id twice in one "
                                                "import")
            elif not (verdict := decide(caller.user, candidate, Action.CREATE, today)):
                outcomes[index] = ImportOutcome(index, candidate.id, ImportStatus.REJECTED,
                                                "forbidden", None, verdict.reason)
            else:
                seen.add(candidate.id)
                accepted.append((index, candidate))
        return outcomes, accepted

    def import_records(self, caller: Caller, candidates: Sequence[Record | PasserelleError],
                       *, atomic: bool) -> list[ImportOutcome]:
        """Store what can be stored; return one outcome per candidate, in input order."""
        if not caller.user.active or not caller.user.roles & ROLES_FOR[Action.CREATE]:
            raise Forbidden("importing records needs the analyst role")
        outcomes, accepted = self._screen(caller, candidates)
        if atomic and len(accepted) < len(candidates):
            for index, record in accepted:
                outcomes[index] = ImportOutcome(index, record.id, ImportStatus.NOT_STORED,
                                                None, None, "another object was rejected")
            return [o for o in outcomes if o is not None]
        with self._transactions() as tx:
            for start in range(0, len(accepted), CHUNK):
                self._store_chunk(tx, caller, accepted[start:start + CHUNK], outcomes)
            tx.commit()
        return [o for o in outcomes if o is not None]

    def _store_chunk(self, tx: UnitOfWork, caller: Caller, chunk: list[tuple[int, Record]],
                     outcomes: list[ImportOutcome | None]) -> None:
        stored = {r.id: r for r in tx.records.get_many([r.id for _, r in chunk])}
        fresh: list[Record] = []
        events: list[AuditEvent] = []
        for index, record in chunk:
            previous = stored.get(record.id)
            outcome = self._place(tx, caller, index, record, previous, fresh)
            outcomes[index] = outcome
            if outcome.status in (ImportStatus.CREATED, ImportStatus.UPDATED):
                action = AuditAction.COLLECTION if previous is None else AuditAction.ALTERATION
                events.append(AuditEvent(action, caller.actor, caller.user.agency_id,
                                         record.id, caller.justification.strip(),
                                         {"import": True, "version": record.version}))
        tx.records.add(fresh)
        tx.audit.append(events)

    def _place(self, tx: UnitOfWork, caller: Caller, index: int, record: Record,
               previous: Record | None, fresh: list[Record]) -> ImportOutcome:
        if previous is None:
            fresh.append(record)
            return ImportOutcome(index, record.id, ImportStatus.CREATED)
        if record.version <= previous.version:
            return ImportOutcome(index, record.id, ImportStatus.UNCHANGED)
        if not decide(caller.user, previous, Action.EDIT, self._clock.now().date()):
            return ImportOutcome(index, record.id, ImportStatus.REJECTED, "forbidden", None,
                                 "may not change the stored record")
        tx.records.add_version(replace(record, version=previous.version + 1))
        return ImportOutcome(index, record.id, ImportStatus.UPDATED)
