"""The outbox service: what is enqueued and when it comes due, back-off after failures, and the
revocations the release planner enqueues in the transaction of a withdrawal or an erasure."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.support import FixedClock

from passerelle.domain.markings import Markings
from passerelle.domain.outbox import BATCH_DELAY, OutboxItem, retry_delay
from passerelle.domain.records import Organisation, Person, SubjectCategory
from passerelle.domain.releases import Change
from passerelle.domain.users import Role, User
from passerelle.errors import NotFound, ValidationFailed
from passerelle.interop.stix.identifiers import stix_id
from passerelle.interop.stix.revocation import revocation
from passerelle.ports import TransferQuery, UnitOfWorkFactory
from passerelle.services.caller import Caller
from passerelle.services.outbox import OutboxService
from passerelle.services.records import RecordService
from passerelle.services.releases import ReleasePlanner

ANALYST = Caller(User("u-lea", "lea.analyst", "fr", frozenset({Role.ANALYST}),
                      "Léa (fictional analyst)"), "case 2026-0107: facilitation network")
ALERT = {"type": "x-passerelle-alert", "spec_version": "2.1",
         "id": "x-passerelle-alert--6f1f3b8e-3c55-4b3e-9a55-0f3d1f1f2a10",
         "created": "2026-11-22T09:00:00.000000Z", "modified": "2026-11-22T09:00:00.000000Z"}
PERSON = Person(SubjectCategory.SUSPECT, "Tomasz", "Wiśniewski", ("Томаш Вишневский",))


@pytest.fixture
def outbox(transactions: UnitOfWorkFactory, clock: FixedClock) -> OutboxService:
    return OutboxService(transactions, clock, "fr")


def waiting(transactions: UnitOfWorkFactory, partner: str) -> list[OutboxItem]:
    with transactions() as tx:
        return tx.outbox.due(dt.datetime.max.replace(tzinfo=dt.UTC), 100, partner)


def test_an_urgent_object_is_due_at_once_and_another_waits_to_travel_with_others(
        outbox: OutboxService, clock: FixedClock) -> None:
    urgent, = outbox.enqueue("es", [ALERT], urgent=True)
    calm, = outbox.enqueue("es", [dict(ALERT, id=ALERT["id"][:-2] + "11")], urgent=False)
    assert (urgent.object_id, urgent.object_version) == (ALERT["id"], ALERT["modified"])
    assert urgent.next_attempt_at == clock.now()
    assert calm.next_attempt_at == clock.now() + BATCH_DELAY
    assert [i.id for i in outbox.due()] == [urgent.id]
    clock.advance(seconds=BATCH_DELAY.total_seconds())
    assert [i.id for i in outbox.due()] == [urgent.id, calm.id]


def test_enqueue_names_what_is_wrong(outbox: OutboxService) -> None:
    with pytest.raises(NotFound) as unknown:
        outbox.enqueue("xx", [ALERT], urgent=True)
    assert unknown.value.field == "partner"
    with pytest.raises(ValidationFailed) as itself:
        outbox.enqueue("fr", [ALERT], urgent=True)
    assert itself.value.field == "partner"
    with pytest.raises(ValidationFailed) as no_id:
        outbox.enqueue("es", [ALERT, {"type": "report"}], urgent=True)
    assert no_id.value.field == "objects[1].id"
    with pytest.raises(ValidationFailed) as not_stix:
        outbox.enqueue("es", [{"id": "alert-42"}], urgent=True)
    assert not_stix.value.field == "objects[0].id"
    assert outbox.pending_counts() == {}


def test_a_sender_is_woken_by_urgent_work_only_until_it_leaves(outbox: OutboxService) -> None:
    woken: list[str] = []
    leave = outbox.on_enqueue(lambda: woken.append("woken"))
    outbox.enqueue("es", [ALERT], urgent=False)
    outbox.enqueue("es", [ALERT], urgent=True)
    leave()
    outbox.enqueue("es", [ALERT], urgent=True)
    assert woken == ["woken"]


def test_each_failure_postpones_the_item_by_its_back_off_until_it_is_delivered(
        outbox: OutboxService, clock: FixedClock) -> None:
    item, = outbox.enqueue("es", [ALERT], urgent=True)
    for attempt in (1, 2, 3):
        outbox.failed([item.id], "es could not be reached")
        after = outbox.get(item.id)
        assert after is not None
        assert after.attempts == attempt
        assert after.next_attempt_at == clock.now() + retry_delay(item.id, attempt)
        assert outbox.due() == []
        clock.current = after.next_attempt_at
    assert outbox.delivered([item.id]) == 1
    outbox.failed([item.id], "a late report of a failure")
    delivered = outbox.get(item.id)
    assert delivered is not None
    assert (delivered.delivered_at, delivered.attempts) == (clock.now(), 3)
    assert outbox.pending_counts() == {}


def test_delivered_items_are_purged_after_they_are_kept_a_while(
        outbox: OutboxService, clock: FixedClock) -> None:
    item, = outbox.enqueue("es", [ALERT], urgent=True)
    outbox.delivered([item.id])
    assert outbox.purge() == 0
    clock.advance(days=8)
    assert outbox.purge() == 1
    assert outbox.get(item.id) is None


def test_an_erasure_enqueues_the_revocation_the_partner_would_pull_for_each_recipient(
        transactions: UnitOfWorkFactory, clock: FixedClock) -> None:
    records = RecordService(transactions, clock, "fr")
    shared = records.create(ANALYST, Markings(releasable_to=frozenset({"es", "be"})), PERSON)
    assert waiting(transactions, "es") == []  # sharing is left to the partner's pull
    clock.advance(seconds=3)
    records.erase(ANALYST, shared.id)
    with transactions() as tx:
        entries = {r.partner: r for r in tx.federation.feed("es", None, None, 10)
                   + tx.federation.feed("be", None, None, 10) if r.change is Change.ERASED}
    for partner in ("es", "be"):
        item, = waiting(transactions, partner)
        assert dict(item.object) == revocation(shared.id, entries[partner].date_added)
        assert item.object_id == stix_id(shared.id)
        assert item.next_attempt_at == clock.now()
    assert waiting(transactions, "ma") == []  # never had it


def test_a_narrowed_releasability_pushes_a_revocation_to_the_partner_losing_it(
        transactions: UnitOfWorkFactory, clock: FixedClock) -> None:
    records = RecordService(transactions, clock, "fr")
    made = records.create(ANALYST, Markings(releasable_to=frozenset({"es", "be"})),
                          Organisation("Réseau fictif Vistule"))
    records.update(ANALYST, made.id, 1, Markings(releasable_to=frozenset({"be"})),
                   made.details)
    assert [dict(i.object)["revoked"] for i in waiting(transactions, "es")] == [True]
    corrected, = waiting(transactions, "be")  # be keeps it: its new markings are pushed
    assert "revoked" not in corrected.object
    assert corrected.object_id == stix_id(made.id)


def test_a_correction_is_pushed_to_each_partner_holding_an_earlier_version(
        transactions: UnitOfWorkFactory, clock: FixedClock) -> None:
    records = RecordService(transactions, clock, "fr")
    made = records.create(ANALYST, Markings(releasable_to=frozenset({"es", "be"})),
                          Organisation("Réseau fictif Oder"))
    assert waiting(transactions, "es") == []  # sharing is left to the partner's pull
    clock.advance(seconds=3)
    records.update(ANALYST, made.id, 1, made.markings, Organisation("Réseau fictif Oder-Neisse"))
    for partner in ("es", "be"):
        item, = waiting(transactions, partner)
        assert item.object["name"] == "Réseau fictif Oder-Neisse"
        assert item.next_attempt_at == clock.now()
    assert waiting(transactions, "ma") == []  # never had it
    with transactions() as tx:
        register = [t for _, t in tx.federation.transfers(TransferQuery(), 0, 10)]
    assert sorted((t.recipient, t.version, t.channel) for t in register) == [
        ("be", 2, "push"), ("es", 2, "push")]


def test_a_version_shared_again_supersedes_the_revocation_still_waiting(
        transactions: UnitOfWorkFactory, clock: FixedClock) -> None:
    records = RecordService(transactions, clock, "fr")
    made = records.create(ANALYST, Markings(releasable_to=frozenset({"es"})),
                          Organisation("Réseau fictif Danube"))
    narrowed = records.update(ANALYST, made.id, 1, Markings(releasable_to=frozenset({"be"})),
                              made.details)
    assert len(waiting(transactions, "es")) == 1
    records.update(ANALYST, made.id, narrowed.version,
                   Markings(releasable_to=frozenset({"es"})), made.details)
    assert waiting(transactions, "es") == []


def test_a_revocation_is_enqueued_with_its_change_or_not_at_all(
        transactions: UnitOfWorkFactory, clock: FixedClock) -> None:
    records = RecordService(transactions, clock, "fr")
    shared = records.create(ANALYST, Markings(releasable_to=frozenset({"es"})), PERSON)
    with transactions() as tx:  # an erasure whose transaction is abandoned
        tx.records.erase(shared.id)
        assert ReleasePlanner("fr", clock).erased(tx, shared.id, shared.version) == ["es"]
        assert len(tx.outbox.due(clock.now(), 10)) == 1
    assert waiting(transactions, "es") == []


def test_a_partner_that_is_down_has_all_its_items_wait_for_its_back_off(
        outbox: OutboxService, clock: FixedClock) -> None:
    first, second = outbox.enqueue("es", [ALERT, dict(ALERT, id=ALERT["id"][:-2] + "12")],
                                   urgent=True)
    moroccan, = outbox.enqueue("ma", [ALERT], urgent=True)
    until = outbox.partner_down("es", 3)
    assert until == clock.now() + retry_delay("partner:es", 3)
    assert [i.id for i in outbox.due()] == [moroccan.id]
    clock.current = until
    assert {i.id for i in outbox.due()} == {first.id, second.id, moroccan.id}
