"""A record's page lists the records pointing at it, under the policy and the audit log: the
target is consulted as ``get`` consults it, and only the referring records the caller may see
are returned. On the in-memory store and SQLite. The people are fictional."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.support import FixedClock, memory_transactions, sqlite_transactions

from passerelle.domain.audit import AuditAction, AuditEntry
from passerelle.domain.markings import Markings, Tlp
from passerelle.domain.records import (
    Alert,
    AlertCategory,
    Document,
    DocumentType,
    Event,
    EventType,
    Organisation,
    Person,
    Record,
    RecordKind,
    Relationship,
    Report,
    SubjectCategory,
    new_record_id,
)
from passerelle.domain.users import Role, User
from passerelle.errors import Forbidden, JustificationRequired, NotFound, ValidationFailed
from passerelle.ports import AuditQuery, UnitOfWorkFactory
from passerelle.services.caller import Caller
from passerelle.services.record_links import SCAN_FACTOR
from passerelle.services.records import RecordService

WHY = "case 2026-0412: links of a fictional suspect"
ANALYST = Caller(User("u-ines", "ines.analyst", "fr", frozenset({Role.ANALYST}),
                      "Inès (fictional analyst)", frozenset({"ops"})), WHY)
OUTSIDER = Caller(User("u-maya", "maya.analyst", "fr", frozenset({Role.ANALYST}),
                       "Maya (fictional analyst)"), WHY)
ADMIN = Caller(User("u-olek", "olek.admin", "fr", frozenset({Role.ADMINISTRATOR}),
                    "Olek (fictional administrator)"), WHY)
RED = Markings(tlp=Tlp.RED, recipients=frozenset({"user:u-ines"}))
OPS = Markings(compartment="ops")


@pytest.fixture(params=["memory", "sqlite"])
def transactions(request: pytest.FixtureRequest, tmp_path: Path,
                 clock: FixedClock) -> Iterator[UnitOfWorkFactory]:
    if request.param == "memory":
        yield memory_transactions(clock)
    else:
        yield sqlite_transactions(tmp_path / "fr.db", clock)


@pytest.fixture
def records(transactions: UnitOfWorkFactory, clock: FixedClock) -> RecordService:
    return RecordService(transactions, clock, "fr")


def person(records: RecordService, given: str, family: str,
           markings: Markings = Markings()) -> Record:
    return records.create(ANALYST, markings, Person(SubjectCategory.SUSPECT, given, family))


def passport(records: RecordService, holder: Record | None, number: str = "P5520931",
             markings: Markings = Markings()) -> Record:
    return records.create(ANALYST, markings, Document(
        DocumentType.PASSPORT, number, "MA", holder=None if holder is None else holder.id))


def alert(records: RecordService, subject: Record, markings: Markings = Markings()) -> Record:
    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    return records.create(ANALYST, markings, Alert(
        AlertCategory.DISCREET_CHECK, subject.id, "report the encounter discreetly", now,
        now + dt.timedelta(days=365)))


def pairs(found: list[tuple[str, Record]]) -> list[tuple[str, str]]:
    return [(role, record.id) for role, record in found]


def last_entry(transactions: UnitOfWorkFactory, caller: Caller) -> AuditEntry:
    with transactions() as tx:
        return tx.audit.entries(AuditQuery(actor=caller.actor), 0, 1000)[-1]


def test_a_persons_page_lists_what_points_at_her_in_kind_then_id_order(
        records: RecordService) -> None:
    hana = person(records, "Hana", "Kobayashi")
    held = passport(records, hana)
    on_her = alert(records, hana)
    org = records.create(ANALYST, Markings(), Organisation("Fictional Freight Ltd"))
    works = records.create(ANALYST, Markings(), Relationship("works-for", hana.id, org.id))
    met = records.create(ANALYST, Markings(), Event(
        EventType.MEETING, dt.datetime(2026, 10, 2, tzinfo=dt.UTC), participants=(hana.id,)))
    note = records.create(ANALYST, Markings(), Report(
        "Meeting", "A fictional note.", dt.datetime(2026, 10, 3, tzinfo=dt.UTC),
        references=(hana.id, met.id)))
    assert pairs(records.referring(ANALYST, hana.id)) == [
        ("subject", on_her.id), ("holder", held.id), ("participant", met.id),
        ("source", works.id), ("reference", note.id)]
    assert pairs(records.referring(ANALYST, org.id)) == [("target", works.id)]


def test_a_red_or_compartmented_referring_record_is_hidden_from_whoever_may_not_see_it(
        records: RecordService) -> None:
    omar = person(records, "Omar", "Farouk")
    open_alert = alert(records, omar)
    red_alert = alert(records, omar, RED)
    secret_passport = passport(records, omar, markings=OPS)
    assert pairs(records.referring(ANALYST, omar.id)) == sorted(
        [("subject", open_alert.id), ("subject", red_alert.id),
         ("holder", secret_passport.id)], key=lambda pair: (pair[1].split("--")[0], pair[1]))
    assert pairs(records.referring(OUTSIDER, omar.id)) == [("subject", open_alert.id)]


def test_hidden_referring_records_do_not_use_up_the_limit(records: RecordService) -> None:
    siosaia = person(records, "Siosaia", "Tupou")
    hidden = [alert(records, siosaia, OPS) for _ in range(3)]
    shown = [alert(records, siosaia) for _ in range(2)]
    assert len(hidden) + len(shown) < SCAN_FACTOR * 2
    assert [r.id for _, r in records.referring(OUTSIDER, siosaia.id, limit=2)] == sorted(
        r.id for r in shown)
    assert len(records.referring(ANALYST, siosaia.id, limit=4)) == 4


def test_a_new_version_that_drops_the_reference_removes_it(records: RecordService) -> None:
    lucia = person(records, "Lucía", "Mamani")
    held = passport(records, lucia)
    assert pairs(records.referring(ANALYST, lucia.id)) == [("holder", held.id)]
    assert isinstance(held.details, Document)
    records.update(ANALYST, held.id, held.version, held.markings,
                   dataclasses.replace(held.details, holder=None))
    assert records.referring(ANALYST, lucia.id) == []


def test_an_erased_referring_record_is_no_longer_listed(records: RecordService) -> None:
    dmitri = person(records, "Dmitri", "Volkov")
    on_him = alert(records, dmitri)
    held = passport(records, dmitri)
    records.erase(ANALYST, on_him.id)
    assert pairs(records.referring(ANALYST, dmitri.id)) == [("holder", held.id)]


def test_a_person_target_needs_a_justification_and_an_organisation_does_not(
        records: RecordService) -> None:
    aiko = person(records, "Aiko", "Tanaka")
    alert(records, aiko)
    org = records.create(ANALYST, Markings(), Organisation("Fictional Dockside Co"))
    link = records.create(ANALYST, Markings(), Relationship("located-at", org.id, org.id))
    unjustified = Caller(ANALYST.user, "")
    with pytest.raises(JustificationRequired):
        records.referring(unjustified, aiko.id)
    assert pairs(records.referring(unjustified, org.id)) == [("source", link.id),
                                                             ("target", link.id)]


def test_the_list_is_audited_as_one_consultation_of_the_target_naming_what_was_returned(
        records: RecordService, transactions: UnitOfWorkFactory) -> None:
    kemal = person(records, "Kemal", "Aydın")
    shown = alert(records, kemal)
    alert(records, kemal, OPS)
    with transactions() as tx:
        before = len(tx.audit.entries(AuditQuery(actor=OUTSIDER.actor), 0, 1000))
    records.referring(OUTSIDER, kemal.id)
    with transactions() as tx:
        entries = tx.audit.entries(AuditQuery(actor=OUTSIDER.actor), 0, 1000)
    assert len(entries) == before + 1
    entry = entries[-1]
    assert (entry.action, entry.record_id, entry.justification) == (
        AuditAction.CONSULTATION, kemal.id, WHY)
    assert entry.details == {"list": "referring", "returned": [shown.id]}


def test_a_target_the_caller_may_not_see_is_not_found_and_the_refusal_is_logged(
        records: RecordService, transactions: UnitOfWorkFactory) -> None:
    hidden = person(records, "Zainab", "Okonkwo", OPS)
    alert(records, hidden)
    with pytest.raises(NotFound):
        records.referring(OUTSIDER, hidden.id)
    entry = last_entry(transactions, OUTSIDER)
    assert (entry.action, entry.record_id) == (AuditAction.ACCESS_DENIED, hidden.id)
    with pytest.raises(NotFound):
        records.referring(ANALYST, new_record_id(RecordKind.PERSON))


def test_the_read_role_and_a_sane_limit_are_required(records: RecordService) -> None:
    tevita = person(records, "Tevita", "Fifita")
    with pytest.raises(Forbidden):
        records.referring(ADMIN, tevita.id)
    for limit in (0, 1001):
        with pytest.raises(ValidationFailed) as error:
            records.referring(ANALYST, tevita.id, limit=limit)
        assert error.value.field == "limit"
