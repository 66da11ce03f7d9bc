"""What falls due among this node's records: reviews (LED Art. 5: personal data is kept no
longer than needed) and alerts reaching the end of their validity. Both lists are read from
an index in date order and filtered under the policy, like a search page, and audited as a
search."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from passerelle.domain.audit import AuditAction, AuditEvent
from passerelle.domain.policy import Action, decide, may_act
from passerelle.domain.records import Alert, AlertStatus, Record, RecordKind
from passerelle.errors import ValidationFailed
from passerelle.ports import Clock, UnitOfWork, UnitOfWorkFactory
from passerelle.services.caller import Caller

SCAN_BATCHES = 20  # a list scans at most this many batches before returning what it has
MAX_WINDOW_DAYS = 3660  # how far ahead the lists of records falling due may look
MAX_LISTED = 1000
P = TypeVar("P", tuple[dt.date, str], tuple[dt.datetime, str])
Fetch = Callable[[UnitOfWork, P | None, int], list[Record]]
"""Reads one batch of a list of records falling due, after a keyset position."""


class RecordCalendar:
    """The records of the node of ``agency_id`` that fall due."""

    def __init__(self, transactions: UnitOfWorkFactory, clock: Clock, agency_id: str) -> None:
        self._transactions = transactions
        self._clock = clock
        self._agency_id = agency_id

    def _today(self) -> dt.date:
        return self._clock.now().date()

    def due_for_review(self, caller: Caller, within_days: int = 30, limit: int = 50
                       ) -> list[Record]:
        """Up to ``limit`` records of this node's agency whose review date is on or before
        today + ``within_days``: overdue ones first, then by review date (then id).

        Rules as for ``search``: the ``read`` role, a justification (the list may show
        personal data), one ``search`` audit entry naming what was returned, and only the
        records the caller may consult. An overdue record is blocked for consultation, so it
        is listed only to whoever may review it (``Action.REVIEW``: reviewers); for anyone
        else the index is read from today on, so that overdue records cannot crowd out the
        ones still to come. Read from an index in review-date order; like a search page, the
        scan gives up after ``SCAN_BATCHES`` batches of records the caller may not see.
        """
        _check_window(within_days, limit)
        caller.require(Action.READ)
        caller.require_justification()
        today = self._today()
        until = today + dt.timedelta(days=within_days)
        # Just before the first record due today: every id sorts below U+FFFF.
        floor = None if may_act(caller.user, Action.REVIEW) else \
            (today - dt.timedelta(days=1), "\uffff")

        def fetch(tx: UnitOfWork, after: tuple[dt.date, str] | None, batch: int
                  ) -> list[Record]:
            if floor is not None and (after is None or after < floor):
                after = floor
            return tx.records.due_for_review(self._agency_id, until, after, batch)

        def listed(record: Record) -> bool:
            action = Action.REVIEW if record.markings.review_overdue(today) else Action.READ
            return decide(caller.user, record, action, today).allowed

        return self._listing(caller, fetch, _review_position, listed, limit, {
            "list": "due_for_review", "within_days": within_days,
            "review_date_to": until.isoformat()})

    def expiring_alerts(self, caller: Caller, within_days: int = 14, limit: int = 50
                        ) -> list[Record]:
        """Up to ``limit`` active alerts of this node's agency whose ``valid_until`` is after
        now and at most ``within_days`` days ahead, soonest first (then by id).

        Rules as for ``search``: the ``read`` role, a justification (alerts are personal
        data), one ``search`` audit entry, and only alerts the caller may consult. Withdrawn
        alerts are left out: they no longer expire.

        ``valid_until`` (like ``review_date``) is a column of ``records``, kept by the store
        from the latest version and filled for older rows by migration 0009, rather than a
        JSON expression on the body: one index ``(owner_agency, valid_until, id)`` serves both
        databases and yields the alerts already in expiry order, and on SQLite only the
        column's fixed-width UTC text compares correctly with other times.
        """
        _check_window(within_days, limit)
        caller.require(Action.READ)
        caller.require_justification()
        now = self._clock.now()
        until = now + dt.timedelta(days=within_days)
        today = now.date()

        def fetch(tx: UnitOfWork, after: tuple[dt.datetime, str] | None, batch: int
                  ) -> list[Record]:
            return tx.records.expiring(self._agency_id, frozenset({RecordKind.ALERT}), now,
                                       until, after, batch)

        def listed(record: Record) -> bool:
            return (isinstance(record.details, Alert)
                    and record.details.status is AlertStatus.ACTIVE
                    and decide(caller.user, record, Action.READ, today).allowed)

        return self._listing(caller, fetch, _expiry_position, listed, limit, {
            "list": "expiring_alerts", "within_days": within_days,
            "valid_until_to": until.isoformat()})

    def _listing(self, caller: Caller, fetch: Fetch[P], position: Callable[[Record], P],
                 listed: Callable[[Record], bool], limit: int, query: dict[str, object]
                 ) -> list[Record]:
        found: list[Record] = []
        after: P | None = None
        with self._transactions() as tx:
            for _ in range(SCAN_BATCHES):
                batch = fetch(tx, after, limit)
                found.extend(record for record in batch if listed(record))
                if len(found) >= limit or len(batch) < limit:
                    break
                after = position(batch[-1])
            found = found[:limit]
            tx.audit.append([_search_event(caller, found, query)])
            tx.commit()
        return found


def _check_window(within_days: int, limit: int) -> None:
    if not 0 <= within_days <= MAX_WINDOW_DAYS:
        raise ValidationFailed(f"0 to {MAX_WINDOW_DAYS} days", field="within_days")
    if not 1 <= limit <= MAX_LISTED:
        raise ValidationFailed(f"1 to {MAX_LISTED}", field="limit")


def _review_position(record: Record) -> tuple[dt.date, str]:
    due = record.markings.review_date
    assert due is not None  # the store lists records with a review date only
    return due, record.id


def _expiry_position(record: Record) -> tuple[dt.datetime, str]:
    assert isinstance(record.details, Alert)  # the store lists alerts only
    return record.details.valid_until, record.id


def _search_event(caller: Caller, found: list[Record], query: dict[str, object]) -> AuditEvent:
    return AuditEvent(AuditAction.SEARCH, caller.actor, caller.user.agency_id, None,
                      caller.justification.strip(), {"query": query,
                                                     "returned": [r.id for r in found]})
