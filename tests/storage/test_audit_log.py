"""The contract of ``ports.AuditLog``, run on every backend."""

from __future__ import annotations

import datetime as dt

from tests.support import AUDIT_KEY, FixedClock

from passerelle.domain.audit import AuditAction, AuditEvent, verify_chain
from passerelle.ports import AuditQuery, UnitOfWorkFactory

SEARCH = AuditEvent(AuditAction.SEARCH, "user:u-1", "fr", justification="case 2026/114",
                    details={"query": {"name": "أمينة حداد"}, "hits": 3, "score": 0.75})
CONSULT = AuditEvent(AuditAction.CONSULTATION, "user:u-2", "fr", "person--p1",
                     "suspected travel to a conflict zone")
LOGIN = AuditEvent(AuditAction.LOGIN, "user:u-1", "fr")


def append(uow_factory: UnitOfWorkFactory, *events: AuditEvent) -> None:
    with uow_factory() as uow:
        uow.audit.append(events)
        uow.commit()


class AuditLogContract:
    """Behaviour shared by every ``AuditLog``."""

    def test_an_empty_log_has_no_head_and_verifies(self, uow_factory: UnitOfWorkFactory) -> None:
        with uow_factory() as uow:
            assert uow.audit.head() is None
            assert uow.audit.append([]) == []
            assert uow.audit.head() is None
            assert verify_chain(AUDIT_KEY, uow.audit.scan(), uow.audit.head()).ok

    def test_entries_chain_across_units_of_work_and_verify(
            self, uow_factory: UnitOfWorkFactory, clock: FixedClock) -> None:
        with uow_factory() as uow:
            first = uow.audit.append([SEARCH, CONSULT])
            uow.commit()
        clock.advance(seconds=1.5)
        with uow_factory() as uow:
            (third,) = uow.audit.append([LOGIN])
            uow.commit()
        assert [e.seq for e in first] == [1, 2]
        assert (third.seq, third.prev_hash, third.at) == (3, first[1].hash, clock.now())
        with uow_factory() as uow:
            assert list(uow.audit.scan()) == [*first, third]
            head = uow.audit.head()
            assert head is not None
            assert (head.seq, head.hash) == (3, third.hash)
            report = verify_chain(AUDIT_KEY, uow.audit.scan(), uow.audit.head())
        assert (report.ok, report.checked) == (True, 3)

    def test_entries_read_back_exactly_as_sealed(self, uow_factory: UnitOfWorkFactory,
                                                 clock: FixedClock) -> None:
        clock.current = dt.datetime(2026, 5, 1, 23, 59, 59, 999999, tzinfo=dt.UTC)
        with uow_factory() as uow:
            sealed = uow.audit.append([SEARCH])
            uow.commit()
        with uow_factory() as uow:
            assert uow.audit.entries(AuditQuery(), 0, 10) == sealed

    def test_entries_are_filtered_and_paged_by_sequence(
            self, uow_factory: UnitOfWorkFactory, clock: FixedClock) -> None:
        append(uow_factory, LOGIN, SEARCH)
        clock.advance(hours=1)
        append(uow_factory, CONSULT, SEARCH, LOGIN)
        with uow_factory() as uow:
            def seqs(query: AuditQuery, after: int = 0, limit: int = 100) -> list[int]:
                return [e.seq for e in uow.audit.entries(query, after, limit)]

            assert seqs(AuditQuery(actor="user:u-1")) == [1, 2, 4, 5]
            assert seqs(AuditQuery(actor="user:u-1"), after=2, limit=1) == [4]
            assert seqs(AuditQuery(record_id="person--p1")) == [3]
            assert seqs(AuditQuery(action="search")) == [2, 4]
            assert seqs(AuditQuery(time_from=clock.now())) == [3, 4, 5]
            assert seqs(AuditQuery(time_to=clock.now() - dt.timedelta(minutes=1))) == [1, 2]
            assert seqs(AuditQuery(), limit=0) == []

    def test_a_record_is_found_where_the_details_name_it_among_others(
            self, uow_factory: UnitOfWorkFactory) -> None:
        returned = AuditEvent(AuditAction.SEARCH, "user:u-1", "fr", justification="case 2026/9",
                              details={"returned": ["person--p1", "person--p2"]})
        sent = AuditEvent(AuditAction.DISCLOSURE, "node:ma", "ma",
                          details={"sent": [["person--p2", 3, "transfer--t1"]]})
        near_miss = AuditEvent(AuditAction.SEARCH, "user:u-1", "fr",
                               details={"returned": ["person--p10"], "note": "50% person--p"})
        append(uow_factory, CONSULT, returned, sent, near_miss)
        with uow_factory() as uow:
            def seqs(record_id: str) -> list[int]:
                return [e.seq for e in uow.audit.entries(AuditQuery(record_id=record_id), 0, 9)]

            assert seqs("person--p1") == [1, 2]
            assert seqs("person--p2") == [2, 3]
            assert seqs("50%") == []

    def test_a_scan_reads_every_entry_in_small_batches(
            self, uow_factory: UnitOfWorkFactory) -> None:
        append(uow_factory, *[LOGIN] * 7)
        with uow_factory() as uow:
            assert [e.seq for e in uow.audit.scan(batch=3)] == [1, 2, 3, 4, 5, 6, 7]


class TestAuditLog(AuditLogContract):
    """The contract on every backend."""
