"""Creating, reading, changing, searching and erasing records, under the policy and the audit log.

Invariants:
- every read path filters through ``policy.decide``: a record the caller may not see is reported
  as not found (its existence is not disclosed);
- consulting personal data needs a justification, and is logged with it;
- data and its audit entries are written in the same transaction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from passerelle.domain.audit import AuditAction, AuditEvent
from passerelle.domain.markings import Markings
from passerelle.domain.policy import Action, decide, visibility
from passerelle.domain.records import (
    KIND_OF,
    Details,
    Document,
    Person,
    Record,
    RecordKind,
    new_record_id,
)
from passerelle.errors import (
    Forbidden,
    NotFound,
    ReviewOverdue,
    ValidationFailed,
    VersionConflict,
)
from passerelle.ports import Clock, RecordQuery, UnitOfWork, UnitOfWorkFactory
from passerelle.services.caller import Caller
from passerelle.services.record_calendar import RecordCalendar
from passerelle.services.record_links import check_referring_limit, visible_referring
from passerelle.services.releases import ReleasePlanner

PERSONAL_KINDS = frozenset({RecordKind.PERSON, RecordKind.DOCUMENT, RecordKind.ALERT,
                            RecordKind.OBJECT})  # a kept identity may be an individual
PERSONAL_DETAILS = (Person, Document)
SCAN_BATCHES = 20  # a page scans at most this many batches before returning what it has


@dataclass(frozen=True, slots=True)
class Page:
    """One page of search results; ``next_cursor`` is None on the last page."""

    records: list[Record]
    next_cursor: str | None


def _event(caller: Caller, action: AuditAction, record_id: str | None, **details: object
           ) -> AuditEvent:
    return AuditEvent(action, caller.actor, caller.user.agency_id, record_id,
                      caller.justification.strip(), dict(details))


class RecordService:
    """Use cases on records for users of this node."""

    def __init__(self, transactions: UnitOfWorkFactory, clock: Clock, agency_id: str,
                 default_review_days: int = 365) -> None:
        self._transactions = transactions
        self._clock = clock
        self._agency_id = agency_id
        self._review_days = default_review_days
        self._releases = ReleasePlanner(agency_id, clock)
        self._calendar = RecordCalendar(transactions, clock, agency_id)

    def _today(self) -> dt.date:
        return self._clock.now().date()

    def _with_review_date(self, markings: Markings, details: Details) -> Markings:
        if markings.review_date is not None or not isinstance(details, PERSONAL_DETAILS):
            return markings
        due = self._today() + dt.timedelta(days=self._review_days)
        return dataclasses.replace(markings, review_date=due)

    def _check(self, caller: Caller, record: Record, action: Action) -> None:
        verdict = decide(caller.user, record, action, self._today())
        if verdict.allowed:
            return
        if verdict.code == "review_overdue":
            raise ReviewOverdue(verdict.reason, field="review_date")
        if verdict.code != "role" and not visibility(caller.user, record).allowed:
            raise NotFound(f"no record {record.id}", field="id")
        raise Forbidden(verdict.reason)

    def _load(self, tx: UnitOfWork, record_id: str) -> Record:
        record = tx.records.get(record_id)
        if record is None:
            raise NotFound(f"no record {record_id}", field="id")
        return record

    def create(self, caller: Caller, markings: Markings, details: Details) -> Record:
        """Store a new record owned by this node's agency, version 1."""
        now = self._clock.now()
        record = Record(new_record_id(_kind(details)), self._agency_id,
                        self._with_review_date(markings, details), details, 1, now, now,
                        caller.user.id, caller.user.id)
        verdict = decide(caller.user, record, Action.CREATE, self._today())
        if not verdict:
            # Nothing to hide about a record that does not exist yet: say why, not "not found".
            raise Forbidden(verdict.reason)
        with self._transactions() as tx:
            tx.records.add([record])
            tx.audit.append([_event(caller, AuditAction.COLLECTION, record.id,
                                    kind=record.kind.value)])
            self._releases.written(tx, [record], new=True)
            tx.commit()
        return record

    def update(self, caller: Caller, record_id: str, expected_version: int,
               markings: Markings, details: Details) -> Record:
        """Make a new version; the previous one stays in the history."""
        with self._transactions() as tx:
            current = self._load(tx, record_id)
            self._check(caller, current, Action.EDIT)
            if type(details) is not type(current.details):
                raise ValidationFailed("a record cannot change kind", field="kind")
            if expected_version != current.version:
                raise VersionConflict(
                    f"version {expected_version} is not the latest ({current.version})",
                    field="version")
            if markings.review_date is None:
                markings = dataclasses.replace(markings,
                                               review_date=current.markings.review_date)
            updated = dataclasses.replace(
                current, markings=markings, details=details, version=current.version + 1,
                modified_at=self._clock.now(), modified_by=caller.user.id)
            tx.records.add_version(updated)
            tx.audit.append([_event(caller, AuditAction.ALTERATION, record_id,
                                    version=updated.version,
                                    changed=_changed_fields(current, updated))])
            self._releases.written(tx, [updated], new=False)
            tx.commit()
        return updated

    def review(self, caller: Caller, record_id: str, next_review: dt.date) -> Record:
        """A reviewer confirms the record is still needed and sets its next review date."""
        if next_review <= self._today():
            raise ValidationFailed("the next review date must be in the future",
                                   field="review_date")
        with self._transactions() as tx:
            current = self._load(tx, record_id)
            self._check(caller, current, Action.REVIEW)
            updated = dataclasses.replace(
                current, markings=dataclasses.replace(current.markings, review_date=next_review),
                version=current.version + 1, modified_at=self._clock.now(),
                modified_by=caller.user.id)
            tx.records.add_version(updated)
            tx.audit.append([_event(caller, AuditAction.REVIEW, record_id,
                                    next_review=next_review.isoformat())])
            self._releases.written(tx, [updated], new=False)
            tx.commit()
        return updated

    def get(self, caller: Caller, record_id: str) -> Record:
        """The latest version, if the caller may consult it."""
        with self._transactions() as tx:
            record = self._load(tx, record_id)
            self._consult(tx, caller, record, AuditAction.CONSULTATION)
            tx.commit()
        return record

    def history(self, caller: Caller, record_id: str) -> list[Record]:
        """Every version, oldest first, if the caller may consult the latest."""
        with self._transactions() as tx:
            record = self._load(tx, record_id)
            self._consult(tx, caller, record, AuditAction.CONSULTATION, history=True)
            versions = tx.records.history(record_id)
            tx.commit()
        return versions

    def referring(self, caller: Caller, record_id: str, limit: int = 100
                  ) -> list[tuple[str, Record]]:
        """The records pointing at ``record_id`` that the caller may see, each with the role
        the record plays there, ordered by kind then id (``services.record_links``).

        Rules as for ``get`` on the target (not found when hidden, a justification for
        personal data, a logged refusal), then as for ``search`` on what points at it: only
        records the caller may consult, and one audit entry, a consultation of the target
        naming the records returned."""
        check_referring_limit(limit)
        with self._transactions() as tx:
            target = self._load(tx, record_id)
            self._admit(tx, caller, target)
            found = visible_referring(tx, caller.user, record_id, limit, self._today())
            if any(record.holds_personal_data for _, record in found):
                caller.require_justification()
            tx.audit.append([_event(caller, AuditAction.CONSULTATION, record_id,
                                    list="referring", returned=[r.id for _, r in found])])
            tx.commit()
        return found

    def _consult(self, tx: UnitOfWork, caller: Caller, record: Record, action: AuditAction,
                 **details: object) -> None:
        self._admit(tx, caller, record)
        if record.holds_personal_data:
            tx.audit.append([_event(caller, action, record.id, **details)])

    def _admit(self, tx: UnitOfWork, caller: Caller, record: Record) -> None:
        """Raise unless the caller may consult ``record`` (with a justification for personal
        data); a refusal that hides the record is logged and committed before raising."""
        try:
            self._check(caller, record, Action.READ)
        except (NotFound, ReviewOverdue) as error:
            tx.audit.append([_event(caller, AuditAction.ACCESS_DENIED, record.id,
                                    reason=error.code)])
            tx.commit()
            raise
        if record.holds_personal_data:
            caller.require_justification()

    def search(self, caller: Caller, query: RecordQuery, after: str | None,
               limit: int) -> Page:
        """Records matching ``query`` that the caller may see, ordered by id."""
        caller.require(Action.READ)
        if _may_return_personal_data(query):
            caller.require_justification()
        with self._transactions() as tx:
            found, cursor = self._visible(tx, caller, query, after, limit, Action.READ)
            tx.audit.append([_event(caller, AuditAction.SEARCH, None, query=_describe(query),
                                    returned=[r.id for r in found])])
            tx.commit()
        return Page(found, cursor)

    def _visible(self, tx: UnitOfWork, caller: Caller, query: RecordQuery, after: str | None,
                 limit: int, action: Action) -> tuple[list[Record], str | None]:
        found: list[Record] = []
        today = self._today()
        batch = limit + 1  # one more than a page tells whether another page follows
        for _ in range(SCAN_BATCHES):
            candidates = tx.records.search(query, after, batch)
            for record in candidates:
                after = record.id
                if decide(caller.user, record, action, today).allowed:
                    found.append(record)
                    if len(found) == limit:
                        return found, after
            if len(candidates) < batch:
                return found, None
        return found, after

    def due_for_review(self, caller: Caller, within_days: int = 30, limit: int = 50
                       ) -> list[Record]:
        """Records falling due for review (``RecordCalendar.due_for_review``)."""
        return self._calendar.due_for_review(caller, within_days, limit)

    def expiring_alerts(self, caller: Caller, within_days: int = 14, limit: int = 50
                        ) -> list[Record]:
        """This node's alerts about to expire (``RecordCalendar.expiring_alerts``)."""
        return self._calendar.expiring_alerts(caller, within_days, limit)

    def export(self, caller: Caller, query: RecordQuery, batch: int = 1000
               ) -> Iterator[Record]:
        """Every record matching ``query`` that the caller may export, logged per batch."""
        caller.require(Action.EXPORT)
        if _may_return_personal_data(query):
            caller.require_justification()
        after: str | None = None
        while True:
            with self._transactions() as tx:
                found, after = self._visible(tx, caller, query, after, batch, Action.EXPORT)
                if found:
                    tx.audit.append([_event(caller, AuditAction.EXPORT, None,
                                            query=_describe(query),
                                            exported=[r.id for r in found])])
                tx.commit()
            yield from found
            if after is None:
                return

    def erase(self, caller: Caller, record_id: str) -> None:
        """Erase every version (LED Art. 16); the audit log keeps that it happened and why."""
        justification = caller.require_justification()
        with self._transactions() as tx:
            record = self._load(tx, record_id)
            self._check(caller, record, Action.ERASE)
            tx.records.erase(record_id)
            notified = self._releases.erased(tx, record_id, record.version)
            # LED Art. 16(6)/7(3): the recipients are told; the log says which.
            tx.audit.append([_event(caller, AuditAction.ERASURE, record_id,
                                    kind=record.kind.value, reason=justification,
                                    notified=notified)])
            tx.commit()


def _kind(details: Details) -> RecordKind:
    return KIND_OF[type(details)]


def _may_return_personal_data(query: RecordQuery) -> bool:
    return not query.kinds or bool(query.kinds & PERSONAL_KINDS)


def _describe(query: RecordQuery) -> dict[str, object]:
    return {
        "kinds": sorted(k.value for k in query.kinds),
        "name": query.name,
        "sounds_like": query.sounds_like,
        "document_number": query.document_number,
        "owner_agency": query.owner_agency,
        "time_from": query.time_from.isoformat() if query.time_from else None,
        "time_to": query.time_to.isoformat() if query.time_to else None,
    }


def _changed_fields(before: Record, after: Record) -> list[str]:
    changed = [f"markings.{f.name}" for f in dataclasses.fields(Markings)
               if getattr(before.markings, f.name) != getattr(after.markings, f.name)]
    changed += [f"details.{f.name}" for f in dataclasses.fields(before.details)
                if getattr(before.details, f.name) != getattr(after.details, f.name)]
    return changed
