"""The outbox repository's contract, on the in-memory fake, SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace

import pytest

from passerelle.domain.outbox import OutboxItem
from passerelle.errors import Conflict
from passerelle.ports import UnitOfWorkFactory

T0 = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
SECOND = dt.timedelta(seconds=1)


def item(partner: str = "es", due: dt.datetime = T0, object_id: str | None = None,
         enqueued: dt.datetime = T0) -> OutboxItem:
    object_id = object_id or f"identity--{uuid.uuid4()}"
    stamp = "2026-11-22T09:00:00.000000Z"
    return OutboxItem(id=str(uuid.uuid4()), partner=partner,
                      object={"type": "identity", "spec_version": "2.1", "id": object_id,
                              "created": stamp, "modified": stamp, "revoked": True},
                      object_id=object_id, object_version=stamp, enqueued_at=enqueued,
                      next_attempt_at=due)


def stored(transactions: UnitOfWorkFactory, *items: OutboxItem) -> None:
    with transactions() as tx:
        tx.outbox.add(list(items))
        tx.commit()


def test_an_item_reads_back_as_stored_with_its_object(uow_factory: UnitOfWorkFactory) -> None:
    first = item()
    stored(uow_factory, first)
    with uow_factory() as tx:
        assert tx.outbox.get(first.id) == first
        assert dict(tx.outbox.get(first.id).object) == dict(first.object)  # type: ignore[union-attr]
        assert tx.outbox.get(str(uuid.uuid4())) is None


def test_an_id_stored_already_is_a_conflict(uow_factory: UnitOfWorkFactory) -> None:
    first = item()
    stored(uow_factory, first)
    with uow_factory() as tx, pytest.raises(Conflict) as refused:
        tx.outbox.add([replace(first, partner="be")])
    assert refused.value.field == "id"


def test_due_lists_undelivered_items_whose_time_has_come_oldest_first(
        uow_factory: UnitOfWorkFactory) -> None:
    later = item(due=T0 + 5 * SECOND)
    now = item(due=T0)
    early = item(due=T0 - SECOND, partner="ma")
    future = item(due=T0 + 60 * SECOND)
    stored(uow_factory, later, now, early, future)
    with uow_factory() as tx:
        assert [i.id for i in tx.outbox.due(T0 + 5 * SECOND, 10)] == [early.id, now.id, later.id]
        assert [i.id for i in tx.outbox.due(T0 + 5 * SECOND, 2)] == [early.id, now.id]
        assert [i.id for i in tx.outbox.due(T0 + 5 * SECOND, 10, "ma")] == [early.id]
        assert tx.outbox.due(T0 - 2 * SECOND, 10) == []


def test_items_due_together_come_in_the_order_they_were_enqueued(
        uow_factory: UnitOfWorkFactory) -> None:
    second = item(enqueued=T0 - SECOND)
    first = item(enqueued=T0 - 2 * SECOND)
    stored(uow_factory, second, first)
    with uow_factory() as tx:
        assert [i.id for i in tx.outbox.due(T0, 10)] == [first.id, second.id]


def test_a_delivered_item_is_no_longer_due_and_is_delivered_once(
        uow_factory: UnitOfWorkFactory) -> None:
    first, second = item(), item()
    stored(uow_factory, first, second)
    with uow_factory() as tx:
        assert tx.outbox.delivered([first.id, str(uuid.uuid4())], T0 + SECOND) == 1
        tx.commit()
    with uow_factory() as tx:
        assert tx.outbox.delivered([first.id], T0 + 9 * SECOND) == 0
        assert [i.id for i in tx.outbox.due(T0 + SECOND, 10)] == [second.id]
        assert tx.outbox.get(first.id).delivered_at == T0 + SECOND  # type: ignore[union-attr]


def test_a_failure_counts_an_attempt_and_postpones_the_item(
        uow_factory: UnitOfWorkFactory) -> None:
    first = item()
    stored(uow_factory, first)
    with uow_factory() as tx:
        assert tx.outbox.failed(first.id, "es could not be reached", T0 + 2 * SECOND)
        assert tx.outbox.failed(first.id, "es answered HTTP 503", T0 + 4 * SECOND)
        tx.commit()
    with uow_factory() as tx:
        again = tx.outbox.get(first.id)
        assert again is not None
        assert (again.attempts, again.last_error, again.next_attempt_at) == (
            2, "es answered HTTP 503", T0 + 4 * SECOND)
        assert tx.outbox.due(T0 + 3 * SECOND, 10) == []
        assert [i.id for i in tx.outbox.due(T0 + 4 * SECOND, 10)] == [first.id]


def test_a_late_failure_does_not_undo_a_delivery(uow_factory: UnitOfWorkFactory) -> None:
    first = item()
    stored(uow_factory, first)
    with uow_factory() as tx:
        tx.outbox.delivered([first.id], T0)
        assert not tx.outbox.failed(first.id, "timed out", T0 + SECOND)
        assert not tx.outbox.failed(str(uuid.uuid4()), "timed out", T0 + SECOND)
        tx.commit()
    with uow_factory() as tx:
        kept = tx.outbox.get(first.id)
        assert kept is not None
        assert (kept.delivered_at, kept.attempts, kept.last_error) == (T0, 0, None)


def test_pending_counts_per_partner_leave_out_delivered_items(
        uow_factory: UnitOfWorkFactory) -> None:
    delivered = item("es")
    stored(uow_factory, delivered, item("es"), item("es", due=T0 + 60 * SECOND), item("ma"))
    with uow_factory() as tx:
        tx.outbox.delivered([delivered.id], T0)
        tx.commit()
    with uow_factory() as tx:
        assert tx.outbox.pending_counts() == {"es": 2, "ma": 1}


def test_drop_pending_deletes_only_that_partners_undelivered_items_of_those_objects(
        uow_factory: UnitOfWorkFactory) -> None:
    target = f"identity--{uuid.uuid4()}"
    waiting = item("es", object_id=target)
    sent = item("es", object_id=target)
    other_partner = item("be", object_id=target)
    other_object = item("es")
    stored(uow_factory, waiting, sent, other_partner, other_object)
    with uow_factory() as tx:
        tx.outbox.delivered([sent.id], T0)
        tx.commit()
    with uow_factory() as tx:
        assert tx.outbox.drop_pending("es", [target, f"report--{uuid.uuid4()}"]) == 1
        assert tx.outbox.drop_pending("es", []) == 0
        tx.commit()
    with uow_factory() as tx:
        assert tx.outbox.get(waiting.id) is None
        assert all(tx.outbox.get(i.id) is not None for i in (sent, other_partner, other_object))


def test_purge_forgets_items_delivered_before_a_moment_only(
        uow_factory: UnitOfWorkFactory) -> None:
    old, recent, undelivered = item(), item(), item()
    stored(uow_factory, old, recent, undelivered)
    with uow_factory() as tx:
        tx.outbox.delivered([old.id], T0)
        tx.outbox.delivered([recent.id], T0 + 60 * SECOND)
        tx.commit()
    with uow_factory() as tx:
        assert tx.outbox.purge_delivered(T0 + SECOND) == 1
        tx.commit()
    with uow_factory() as tx:
        assert tx.outbox.get(old.id) is None
        assert tx.outbox.get(recent.id) is not None
        assert tx.outbox.get(undelivered.id) is not None


def test_what_is_not_committed_is_not_kept(uow_factory: UnitOfWorkFactory) -> None:
    first = item()
    with uow_factory() as tx:
        tx.outbox.add([first])
    with uow_factory() as tx:
        assert tx.outbox.get(first.id) is None
        assert tx.outbox.pending_counts() == {}


def test_postpone_moves_a_partners_waiting_items_to_a_later_moment_only(
        uow_factory: UnitOfWorkFactory) -> None:
    due_now = item("es", due=T0)
    later_still = item("es", due=T0 + 90 * SECOND)
    delivered = item("es", due=T0)
    other_partner = item("be", due=T0)
    stored(uow_factory, due_now, later_still, delivered, other_partner)
    with uow_factory() as tx:
        tx.outbox.delivered([delivered.id], T0)
        assert tx.outbox.postpone("es", T0 + 60 * SECOND) == 1
        tx.commit()
    with uow_factory() as tx:
        moved = {i.id: i.next_attempt_at for i in (
            tx.outbox.get(x.id) for x in (due_now, later_still, delivered, other_partner))
            if i is not None}
    assert moved == {due_now.id: T0 + 60 * SECOND, later_still.id: T0 + 90 * SECOND,
                     delivered.id: T0, other_partner.id: T0}
