"""The outbox of objects to push to partners' nodes (``domain.outbox``): enqueue, hand due
work to the sender, record each attempt's outcome.

Enqueue in the transaction of the change that causes the push (``enqueue_in``), so that the
change and its push are stored together or not at all: a change committed without its push
would reach the partner only at its next pull, and a push without its change would tell the
partner about something that never happened. ``revocations_in`` is what the release planner
calls for every feed entry it appends: a withdrawal or an erasure becomes an urgent revocation
for that partner; a version shared again drops the revocations of that object still waiting
for that partner, which the new version supersedes (posted late, they would erase it).

The outbox does not decide what may go to a partner: whoever enqueues has done that already
(the planner, with the release policy and the transfer law). A revocation carries no content.
An object with content must be recorded in the transfer register by whoever enqueues it.

``OutboxService`` serves the sender (``federation.outbox.OutboxSender``): ``due`` work,
``delivered``, ``failed`` with exponential back-off (``domain.outbox.retry_delay``). A sender
may register a callback with ``on_enqueue`` to be woken when ``enqueue`` commits urgent work;
``enqueue_in`` cannot (its transaction is the caller's), so the sender also polls.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from passerelle.domain.outbox import (
    BATCH_DELAY,
    PARTNER_MAX_RETRY,
    OutboxItem,
    retry_delay,
    short_error,
    version_of,
)
from passerelle.domain.releases import Change, Release
from passerelle.errors import NotFound, ValidationFailed
from passerelle.interop.stix.identifiers import split_stix_id, stix_id
from passerelle.interop.stix.revocation import revocation
from passerelle.ports import Clock, UnitOfWork, UnitOfWorkFactory

OBJECT_ID_MAX = 300  # a STIX type (up to 250 characters), "--" and a UUID
RETAIN_DELIVERED = dt.timedelta(days=7)
"""How long delivered items are kept (to answer "was it delivered, when?") before a purge."""


def _checked(objects: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    for index, obj in enumerate(objects):
        field = f"objects[{index}].id"
        if not isinstance(obj, Mapping) or not isinstance(obj.get("id"), str):
            raise ValidationFailed("each object needs a string id", field=field)
        split_stix_id(obj["id"], field)  # InvalidStix unless type--UUID
        if len(obj["id"]) > OBJECT_ID_MAX:
            raise ValidationFailed(f"at most {OBJECT_ID_MAX} characters", field=field)
    return list(objects)


def enqueue_in(tx: UnitOfWork, now: dt.datetime, partner: str,
               objects: Sequence[Mapping[str, Any]], *, urgent: bool) -> list[OutboxItem]:
    """Add ``objects`` for ``partner`` to the outbox in the caller's transaction ``tx``.

    An urgent object is due at once; another waits up to ``BATCH_DELAY`` to travel with
    others. Each object needs a STIX ``id`` (``type--UUID``, at most ``OBJECT_ID_MAX``
    characters; ``ValidationFailed`` naming it otherwise).
    """
    due = now if urgent else now + BATCH_DELAY
    items = [OutboxItem(id=str(uuid.uuid4()), partner=partner, object=dict(obj),
                        object_id=str(obj["id"]), object_version=version_of(obj),
                        enqueued_at=now, next_attempt_at=due)
             for obj in _checked(objects)]
    tx.outbox.add(items)
    return items


def revocations_in(tx: UnitOfWork, now: dt.datetime, releases: Sequence[Release]) -> int:
    """Push what ``releases`` (feed entries just appended in ``tx``) tell partners at once:
    a revocation for each withdrawal or erasure; a shared version drops the revocations of
    the same object still waiting for that partner. Returns the number enqueued.

    The revocation is the object the partner's feed serves for the entry
    (``interop.stix.revocation``), so a node that gets it both ways stores one version.
    """
    shared: dict[str, list[str]] = {}
    enqueued = 0
    for release in releases:
        if release.change is Change.SHARED:
            shared.setdefault(release.partner, []).append(stix_id(release.record_id))
            continue
        enqueue_in(tx, now, release.partner,
                   [revocation(release.record_id, release.date_added)], urgent=True)
        enqueued += 1
    for partner, object_ids in shared.items():
        tx.outbox.drop_pending(partner, object_ids)
    return enqueued


class OutboxService:
    """The outbox of the node of ``agency_id``: for the node's own machinery, not for users
    (see the module docstring)."""

    def __init__(self, transactions: UnitOfWorkFactory, clock: Clock, agency_id: str) -> None:
        self._transactions = transactions
        self._clock = clock
        self._agency_id = agency_id
        self._listeners: list[Callable[[], None]] = []

    def on_enqueue(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Call ``callback`` (quick, never raising) after ``enqueue`` committed urgent work,
        until the function returned is called."""
        self._listeners.append(callback)
        return lambda: self._listeners.remove(callback)

    def notify_urgent(self) -> None:
        """Wake the registered senders: urgent work was committed by ``enqueue_in`` in a
        transaction of the caller's (a hit report, a reply)."""
        for listener in list(self._listeners):
            listener()

    def enqueue(self, partner: str, objects: Sequence[Mapping[str, Any]], *,
                urgent: bool) -> list[OutboxItem]:
        """Add ``objects`` for ``partner`` in a transaction of their own (``enqueue_in`` when
        there is a change to store with them). ``NotFound`` (field ``partner``) for an agency
        this node does not know, ``ValidationFailed`` for this node's own."""
        if partner == self._agency_id:
            raise ValidationFailed("a node does not push to itself", field="partner")
        with self._transactions() as tx:
            if tx.agencies.get(partner) is None:
                raise NotFound(f"no agency {partner}", field="partner")
            items = enqueue_in(tx, self._clock.now(), partner, objects, urgent=urgent)
            tx.commit()
        if urgent and items:
            self.notify_urgent()
        return items

    def due(self, limit: int = 100, partner: str | None = None) -> list[OutboxItem]:
        """Up to ``limit`` undelivered items whose time has come, oldest due first."""
        with self._transactions() as tx:
            return tx.outbox.due(self._clock.now(), limit, partner)

    def get(self, item_id: str) -> OutboxItem | None:
        """One item, delivered or not."""
        with self._transactions() as tx:
            return tx.outbox.get(item_id)

    def delivered(self, item_ids: Sequence[str]) -> int:
        """The partner confirmed these items; how many were still undelivered."""
        with self._transactions() as tx:
            marked = tx.outbox.delivered(item_ids, self._clock.now())
            tx.commit()
        return marked

    def failed(self, item_ids: Sequence[str], error: str) -> None:
        """An attempt to deliver these items failed with ``error``: each is tried again after
        its back-off (``retry_delay`` of its attempts so far, plus this one)."""
        now = self._clock.now()
        with self._transactions() as tx:
            for item_id in item_ids:
                item = tx.outbox.get(item_id)
                if item is None or item.delivered:
                    continue
                delay = retry_delay(item.id, item.attempts + 1)
                tx.outbox.failed(item.id, short_error(error), now + delay)
            tx.commit()

    def partner_down(self, partner: str, failures: int) -> dt.datetime:
        """``partner`` failed ``failures`` times in a row (could not be reached, answered
        other than 202): none of its items is tried before its back-off (at most
        ``PARTNER_MAX_RETRY``); returns when."""
        until = self._clock.now() + retry_delay(f"partner:{partner}", failures,
                                                PARTNER_MAX_RETRY)
        self.hold(partner, until)
        return until

    def hold(self, partner: str, until: dt.datetime) -> None:
        """Try none of ``partner``'s items before ``until`` (items enqueued during a
        partner's back-off join it rather than each making an attempt of its own)."""
        with self._transactions() as tx:
            tx.outbox.postpone(partner, until)
            tx.commit()

    def pending_counts(self) -> dict[str, int]:
        """Undelivered items per partner."""
        with self._transactions() as tx:
            return tx.outbox.pending_counts()

    def purge(self, retain: dt.timedelta = RETAIN_DELIVERED) -> int:
        """Forget items delivered more than ``retain`` ago; how many."""
        with self._transactions() as tx:
            purged = tx.outbox.purge_delivered(self._clock.now() - retain)
            tx.commit()
        return purged
