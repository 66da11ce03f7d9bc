"""The outbox in SQL: objects waiting to be pushed to partners' nodes.

Due work is read from the index ``(delivered_at, next_attempt_at)``: undelivered rows have a
NULL ``delivered_at``, so the sender's question is one index range, however many delivered
rows are kept. Updates are guarded by ``delivered_at IS NULL``: a late failure report never
undoes a delivery that another sender confirmed meanwhile.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    bindparam,
    case,
    delete,
    func,
    insert,
    select,
    type_coerce,
    update,
)

from passerelle.domain.outbox import OutboxItem
from passerelle.ports import OutboxSummary
from passerelle.storage.conflicts import stored_meanwhile_is_conflict
from passerelle.storage.schema import OUTBOX
from passerelle.storage.types import UtcDateTime, as_utc


def _item(row: Any) -> OutboxItem:
    return OutboxItem(id=row.id, partner=row.partner, object=row.object,
                      object_id=row.object_id, object_version=row.object_version,
                      enqueued_at=row.enqueued_at, next_attempt_at=row.next_attempt_at,
                      attempts=row.attempts, delivered_at=row.delivered_at,
                      last_error=row.last_error)


def _when(condition: ColumnElement[bool], column: ColumnElement[dt.datetime]
          ) -> ColumnElement[dt.datetime]:
    """``column`` where ``condition`` holds, else NULL, read back as a ``UtcDateTime``."""
    return type_coerce(case((condition, column)), UtcDateTime())


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else as_utc(value)


IN_CHUNK = 1000  # ids per IN list: bound parameters per statement stay modest
_ORDER = (OUTBOX.c.next_attempt_at, OUTBOX.c.enqueued_at, OUTBOX.c.id)

# Built once, with the ids as an expanding parameter: a statement built per call with the ids
# as literals makes reference cycles that keep every id alive until the cyclic collector runs
# (which a bulk import pauses: a million-record import grew by ~150 bytes a record).
_DROP_PENDING = delete(OUTBOX).where(
    OUTBOX.c.partner == bindparam("partner"),
    OUTBOX.c.object_id.in_(bindparam("ids", expanding=True)),
    OUTBOX.c.delivered_at.is_(None))

class SqlOutboxRepository:
    """``ports.OutboxRepository`` over one connection."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, items: Sequence[OutboxItem]) -> None:
        """Store new items; ``Conflict`` (field ``id``) for an id stored already."""
        if not items:
            return
        with stored_meanwhile_is_conflict("an outbox item with this id exists", "id"):
            self._insert(items)

    def _insert(self, items: Sequence[OutboxItem]) -> None:
        self._connection.execute(insert(OUTBOX), [{
            "id": i.id, "partner": i.partner, "object": dict(i.object),
            "object_id": i.object_id, "object_version": i.object_version,
            "enqueued_at": i.enqueued_at, "attempts": i.attempts,
            "next_attempt_at": i.next_attempt_at, "delivered_at": i.delivered_at,
            "last_error": i.last_error} for i in items])

    def get(self, item_id: str) -> OutboxItem | None:
        """By id."""
        row = self._connection.execute(select(OUTBOX).where(OUTBOX.c.id == item_id)).first()
        return None if row is None else _item(row)

    def due(self, now: dt.datetime, limit: int, partner: str | None = None
            ) -> list[OutboxItem]:
        """Undelivered items due at ``now``, in the order they came due."""
        statement = select(OUTBOX).where(OUTBOX.c.delivered_at.is_(None),
                                         OUTBOX.c.next_attempt_at <= now)
        if partner is not None:
            statement = statement.where(OUTBOX.c.partner == partner)
        rows = self._connection.execute(statement.order_by(*_ORDER).limit(max(limit, 0)))
        return [_item(row) for row in rows]

    def delivered(self, item_ids: Sequence[str], at: dt.datetime) -> int:
        """Mark delivered those not delivered yet."""
        if not item_ids:
            return 0
        changed = self._connection.execute(
            update(OUTBOX).where(OUTBOX.c.id.in_(list(item_ids)),
                                 OUTBOX.c.delivered_at.is_(None))
            .values(delivered_at=at))
        return int(changed.rowcount)

    def failed(self, item_id: str, error: str, next_attempt_at: dt.datetime) -> bool:
        """One more failed attempt."""
        changed = self._connection.execute(
            update(OUTBOX).where(OUTBOX.c.id == item_id, OUTBOX.c.delivered_at.is_(None))
            .values(attempts=OUTBOX.c.attempts + 1, last_error=error,
                    next_attempt_at=next_attempt_at))
        return changed.rowcount == 1

    def postpone(self, partner: str, until: dt.datetime) -> int:
        """Move ``partner``'s undelivered items due before ``until`` to ``until``."""
        moved = self._connection.execute(
            update(OUTBOX).where(OUTBOX.c.partner == partner, OUTBOX.c.delivered_at.is_(None),
                                 OUTBOX.c.next_attempt_at < until)
            .values(next_attempt_at=until))
        return int(moved.rowcount)

    def pending_counts(self) -> dict[str, int]:
        """Undelivered items per partner."""
        rows = self._connection.execute(
            select(OUTBOX.c.partner, func.count()).where(OUTBOX.c.delivered_at.is_(None))
            .group_by(OUTBOX.c.partner))
        return {row[0]: int(row[1]) for row in rows}

    def partner_summary(self) -> dict[str, OutboxSummary]:
        """Counts and times per partner in one grouped query (``CASE`` inside the aggregates
        keeps to what SQLite and PostgreSQL both spell alike), then the last errors in a
        second one, each partner's ranked by ``next_attempt_at``."""
        pending = OUTBOX.c.delivered_at.is_(None)
        rows = self._connection.execute(
            select(OUTBOX.c.partner,
                   func.sum(case((pending, 1), else_=0)),
                   func.sum(case((and_(pending, OUTBOX.c.last_error.is_not(None)), 1),
                                 else_=0)),
                   func.min(_when(pending, OUTBOX.c.enqueued_at)),
                   func.min(_when(pending, OUTBOX.c.next_attempt_at)),
                   func.max(OUTBOX.c.delivered_at))
            .group_by(OUTBOX.c.partner))
        errors = self._last_errors()
        return {partner: OutboxSummary(
            pending=int(waiting or 0), failing=int(failing or 0),
            oldest_pending_at=_utc(oldest), next_attempt_at=_utc(next_at),
            last_delivered_at=_utc(delivered), last_error=errors.get(partner))
            for partner, waiting, failing, oldest, next_at, delivered in rows}

    def _last_errors(self) -> dict[str, str]:
        rank = func.row_number().over(partition_by=OUTBOX.c.partner,
                                      order_by=(OUTBOX.c.next_attempt_at.desc(),
                                                OUTBOX.c.id.desc())).label("rank")
        failed = (select(OUTBOX.c.partner, OUTBOX.c.last_error, rank)
                  .where(OUTBOX.c.delivered_at.is_(None), OUTBOX.c.last_error.is_not(None))
                  .subquery())
        rows = self._connection.execute(
            select(failed.c.partner, failed.c.last_error).where(failed.c.rank == 1))
        return {partner: error for partner, error in rows}

    def drop_pending(self, partner: str, object_ids: Sequence[str]) -> int:
        """Delete the undelivered items of these objects for ``partner``."""
        wanted = sorted(set(object_ids))
        dropped = 0
        for start in range(0, len(wanted), IN_CHUNK):
            dropped += int(self._connection.execute(
                _DROP_PENDING, {"partner": partner, "ids": wanted[start:start + IN_CHUNK]}
            ).rowcount)
        return dropped

    def purge_delivered(self, before: dt.datetime) -> int:
        """Delete the items delivered before ``before``."""
        purged = self._connection.execute(
            delete(OUTBOX).where(OUTBOX.c.delivered_at < before))
        return int(purged.rowcount)
