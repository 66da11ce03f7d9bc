"""Concurrent units of work on the SQL backends: what a second transaction sees, and that two
writers never fork the audit chain or both win an edit."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import Engine
from tests.storage.samples import Samples, next_version
from tests.support import AUDIT_KEY

from passerelle.domain.audit import AuditAction, AuditEvent, verify_chain
from passerelle.errors import Conflict, VersionConflict
from passerelle.storage.unit_of_work import SqlUnitOfWorkFactory

LOGIN = AuditEvent(AuditAction.LOGIN, "user:u-1", "fr")


def in_thread(work: Callable[[], object]) -> tuple[threading.Thread, list[object]]:
    """Start ``work`` in a thread; the list receives its result or its exception."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(work())
        except Exception as error:  # handed to the test thread
            outcome.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def test_many_concurrent_appenders_leave_one_unbroken_chain(
        sql_factory: SqlUnitOfWorkFactory) -> None:
    def append_five() -> None:
        for _ in range(5):
            with sql_factory() as uow:
                uow.audit.append([LOGIN, LOGIN])
                uow.commit()

    threads = [in_thread(append_five) for _ in range(4)]
    for thread, outcome in threads:
        thread.join(timeout=60)
        assert outcome == [None]
    with sql_factory() as uow:
        report = verify_chain(AUDIT_KEY, uow.audit.scan(), uow.audit.head())
    assert (report.ok, report.checked) == (True, 40)


def test_of_two_concurrent_editors_exactly_one_wins(sql_factory: SqlUnitOfWorkFactory,
                                                    samples: Samples) -> None:
    v1 = samples.person()
    with sql_factory() as uow:
        uow.records.add([v1])
        uow.commit()

    def edit() -> None:
        with sql_factory() as uow:
            uow.records.add_version(next_version(v1))
            uow.commit()

    with sql_factory() as first:
        first.records.add_version(next_version(v1))
        second, outcome = in_thread(edit)  # waits for the first one's lock
        second.join(timeout=0.2)
        assert second.is_alive()
        first.commit()
    second.join(timeout=60)
    assert len(outcome) == 1
    assert isinstance(outcome[0], VersionConflict)


def test_of_two_concurrent_importers_of_one_record_the_second_gets_a_conflict(
        sql_factory: SqlUnitOfWorkFactory, samples: Samples) -> None:
    record = samples.person()

    def add() -> None:
        with sql_factory() as uow:
            uow.records.add([record])
            uow.commit()

    with sql_factory() as first:
        first.records.add([record])
        second, outcome = in_thread(add)  # not visible yet: it waits on the unique key
        second.join(timeout=0.2)
        assert second.is_alive()
        first.commit()
    second.join(timeout=60)
    assert len(outcome) == 1
    assert isinstance(outcome[0], Conflict)


@pytest.mark.parametrize("sql_engine", ["postgres"], indirect=True)
@pytest.mark.postgres
def test_postgres_readers_see_the_last_committed_state_without_waiting(
        sql_factory: SqlUnitOfWorkFactory, samples: Samples) -> None:
    record = samples.person()
    with sql_factory() as writer:
        writer.records.add([record])
        with sql_factory() as reader:
            assert reader.records.get(record.id) is None
        writer.commit()
        with sql_factory() as reader:
            assert reader.records.get(record.id) == record


@pytest.mark.parametrize("sql_engine", ["sqlite"], indirect=True)
def test_sqlite_units_of_work_take_turns(sql_factory: SqlUnitOfWorkFactory,
                                         samples: Samples) -> None:
    record = samples.person()

    def read() -> object:
        with sql_factory() as reader:
            return reader.records.get(record.id)

    with sql_factory() as writer:
        writer.records.add([record])
        reader, seen = in_thread(read)
        reader.join(timeout=0.2)
        assert reader.is_alive()  # waiting for the writer, not reading a stale state
        writer.commit()
    reader.join(timeout=60)
    assert seen == [record]


@pytest.mark.parametrize("sql_engine", ["sqlite"], indirect=True)
def test_sqlite_refuses_a_unit_of_work_inside_another(sql_factory: SqlUnitOfWorkFactory,
                                                      sql_engine: Engine) -> None:
    with sql_factory() as outer:
        outer.audit.append([LOGIN])
        with pytest.raises(RuntimeError, match="already open"), sql_factory():
            pass
        outer.commit()
    with sql_factory() as after:
        assert after.audit.head() is not None
