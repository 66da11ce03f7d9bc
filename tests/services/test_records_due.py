"""Records falling due for review and alerts about to expire, listed under the policy and the
audit log like a search, on the in-memory store, SQLite and PostgreSQL; and a database made
before the columns they are read by existed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from tests.support import (
    AUDIT_KEY,
    FixedClock,
    empty_database,
    memory_transactions,
    postgres_database,
    sqlite_transactions,
)

from passerelle.domain.audit import AuditAction
from passerelle.domain.codec import record_to_dict
from passerelle.domain.markings import Markings, Tlp
from passerelle.domain.records import (
    KIND_OF,
    Alert,
    AlertCategory,
    AlertStatus,
    Details,
    Organisation,
    Person,
    Record,
    SubjectCategory,
    new_record_id,
)
from passerelle.domain.users import Role, User
from passerelle.errors import Forbidden, JustificationRequired, ValidationFailed
from passerelle.ports import AuditQuery, UnitOfWorkFactory
from passerelle.services.caller import Caller
from passerelle.services.records import RecordService
from passerelle.storage.engine import make_engine
from passerelle.storage.migrate import upgrade
from passerelle.storage.schema import RECORD_VERSIONS, RECORDS
from passerelle.storage.search_keys import record_time
from passerelle.storage.unit_of_work import SqlUnitOfWorkFactory

WHY = "case 2026-0311: periodic check of held data"
ANALYST = Caller(User("u-ines", "ines.analyst", "fr", frozenset({Role.ANALYST}),
                      "Inès (fictional analyst)", frozenset({"ops"})), WHY)
REVIEWER = Caller(User("u-kofi", "kofi.reviewer", "fr", frozenset({Role.REVIEWER}),
                       "Kofi (fictional reviewer)"), WHY)
OUTSIDER = Caller(User("u-maya", "maya.analyst", "fr", frozenset({Role.ANALYST}),
                       "Maya (fictional analyst)"), WHY)
ADMIN = Caller(User("u-olek", "olek.admin", "fr", frozenset({Role.ADMINISTRATOR}),
                    "Olek (fictional administrator)"), WHY)
TODAY = dt.date(2026, 11, 22)  # tests.support.FixedClock's
SERIAL = itertools.count()
PEOPLE = [("Yuki", "Tanaka"), ("Chidi", "Okafor"), ("Leilani", "Kahale"), ("Mateus", "Costa"),
          ("Aigerim", "Bekova"), ("Rahel", "Tesfaye"), ("Sven", "Lindqvist")]


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    with postgres_database() as url:
        upgrade(url)
        yield url


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def transactions(request: pytest.FixtureRequest, tmp_path: Path,
                 clock: FixedClock) -> Iterator[UnitOfWorkFactory]:
    if request.param == "memory":
        yield memory_transactions(clock)
    elif request.param == "sqlite":
        yield sqlite_transactions(tmp_path / "fr.db", clock)
    else:
        engine = make_engine(request.getfixturevalue("postgres_url"))
        empty_database(engine)
        yield SqlUnitOfWorkFactory(engine, AUDIT_KEY, clock)
        engine.dispose()


@pytest.fixture
def records(transactions: UnitOfWorkFactory, clock: FixedClock) -> RecordService:
    return RecordService(transactions, clock, "fr")


def person(records: RecordService, days: int | None, markings: Markings = Markings()
           ) -> Record:
    """A person of ours whose review falls ``days`` from today (None: an organisation, which
    has no review date)."""
    given, family = PEOPLE[next(SERIAL) % len(PEOPLE)]
    if days is None:
        return records.create(ANALYST, markings, Organisation(f"Fictional {family} Ltd"))
    due = TODAY + dt.timedelta(days=days)
    return records.create(ANALYST, dataclasses.replace(markings, review_date=due),
                          Person(SubjectCategory.SUSPECT, given, family))


def alert(records: RecordService, subject: Record, clock: FixedClock, days: float,
          status: AlertStatus = AlertStatus.ACTIVE) -> Record:
    """An alert of ours on ``subject`` valid until ``days`` from now."""
    now = clock.now()
    return records.create(ANALYST, Markings(), Alert(
        AlertCategory.DISCREET_CHECK, subject.id, "report the encounter discreetly",
        now - dt.timedelta(days=30), now + dt.timedelta(days=days), status=status))


def partner_record(transactions: UnitOfWorkFactory, details: Details,
                   review_date: dt.date | None = None) -> Record:
    """Store a record Spain owns and released to France."""
    received = Record(new_record_id(KIND_OF[type(details)]), "es",
                      Markings(releasable_to=frozenset({"fr"}), review_date=review_date),
                      details, created_by="u-pablo", modified_by="u-pablo")
    with transactions() as tx:
        tx.records.add([received])
        tx.commit()
    return received


def ids(found: list[Record]) -> list[str]:
    return [r.id for r in found]


def test_records_falling_due_are_listed_overdue_first_then_by_review_date(
        records: RecordService, transactions: UnitOfWorkFactory) -> None:
    in_ten = person(records, 10)
    overdue = person(records, -3)
    person(records, 45)
    person(records, None)
    due_today = person(records, 0)
    partner_record(transactions, Person(SubjectCategory.VICTIM, "Ana", "Ferreira"),
                   TODAY + dt.timedelta(days=5))
    both = Caller(dataclasses.replace(ANALYST.user, roles=frozenset({Role.ANALYST,
                                                                     Role.REVIEWER})), WHY)
    assert ids(records.due_for_review(both)) == [overdue.id, due_today.id, in_ten.id]
    assert ids(records.due_for_review(both, within_days=9)) == [overdue.id, due_today.id]


def test_an_overdue_record_is_listed_to_reviewers_only(records: RecordService) -> None:
    overdue = person(records, -1)
    soon = person(records, 2)
    assert ids(records.due_for_review(ANALYST)) == [soon.id]
    assert ids(records.due_for_review(REVIEWER)) == [overdue.id, soon.id]
    records.review(REVIEWER, overdue.id, dt.date(2027, 11, 22))
    assert ids(records.due_for_review(REVIEWER)) == [soon.id]


def test_overdue_records_do_not_crowd_out_those_an_analyst_may_still_see(
        records: RecordService) -> None:
    for _ in range(45):  # more than a listing scans before it gives up
        person(records, -2)
    soon = person(records, 4)
    assert ids(records.due_for_review(ANALYST, limit=1)) == [soon.id]
    assert len(records.due_for_review(REVIEWER, limit=1)) == 1  # reviewers: overdue first
    assert ids(records.due_for_review(REVIEWER, limit=1)) != [soon.id]


def test_records_the_caller_may_not_see_are_left_out_without_using_up_the_limit(
        records: RecordService) -> None:
    # The same review date for most of them: the store pages by (review date, id).
    hidden = [person(records, 1, Markings(compartment="ops")) for _ in range(3)]
    red = person(records, 1, Markings(tlp=Tlp.RED, recipients=frozenset({"user:u-kofi"})))
    visible = sorted((person(records, d) for d in (1, 1, 2)),
                     key=lambda r: (r.markings.review_date, r.id))
    assert ids(records.due_for_review(OUTSIDER, limit=2)) == ids(visible[:2])
    assert ids(records.due_for_review(OUTSIDER, limit=3)) == ids(visible)
    every = sorted([*hidden, red, *visible], key=lambda r: (r.markings.review_date, r.id))
    assert ids(records.due_for_review(ANALYST, limit=5)) == ids(every[:5])


def test_listing_records_due_needs_the_read_role_and_a_justification_and_is_audited(
        records: RecordService, transactions: UnitOfWorkFactory) -> None:
    due = person(records, 3)
    with pytest.raises(Forbidden):
        records.due_for_review(ADMIN)
    with pytest.raises(JustificationRequired):
        records.due_for_review(Caller(ANALYST.user, ""))
    with pytest.raises(ValidationFailed) as negative:
        records.due_for_review(ANALYST, within_days=-1)
    assert negative.value.field == "within_days"
    records.due_for_review(ANALYST, within_days=7)
    with transactions() as tx:
        entry = tx.audit.entries(AuditQuery(actor=ANALYST.actor), 0, 100)[-1]
    assert (entry.action, entry.justification) == (AuditAction.SEARCH, WHY)
    assert entry.details["returned"] == [due.id]
    assert entry.details["query"]["review_date_to"] == "2026-11-29"


def test_alerts_about_to_expire_are_listed_soonest_first(
        records: RecordService, transactions: UnitOfWorkFactory, clock: FixedClock) -> None:
    subject = person(records, 200)
    later = alert(records, subject, clock, 10)
    soon = alert(records, subject, clock, 1)
    alert(records, subject, clock, 20)
    alert(records, subject, clock, 2, AlertStatus.WITHDRAWN)
    alert(records, subject, clock, -0.5)
    now = clock.now()
    partner_record(transactions, Alert(AlertCategory.ARREST, subject.id, "arrest", now,
                                       now + dt.timedelta(days=3)))
    assert ids(records.expiring_alerts(ANALYST)) == [soon.id, later.id]
    assert ids(records.expiring_alerts(ANALYST, limit=1)) == [soon.id]
    clock.advance(days=1)  # "soon" ends now: it has expired
    assert ids(records.expiring_alerts(ANALYST)) == [later.id]


def test_changing_an_alerts_validity_moves_it_in_and_out_of_the_list(
        records: RecordService, clock: FixedClock) -> None:
    subject = person(records, 200)
    first = alert(records, subject, clock, 60)
    assert records.expiring_alerts(ANALYST) == []
    assert isinstance(first.details, Alert)
    shorter = dataclasses.replace(first.details, valid_until=clock.now() + dt.timedelta(days=5))
    updated = records.update(ANALYST, first.id, 1, first.markings, shorter)
    assert records.expiring_alerts(ANALYST) == [updated]
    withdrawn = dataclasses.replace(shorter, status=AlertStatus.WITHDRAWN)
    records.update(ANALYST, first.id, 2, first.markings, withdrawn)
    assert records.expiring_alerts(ANALYST) == []


def test_listing_expiring_alerts_follows_the_search_rules(
        records: RecordService, transactions: UnitOfWorkFactory, clock: FixedClock) -> None:
    subject = person(records, 200)
    hidden = records.create(ANALYST, Markings(compartment="ops"), Alert(
        AlertCategory.ARREST, subject.id, "arrest", clock.now(),
        clock.now() + dt.timedelta(days=3)))
    open_alert = alert(records, subject, clock, 4)
    with pytest.raises(Forbidden):
        records.expiring_alerts(ADMIN)
    with pytest.raises(JustificationRequired):
        records.expiring_alerts(Caller(OUTSIDER.user, " "))
    assert ids(records.expiring_alerts(OUTSIDER)) == [open_alert.id]
    assert ids(records.expiring_alerts(ANALYST, within_days=3)) == [hidden.id]
    with transactions() as tx:
        entry = tx.audit.entries(AuditQuery(actor=ANALYST.actor), 0, 100)[-1]
    assert (entry.action, entry.details["returned"]) == (AuditAction.SEARCH, [hidden.id])


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def old_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sa.Engine]:
    """A database at revision 0008, before the review date and validity were columns."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
        upgrade(engine, "0008")
        yield engine
        engine.dispose()
        return
    with postgres_database() as url:
        engine = make_engine(url)
        upgrade(engine, "0008")
        yield engine
        engine.dispose()


def test_records_stored_before_the_upgrade_are_found_due_after_it(
        old_database: sa.Engine, clock: FixedClock) -> None:
    made = RecordService(memory_transactions(clock), clock, "fr")
    due = person(made, 6)
    never = person(made, None)
    subject = person(made, 400)
    expiring = alert(made, subject, clock, 2)
    with old_database.begin() as connection:
        for record in (due, never, subject, expiring):
            connection.execute(sa.insert(RECORDS), {
                "id": record.id, "kind": record.kind.value, "owner_agency": "fr",
                "version": 1, "record_time": record_time(record),
                "modified_at": record.modified_at})
            connection.execute(sa.insert(RECORD_VERSIONS), {
                "record_id": record.id, "version": 1, "body": record_to_dict(record),
                "modified_at": record.modified_at, "modified_by": record.modified_by})
    upgrade(old_database)
    records = RecordService(SqlUnitOfWorkFactory(old_database, AUDIT_KEY, clock), clock, "fr")
    assert ids(records.due_for_review(ANALYST, within_days=10)) == [due.id]
    assert ids(records.expiring_alerts(ANALYST, within_days=3)) == [expiring.id]
    clock.advance(days=2, seconds=1)
    assert records.expiring_alerts(ANALYST) == []
