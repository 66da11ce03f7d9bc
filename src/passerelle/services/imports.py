"""Bulk import of records (from STIX bundles, files, partners), reported object by object.

Each candidate is either a ``Record`` read from the input or the error that reading it raised,
so that one bad object is reported with its index and field while the others go on. With
``atomic=True`` (file imports), any rejection stores nothing; otherwise (API and TAXII bulk
paths) the valid objects are stored and the rejected ones reported, as TAXII does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from enum import Enum

from passerelle.domain.audit import AuditAction, AuditEvent
from passerelle.domain.policy import Action, decide, decide_receipt
from passerelle.domain.records import Record
from passerelle.errors import PasserelleError
from passerelle.ports import Clock, UnitOfWork, UnitOfWorkFactory
from passerelle.services.caller import Caller
from passerelle.services.releases import ReleasePlanner

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


def _not_stored(outcome: ImportOutcome) -> ImportOutcome:
    """An outcome as it stands once an atomic import was abandoned."""
    if outcome.status is ImportStatus.REJECTED:
        return outcome
    return ImportOutcome(outcome.index, outcome.record_id, ImportStatus.NOT_STORED, None, None,
                         "another object was rejected")


def _rejected(index: int, record_id: str | None, error: PasserelleError) -> ImportOutcome:
    return ImportOutcome(index, record_id, ImportStatus.REJECTED, error.code, error.field,
                         error.detail)


class ImportService:
    """Stores many records in one transaction with one audit entry each."""

    def __init__(self, transactions: UnitOfWorkFactory, clock: Clock,
                 agency_id: str | None = None) -> None:
        self._transactions = transactions
        self._clock = clock
        self._agency_id = agency_id or ""
        self._releases = ReleasePlanner(agency_id, clock) if agency_id else None

    def _screen(self, caller: Caller, candidates: Sequence[Record | PasserelleError],
                offset: int, seen: set[int], receipt: bool = False
                ) -> tuple[list[ImportOutcome | None], list[tuple[int, Record]]]:
        outcomes: list[ImportOutcome | None] = [None] * len(candidates)
        accepted: list[tuple[int, Record]] = []
        today = self._clock.now().date()
        for position, candidate in enumerate(candidates):
            index = offset + position
            if isinstance(candidate, Record) and not receipt and not candidate.created_by:
                # Another producer's object: created in Passerelle by whoever imports it.
                candidate = replace(candidate, created_by=caller.user.id)
            if isinstance(candidate, PasserelleError):
                outcomes[position] = _rejected(index, None, candidate)
            elif hash(candidate.id) in seen:  # ids' hashes (~70 bytes each in a set), not ids
                outcomes[position] = ImportOutcome(index, candidate.id, ImportStatus.REJECTED,
                                                   "conflict", "id", "the same id twice in "
                                                   "one import")
            elif not (verdict := decide_receipt(candidate, self._agency_id) if receipt
                      else decide(caller.user, candidate, Action.CREATE, today)):
                outcomes[position] = ImportOutcome(index, candidate.id, ImportStatus.REJECTED,
                                                   "forbidden", None, verdict.reason)
            else:
                seen.add(hash(candidate.id))
                accepted.append((position, candidate))
        return outcomes, accepted

    def import_records(self, caller: Caller, candidates: Sequence[Record | PasserelleError],
                       *, atomic: bool) -> list[ImportOutcome]:
        """Store what can be stored; return one outcome per candidate, in input order."""
        chunks = (candidates[start:start + CHUNK] for start in range(0, len(candidates), CHUNK))
        return self.import_stream(caller, chunks, atomic=atomic)

    def import_stream(self, caller: Caller,
                      chunks: Iterable[Sequence[Record | PasserelleError]], *, atomic: bool,
                      progress: Callable[[int], None] | None = None,
                      receipt: bool = False,
                      on_outcomes: Callable[[list[ImportOutcome]], None] | None = None,
                      ) -> list[ImportOutcome]:
        """Like ``import_records`` for candidates that arrive in chunks (a large file being
        read): each chunk is stored as it comes, all in one transaction, so that reading the
        next chunk overlaps with storing this one. With ``atomic``, one rejection anywhere
        rolls everything back and the valid objects are reported ``not_stored``. With
        ``receipt`` (records a partner's node sent), each record is checked with
        ``policy.decide_receipt`` for this node's agency instead of the caller's reach.

        With ``on_outcomes`` (a file of millions of objects), each chunk's outcomes are handed
        to it as they come and not kept: the import holds one chunk in memory, and returns
        nothing. They are the outcomes as stored; if an atomic import is then abandoned, the
        caller knows it from the rejections it was handed."""
        caller.require(Action.CREATE)
        outcomes: list[ImportOutcome] = []
        seen: set[int] = set()
        rejected = False
        offset = 0
        with self._transactions() as tx:
            for chunk in chunks:
                placed, accepted = self._screen(caller, chunk, offset, seen, receipt)
                rejected = rejected or len(accepted) < len(chunk)
                if not (atomic and rejected):
                    self._store_chunk(tx, caller, accepted, placed, offset)
                offset += len(chunk)
                found = [o for o in placed if o is not None]
                if on_outcomes is not None:
                    on_outcomes(found)
                else:
                    outcomes.extend(found)
                if progress is not None:
                    progress(len(chunk))
            if atomic and rejected:
                return [_not_stored(o) for o in outcomes]
            tx.commit()
        return outcomes

    def _store_chunk(self, tx: UnitOfWork, caller: Caller, chunk: list[tuple[int, Record]],
                     outcomes: list[ImportOutcome | None], offset: int) -> None:
        stored = {r.id: r for r in tx.records.get_many([r.id for _, r in chunk])}
        fresh: list[Record] = []
        changed: list[Record] = []
        events: list[AuditEvent] = []
        for position, record in chunk:
            previous = stored.get(record.id)
            outcome = self._place(tx, caller, offset + position, record, previous, fresh,
                                  changed)
            outcomes[position] = outcome
            if outcome.status in (ImportStatus.CREATED, ImportStatus.UPDATED):
                action = AuditAction.COLLECTION if previous is None else AuditAction.ALTERATION
                events.append(AuditEvent(action, caller.actor, caller.user.agency_id,
                                         record.id, caller.justification.strip(),
                                         {"import": True, "version": record.version}))
        tx.records.add(fresh)
        tx.audit.append(events)
        if self._releases is not None:
            self._releases.written(tx, fresh, new=True)
            self._releases.written(tx, changed, new=False)

    def _place(self, tx: UnitOfWork, caller: Caller, index: int, record: Record,
               previous: Record | None, fresh: list[Record],
               changed: list[Record]) -> ImportOutcome:
        if previous is None:
            fresh.append(record)
            return ImportOutcome(index, record.id, ImportStatus.CREATED)
        if record.version <= previous.version and (
                record.version > 1 or record.modified_at <= previous.modified_at):
            return ImportOutcome(index, record.id, ImportStatus.UNCHANGED)
        # A later version, or another producer's object (always version 1: STIX versions by
        # its ``modified``) modified since it was stored.
        if not decide(caller.user, previous, Action.EDIT, self._clock.now().date()):
            return ImportOutcome(index, record.id, ImportStatus.REJECTED, "forbidden", None,
                                 "may not change the stored record")
        newer = replace(record, version=previous.version + 1)
        tx.records.add_version(newer)
        changed.append(newer)
        return ImportOutcome(index, record.id, ImportStatus.UPDATED)
