"""Objects waiting to be pushed to partners' nodes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from passerelle.domain.outbox import OutboxItem


@dataclass(frozen=True, slots=True)
class OutboxSummary:
    """The delivery state of one partner's outbox items.

    ``pending`` counts the undelivered items, ``failing`` those of them that failed at least
    once; ``oldest_pending_at`` is the ``enqueued_at`` of the oldest undelivered one and
    ``next_attempt_at`` the earliest time one of them will be tried. ``last_delivered_at`` is
    the latest delivery among the delivered items still kept (they are purged after a while).
    ``last_error`` is the error of the undelivered failed item with the latest
    ``next_attempt_at``: no failure time is stored, and a retry is scheduled from the time of
    the failure, so that item is (nearly always) the one that failed last.
    """

    pending: int = 0
    failing: int = 0
    oldest_pending_at: dt.datetime | None = None
    next_attempt_at: dt.datetime | None = None
    last_delivered_at: dt.datetime | None = None
    last_error: str | None = None


class OutboxRepository(Protocol):
    """Objects waiting to be pushed to partners' nodes, and those delivered (kept until
    purged). Items are never changed except through ``delivered`` and ``failed``."""

    def add(self, items: Sequence[OutboxItem]) -> None:
        """Store new items; ``Conflict`` (field ``id``) for an id stored already."""
        ...

    def get(self, item_id: str) -> OutboxItem | None:
        """By id, delivered or not."""
        ...

    def due(self, now: dt.datetime, limit: int, partner: str | None = None
            ) -> list[OutboxItem]:
        """Up to ``limit`` undelivered items whose ``next_attempt_at`` is not after ``now``
        (of ``partner`` only, when given), by ``next_attempt_at``, then ``enqueued_at``, then
        id."""
        ...

    def delivered(self, item_ids: Sequence[str], at: dt.datetime) -> int:
        """Mark delivered at ``at`` those not delivered yet; how many were marked."""
        ...

    def failed(self, item_id: str, error: str, next_attempt_at: dt.datetime) -> bool:
        """Count one more failed attempt, keep ``error`` and set the next attempt; False (and
        nothing changes) when the item is unknown or delivered already."""
        ...

    def postpone(self, partner: str, until: dt.datetime) -> int:
        """Make every undelivered item of ``partner`` due at ``until`` at the earliest (the
        partner is down: none of its items is worth trying before); how many moved."""
        ...

    def pending_counts(self) -> dict[str, int]:
        """How many undelivered items each partner has (partners with none are left out)."""
        ...

    def partner_summary(self) -> dict[str, OutboxSummary]:
        """Each partner's ``OutboxSummary``, computed by the store (aggregates, not rows);
        partners without any item kept are left out."""
        ...

    def drop_pending(self, partner: str, object_ids: Sequence[str]) -> int:
        """Delete the undelivered items of these objects for ``partner`` (a later version
        supersedes them); how many were deleted."""
        ...

    def purge_delivered(self, before: dt.datetime) -> int:
        """Delete the items delivered before ``before``; how many were deleted."""
        ...
