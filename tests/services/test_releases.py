"""What each partner's feed receives as records are written: policy and transfer law applied."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from tests.support import FixedClock

from passerelle.domain.markings import HandlingCode, Markings, Tlp
from passerelle.domain.records import Organisation, Person, SubjectCategory
from passerelle.domain.releases import Change, Release
from passerelle.domain.transfers import BasisKind, LegalBasis
from passerelle.domain.users import Role, User
from passerelle.ports import AuditQuery, UnitOfWorkFactory
from passerelle.services.caller import Caller
from passerelle.services.records import RecordService
from passerelle.services.releases import ReleasePlanner

ANALYST = Caller(User("u-amina", "amina.analyst", "fr", frozenset({Role.ANALYST}),
                      "Amina (fictional analyst)", frozenset({"ct-north"})),
                 "case 2026-0042: cross-border check")
EVERYONE = frozenset({"es", "be", "ma"})
PERSON = Person(SubjectCategory.SUSPECT, "Nadia", "Benkirane", ("نادية بنكيران",))


def feed(transactions: UnitOfWorkFactory, partner: str) -> list[Release]:
    with transactions() as tx:
        return tx.federation.feed(partner, None, None, 100)


def basis_for_morocco(transactions: UnitOfWorkFactory, clock: FixedClock) -> None:
    with transactions() as tx:
        tx.federation.set_basis(LegalBasis(
            "ma", BasisKind.AGREEMENT, "Accord de coopération policière (fictional)", "",
            clock.now(), "u-admin"))
        tx.commit()


def test_eu_partners_get_what_is_releasable_and_morocco_needs_a_legal_basis(
        transactions: UnitOfWorkFactory, clock: FixedClock) -> None:
    service = RecordService(transactions, clock, "fr")
    record = service.create(ANALYST, Markings(releasable_to=EVERYONE), PERSON)
    assert [(r.record_id, r.change) for r in feed(transactions, "es")] == [
        (record.id, Change.SHARED)]
    assert [r.record_id for r in feed(transactions, "be")] == [record.id]
    assert feed(transactions, "ma") == []  # personal data, no basis recorded
    assert feed(transactions, "fr") == []  # never to itself


def test_with_a_basis_morocco_receives_personal_data(
        transactions: UnitOfWorkFactory, clock: FixedClock) -> None:
    basis_for_morocco(transactions, clock)
    record = RecordService(transactions, clock, "fr").create(
        ANALYST, Markings(releasable_to=EVERYONE), PERSON)
    assert [r.record_id for r in feed(transactions, "ma")] == [record.id]


def test_non_personal_records_need_no_basis(transactions: UnitOfWorkFactory,
                                            clock: FixedClock) -> None:
    record = RecordService(transactions, clock, "fr").create(
        ANALYST, Markings(releasable_to=frozenset({"ma"})), Organisation("Réseau fictif Nord"))
    assert [r.record_id for r in feed(transactions, "ma")] == [record.id]


@pytest.mark.parametrize("markings", [
    Markings(releasable_to=frozenset({"be"})),
    Markings(releasable_to=EVERYONE, compartment="ct-north"),
    Markings(releasable_to=EVERYONE, tlp=Tlp.RED, recipients=frozenset({"agency:be"})),
])
def test_policy_keeps_records_from_partners(transactions: UnitOfWorkFactory, clock: FixedClock,
                                            markings: Markings) -> None:
    RecordService(transactions, clock, "fr").create(ANALYST, markings, PERSON)
    assert feed(transactions, "es") == []


def test_narrowed_releasability_withdraws_and_erasure_reaches_every_recipient(
        transactions: UnitOfWorkFactory, clock: FixedClock) -> None:
    service = RecordService(transactions, clock, "fr")
    record = service.create(ANALYST, Markings(releasable_to=frozenset({"es", "be"})), PERSON)
    clock.advance(seconds=1)
    service.update(ANALYST, record.id, 1, Markings(releasable_to=frozenset({"be"})), PERSON)
    assert [(r.version, r.change) for r in feed(transactions, "es")] == [
        (1, Change.SHARED), (2, Change.WITHDRAWN)]
    assert [(r.version, r.change) for r in feed(transactions, "be")] == [
        (1, Change.SHARED), (2, Change.SHARED)]
    clock.advance(seconds=1)
    service.erase(ANALYST, record.id)
    assert feed(transactions, "es")[-1].change is Change.ERASED
    assert feed(transactions, "be")[-1].change is Change.ERASED
    with transactions() as tx:
        erasure = tx.audit.entries(AuditQuery(record_id=record.id), 0, 10)[-1]
    assert erasure.details["notified"] == ["be", "es"]


def test_date_added_is_strictly_increasing_even_within_one_microsecond(
        transactions: UnitOfWorkFactory, clock: FixedClock) -> None:
    service = RecordService(transactions, clock, "fr")
    for _ in range(5):  # the clock does not move
        service.create(ANALYST, Markings(releasable_to=EVERYONE), PERSON)
    with transactions() as tx:
        stamps = [r.date_added for p in ("es", "be")
                  for r in tx.federation.feed(p, None, None, 100)]
    assert len(set(stamps)) == 10
    assert min(stamps) == clock.now()
    assert max(stamps) - min(stamps) == dt.timedelta(microseconds=9)


def test_h2_records_received_from_a_partner_are_not_passed_on_without_consent(
        transactions: UnitOfWorkFactory, clock: FixedClock) -> None:
    received = dataclasses.replace(
        RecordService(transactions, clock, "fr").create(
            ANALYST, Markings(releasable_to=EVERYONE), PERSON),
        owner_agency="es",
        markings=Markings(releasable_to=EVERYONE, handling_code=HandlingCode.H2,
                          tlp=Tlp.GREEN))
    planner = ReleasePlanner("fr", clock)
    with transactions() as tx:
        planner.written(tx, [dataclasses.replace(received, version=2)], new=False)
        tx.commit()
    # Received from es under H2: not passed on, and the copy sent earlier is withdrawn.
    assert [(r.version, r.change) for r in feed(transactions, "be")] == [
        (1, Change.SHARED), (2, Change.WITHDRAWN)]
    with transactions() as tx:
        tx.federation.grant_consent(received.id, "be", "liaison-es", clock.now())
        planner.written(tx, [dataclasses.replace(received, version=3)], new=False)
        tx.commit()
    assert feed(transactions, "be")[-1].version == 3
    assert feed(transactions, "be")[-1].change is Change.SHARED
