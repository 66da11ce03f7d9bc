"""No read path ever returns what the policy forbids — and none hides what it allows.

Hypothesis draws random agencies' users (roles, compartments, active or not) and random records
(owners, TLP with recipients, compartments, releasability, review dates), stores them, and then
walks every read path as every user: get, history, search (paged to the end), export. Every
record returned must be allowed by ``policy.decide``; every allowed record must be found by
search and export.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.support import (
    AUDIT_KEY,
    FixedClock,
    empty_database,
    memory_transactions,
    postgres_database,
    sqlite_transactions,
)

from passerelle.domain.markings import HandlingCode, Markings, Tlp
from passerelle.domain.policy import Action, decide
from passerelle.domain.records import (
    Document,
    DocumentType,
    Organisation,
    Person,
    Record,
    RecordKind,
    SubjectCategory,
)
from passerelle.domain.users import Role, User
from passerelle.errors import Forbidden, PasserelleError
from passerelle.ports import RecordQuery, UnitOfWorkFactory
from passerelle.services.caller import Caller
from passerelle.services.records import RecordService
from passerelle.storage.engine import make_engine
from passerelle.storage.migrate import upgrade
from passerelle.storage.unit_of_work import SqlUnitOfWorkFactory

NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)
AGENCIES = ("fr", "es", "be", "ma")
USER_IDS = tuple(f"u{i}" for i in range(6))
COMPARTMENTS = ("op-lumiere", "op-sirocco")
NAMES = ("Samira Haddad", "Youssef El Amrani", "Jan Peeters", "Ana García", "يوسف العمراني")


principals = st.sampled_from([f"user:{u}" for u in USER_IDS] + [f"agency:{a}" for a in AGENCIES])


@st.composite
def markings(draw: st.DrawFn) -> Markings:
    tlp = draw(st.sampled_from(list(Tlp)))
    recipients = draw(st.frozensets(principals, min_size=1 if tlp is Tlp.RED else 0, max_size=3))
    review = draw(st.sampled_from([None, -30, -1, 1, 400]))
    return Markings(
        handling_code=draw(st.sampled_from([HandlingCode.H0, HandlingCode.H1, HandlingCode.H2])),
        tlp=tlp,
        recipients=recipients,
        releasable_to=draw(st.frozensets(st.sampled_from(AGENCIES), max_size=4)),
        compartment=draw(st.sampled_from([None, None, *COMPARTMENTS])),
        review_date=None if review is None else NOW.date() + dt.timedelta(days=review),
    )


@st.composite
def records(draw: st.DrawFn) -> Record:
    kind = draw(st.sampled_from([RecordKind.PERSON, RecordKind.ORGANISATION,
                                 RecordKind.DOCUMENT]))
    name = draw(st.sampled_from(NAMES))
    details: Person | Organisation | Document
    if kind is RecordKind.PERSON:
        given, _, family = name.partition(" ")
        details = Person(SubjectCategory.SUSPECT, given, family)
    elif kind is RecordKind.ORGANISATION:
        details = Organisation(name)
    else:
        details = Document(DocumentType.PASSPORT, draw(st.sampled_from(["AB123", "CD456"])), "FR")
    uid = draw(st.uuids(version=4))
    return Record(f"{kind.value}--{uid}", draw(st.sampled_from(AGENCIES)), draw(markings()),
                  details, 1, NOW, NOW, draw(st.sampled_from(USER_IDS)))


@st.composite
def users(draw: st.DrawFn) -> User:
    uid = draw(st.sampled_from(USER_IDS))
    return User(uid, f"user-{uid}", draw(st.sampled_from(AGENCIES)),
                draw(st.frozensets(st.sampled_from(list(Role)), min_size=1)),
                compartments=draw(st.frozensets(st.sampled_from(COMPARTMENTS))),
                active=draw(st.sampled_from([True, True, True, False])))


QUERIES = (
    RecordQuery(),
    RecordQuery(name="Youssef"),
    RecordQuery(name="يوسف"),
    RecordQuery(document_number="AB 123"),
    RecordQuery(kinds=frozenset({RecordKind.ORGANISATION})),
)


def _search_all(service: RecordService, caller: Caller, query: RecordQuery) -> list[Record]:
    found, cursor, pages = [], None, 0
    while True:
        page = service.search(caller, query, cursor, 2)
        found.extend(page.records)
        pages += 1
        if page.next_cursor is None or pages > 500:
            return found
        cursor = page.next_cursor


def check_read_paths(make_store: Callable[[], UnitOfWorkFactory], stored: list[Record],
                     readers: list[User]) -> None:
    transactions = make_store()
    with transactions() as tx:
        tx.records.add(stored)
        tx.commit()
    service = RecordService(transactions, FixedClock(NOW), "fr")
    today = NOW.date()
    for user in readers:
        caller = Caller(user, "property test: policy enforcement")
        for record in stored:
            allowed = decide(user, record, Action.READ, today).allowed
            try:
                got = service.get(caller, record.id)
                history = service.history(caller, record.id)
            except PasserelleError:
                assert not allowed, f"{user} was refused {record}"
                continue
            assert allowed, f"{user} read {record} against the policy"
            assert got.id == record.id
            assert all(v.id == record.id for v in history)
        check_lists(service, caller, transactions, stored)


def check_lists(service: RecordService, caller: Caller, transactions: UnitOfWorkFactory,
                stored: list[Record]) -> None:
    """Search and export return exactly the matching records the policy allows (the store
    may hold records of earlier examples: they count too)."""
    user, today = caller.user, NOW.date()
    for query in QUERIES:
        with transactions() as tx:
            candidates = tx.records.search(query, None, 100_000)
        expected = {r.id for r in candidates if decide(user, r, Action.READ, today)}
        try:
            ids = [r.id for r in _search_all(service, caller, query)]
        except Forbidden:
            assert not expected, "a caller who may read was refused the search"
            continue
        assert len(ids) == len(set(ids)), "a record appeared on two pages"
        assert set(ids) == expected
    with transactions() as tx:
        everything = tx.records.search(RecordQuery(), None, 100_000)
    expected = {r.id for r in everything if decide(user, r, Action.EXPORT, today)}
    try:
        exported = {r.id for r in service.export(caller, RecordQuery(), batch=3)}
    except Forbidden:
        assert not expected
        return
    assert exported == expected


@pytest.fixture(scope="module")
def postgres_engine() -> Iterator[sa.Engine]:
    """One migrated PostgreSQL database, emptied before each example."""
    with postgres_database() as url:
        engine = make_engine(url)
        upgrade(engine)
        yield engine
        engine.dispose()


@pytest.fixture(params=["memory", "sqlite",
                        pytest.param("postgresql", marks=pytest.mark.postgres)])
def make_store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
               ) -> Iterator[Callable[[], UnitOfWorkFactory]]:
    if request.param == "memory":
        yield memory_transactions
    elif request.param == "sqlite":
        yield lambda: sqlite_transactions(tmp_path_factory.mktemp("prop") / "node.db")
    else:
        engine = request.getfixturevalue("postgres_engine")

        def fresh() -> UnitOfWorkFactory:
            empty_database(engine)
            return SqlUnitOfWorkFactory(engine, AUDIT_KEY, FixedClock(NOW))

        yield fresh


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(stored=st.lists(records(), min_size=1, max_size=12, unique_by=lambda r: r.id),
       readers=st.lists(users(), min_size=1, max_size=4))
def test_no_read_path_returns_what_the_policy_forbids(
        make_store: Callable[[], UnitOfWorkFactory], stored: list[Record],
        readers: list[User]) -> None:
    check_read_paths(make_store, stored, readers)
