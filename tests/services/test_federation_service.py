"""Legal bases, a partner's feed as sent, and the transfer register."""

from __future__ import annotations

import pytest
from tests.support import FixedClock

from passerelle.domain.markings import Markings
from passerelle.domain.records import Organisation, Person, Record, SubjectCategory
from passerelle.domain.releases import Change
from passerelle.domain.transfers import BasisKind
from passerelle.domain.users import Role, User
from passerelle.errors import Forbidden, NotFound, ValidationFailed
from passerelle.ports import AuditQuery, TransferQuery, UnitOfWorkFactory
from passerelle.services.caller import Caller
from passerelle.services.federation import FederationService
from passerelle.services.records import RecordService

ANALYST = Caller(User("u-amina", "amina.analyst", "fr", frozenset({Role.ANALYST})),
                 "case 2026-0042: cross-border check")
ADMIN = Caller(User("u-hugo", "hugo.admin", "fr", frozenset({Role.ADMINISTRATOR})),
               "agreement signed on 2026-10-01 (fictional)")
AUDITOR = Caller(User("u-pieter", "pieter.auditor", "fr", frozenset({Role.AUDITOR})),
                 "quarterly transfer review")
EVERYONE = frozenset({"es", "be", "ma"})
PERSON = Person(SubjectCategory.SUSPECT, "Omar", "Tazi", ("عمر التازي",))


def stix(record: Record) -> bytes:
    return f'{{"id": "{record.id}", "v": {record.version}}}'.encode()


def test_bases_are_checked_recorded_and_audited(transactions: UnitOfWorkFactory,
                                                clock: FixedClock) -> None:
    service = FederationService(transactions, clock, "fr")
    with pytest.raises(Forbidden):
        service.record_basis(ANALYST, "ma", BasisKind.AGREEMENT, "Accord", "")
    with pytest.raises(ValidationFailed) as error:
        service.record_basis(ADMIN, "ma", BasisKind.EU_DIRECTIVE, "", "")
    assert error.value.field == "kind"
    with pytest.raises(NotFound):
        service.record_basis(ADMIN, "xx", BasisKind.AGREEMENT, "Accord", "")
    basis = service.record_basis(ADMIN, "ma", BasisKind.AGREEMENT,
                                 "Accord de coopération policière (fictional)", "")
    assert service.bases() == [basis]
    with transactions() as tx:
        entry = tx.audit.entries(AuditQuery(actor=ADMIN.actor), 0, 10)[-1]
    assert entry.details["legal_basis"] == "ma"


def test_a_partner_page_sends_shared_versions_and_records_each_transfer(
        transactions: UnitOfWorkFactory, clock: FixedClock) -> None:
    federation = FederationService(transactions, clock, "fr")
    federation.record_basis(ADMIN, "ma", BasisKind.AGREEMENT, "Accord (fictional)", "")
    records = RecordService(transactions, clock, "fr")
    person = records.create(ANALYST, Markings(releasable_to=EVERYONE), PERSON)
    organisation = records.create(ANALYST, Markings(releasable_to=EVERYONE),
                                  Organisation("Réseau fictif Atlas"))
    page = federation.partner_page("ma", None, None, 10, stix)
    assert [(e.release.record_id, e.payload) for e in page.entries] == [
        (person.id, stix(person)), (organisation.id, stix(organisation))]
    assert not page.more
    register = list(federation.transfers(AUDITOR, TransferQuery(recipient="ma")))
    assert [(t.record_id, t.basis) for t in register] == [
        (person.id, BasisKind.AGREEMENT), (organisation.id, BasisKind.NOT_REQUIRED)]
    assert register[0].reference == "Accord (fictional)"
    assert len(register[0].digest) == 64
    with transactions() as tx:
        disclosures = tx.audit.entries(AuditQuery(action="disclosure"), 0, 10)
    # One disclosure entry for the answer, naming every version sent and its transfer.
    assert [d.details["sent"] for d in disclosures] == [
        [[t.record_id, t.version, t.id] for t in register]]
    assert disclosures[0].details["recipient"] == "ma"
    eu = federation.partner_page("es", None, None, 10, stix)
    assert len(eu.entries) == 2
    assert {t.basis for t in federation.transfers(AUDITOR, TransferQuery(recipient="es"))} == {
        BasisKind.EU_DIRECTIVE}


def test_pages_chain_without_gaps_or_duplicates(transactions: UnitOfWorkFactory,
                                                clock: FixedClock) -> None:
    records = RecordService(transactions, clock, "fr")
    made = [records.create(ANALYST, Markings(releasable_to=EVERYONE), PERSON).id
            for _ in range(7)]
    federation = FederationService(transactions, clock, "fr")
    seen: list[str] = []
    after = None
    while True:
        page = federation.partner_page("es", after, None, 3, stix)
        seen += [e.release.record_id for e in page.entries]
        after = page.last
        if not page.more:
            break
    assert seen == made


def test_what_may_no_longer_go_is_sent_as_withdrawn(transactions: UnitOfWorkFactory,
                                                     clock: FixedClock) -> None:
    federation = FederationService(transactions, clock, "fr")
    federation.record_basis(ADMIN, "ma", BasisKind.DEROGATION, "",
                            "imminent threat to life, case 2026-0042 (fictional)",
                            expires=clock.now().date())
    person = RecordService(transactions, clock, "fr").create(
        ANALYST, Markings(releasable_to=EVERYONE), PERSON)
    clock.advance(days=2)  # the derogation has expired before the partner fetched
    page = federation.partner_page("ma", None, None, 10, stix)
    assert [(e.release.record_id, e.release.change, e.payload) for e in page.entries] == [
        (person.id, Change.WITHDRAWN, None)]
    assert list(federation.transfers(AUDITOR)) == []


def test_only_auditors_export_the_register(transactions: UnitOfWorkFactory,
                                           clock: FixedClock) -> None:
    with pytest.raises(Forbidden):
        list(FederationService(transactions, clock, "fr").transfers(ANALYST))


def test_unknown_partner(transactions: UnitOfWorkFactory, clock: FixedClock) -> None:
    with pytest.raises(NotFound):
        FederationService(transactions, clock, "fr").partner_page(
            "zz", None, None, 10, stix)
