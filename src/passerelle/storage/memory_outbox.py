"""The outbox in memory, for the in-memory unit of work (``storage.memory``).

Isolated like the other in-memory tables: a unit of work works on a copy of the committed
items and, on commit, writes back exactly the items it changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from passerelle.domain.outbox import OutboxItem
from passerelle.errors import Conflict
from passerelle.ports import OutboxSummary
from passerelle.storage.types import as_utc


def _order(item: OutboxItem) -> tuple[dt.datetime, dt.datetime, str]:
    return as_utc(item.next_attempt_at), as_utc(item.enqueued_at), item.id


def _summary(items: list[OutboxItem]) -> OutboxSummary:
    pending = [i for i in items if i.delivered_at is None]
    failing = sorted((i for i in pending if i.last_error is not None),
                     key=lambda i: (as_utc(i.next_attempt_at), i.id))
    delivered = [as_utc(i.delivered_at) for i in items if i.delivered_at is not None]
    return OutboxSummary(
        pending=len(pending), failing=len(failing),
        oldest_pending_at=min((as_utc(i.enqueued_at) for i in pending), default=None),
        next_attempt_at=min((as_utc(i.next_attempt_at) for i in pending), default=None),
        last_delivered_at=max(delivered, default=None),
        last_error=failing[-1].last_error if failing else None)


class MemoryOutboxRepository:
    """``ports.OutboxRepository`` in memory: this unit of work's copy of the items."""

    def __init__(self, committed: dict[str, OutboxItem]) -> None:
        self.rows = dict(committed)
        self.dirty: set[str] = set()

    def _put(self, item: OutboxItem) -> None:
        self.rows[item.id] = item
        self.dirty.add(item.id)

    def _drop(self, item_id: str) -> None:
        self.rows.pop(item_id, None)
        self.dirty.add(item_id)

    def add(self, items: Sequence[OutboxItem]) -> None:
        ids = [item.id for item in items]
        if len(set(ids)) != len(ids) or set(ids) & self.rows.keys():
            raise Conflict("an outbox item with this id exists", field="id")
        for item in items:
            self._put(replace(item, object=dict(item.object)))

    def get(self, item_id: str) -> OutboxItem | None:
        return self.rows.get(item_id)

    def due(self, now: dt.datetime, limit: int, partner: str | None = None
            ) -> list[OutboxItem]:
        found = sorted((i for i in self.rows.values() if i.delivered_at is None
                        and as_utc(i.next_attempt_at) <= as_utc(now)
                        and (partner is None or i.partner == partner)), key=_order)
        return found[:max(limit, 0)]

    def delivered(self, item_ids: Sequence[str], at: dt.datetime) -> int:
        marked = 0
        for item_id in dict.fromkeys(item_ids):
            item = self.rows.get(item_id)
            if item is not None and item.delivered_at is None:
                self._put(replace(item, delivered_at=at))
                marked += 1
        return marked

    def failed(self, item_id: str, error: str, next_attempt_at: dt.datetime) -> bool:
        item = self.rows.get(item_id)
        if item is None or item.delivered_at is not None:
            return False
        self._put(replace(item, attempts=item.attempts + 1, last_error=error,
                          next_attempt_at=next_attempt_at))
        return True

    def postpone(self, partner: str, until: dt.datetime) -> int:
        moved = [i for i in self.rows.values() if i.partner == partner
                 and i.delivered_at is None and as_utc(i.next_attempt_at) < as_utc(until)]
        for item in moved:
            self._put(replace(item, next_attempt_at=until))
        return len(moved)

    def pending_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for item in self.rows.values():
            if item.delivered_at is None:
                counts[item.partner] = counts.get(item.partner, 0) + 1
        return counts

    def partner_summary(self) -> dict[str, OutboxSummary]:
        by_partner: dict[str, list[OutboxItem]] = {}
        for item in self.rows.values():
            by_partner.setdefault(item.partner, []).append(item)
        return {partner: _summary(items) for partner, items in by_partner.items()}

    def drop_pending(self, partner: str, object_ids: Sequence[str]) -> int:
        wanted = set(object_ids)
        dropped = [i.id for i in self.rows.values() if i.partner == partner
                   and i.object_id in wanted and i.delivered_at is None]
        for item_id in dropped:
            self._drop(item_id)
        return len(dropped)

    def purge_delivered(self, before: dt.datetime) -> int:
        purged = [i.id for i in self.rows.values()
                  if i.delivered_at is not None and as_utc(i.delivered_at) < as_utc(before)]
        for item_id in purged:
            self._drop(item_id)
        return len(purged)

    def apply_to(self, committed: dict[str, OutboxItem]) -> None:
        """Write this unit of work's changes into the committed items."""
        for item_id in self.dirty:
            if item_id in self.rows:
                committed[item_id] = self.rows[item_id]
            else:
                committed.pop(item_id, None)
        self.dirty.clear()
