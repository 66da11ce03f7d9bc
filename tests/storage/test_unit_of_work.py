"""The contract of ``ports.UnitOfWork``: one transaction; nothing half written, ever.

What a second, concurrent unit of work sees differs by backend (PostgreSQL and the fake read the
last committed state, SQLite makes it wait): test_concurrency.py and test_memory.py.
"""

from __future__ import annotations

import pytest
from tests.storage.samples import Samples

from passerelle.domain.agencies import DEFAULT_AGENCIES
from passerelle.domain.audit import AuditAction, AuditEvent
from passerelle.domain.users import Role, User
from passerelle.errors import Conflict
from passerelle.ports import RecordQuery, UnitOfWork, UnitOfWorkFactory

USER = User("u-1", "nadia.rahmani", "fr", frozenset({Role.ANALYST}))
EVENT = AuditEvent(AuditAction.COLLECTION, "user:u-1", "fr")


def write_everything(uow: UnitOfWork, samples: Samples) -> None:
    uow.records.add([samples.person(), samples.document("X1")])
    uow.users.add(USER, None)
    uow.agencies.upsert(DEFAULT_AGENCIES[0])
    uow.audit.append([EVENT])


def assert_empty(uow_factory: UnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        assert uow.records.count() == 0
        assert uow.records.search(RecordQuery(name="amina"), None, 10) == []
        assert uow.users.list() == []
        assert uow.agencies.list() == []
        assert uow.audit.head() is None
        assert list(uow.audit.scan()) == []


class UnitOfWorkContract:
    """Behaviour shared by every ``UnitOfWork``."""

    def test_leaving_without_commit_writes_nothing(self, uow_factory: UnitOfWorkFactory,
                                                   samples: Samples) -> None:
        with uow_factory() as uow:
            write_everything(uow, samples)
        assert_empty(uow_factory)

    def test_an_error_midway_leaves_nothing_half_written(
            self, uow_factory: UnitOfWorkFactory, samples: Samples) -> None:
        known = samples.person()
        with uow_factory() as uow:
            uow.records.add([known])
            uow.commit()

        def import_with_a_clash() -> None:
            with uow_factory() as uow:
                uow.audit.append([EVENT])
                uow.records.add([samples.person("Leila", "Tazi")])
                uow.records.add([known])
                uow.commit()

        with pytest.raises(Conflict):
            import_with_a_clash()
        with uow_factory() as uow:
            assert uow.records.count() == 1
            assert uow.audit.head() is None

    def test_committed_changes_are_seen_by_the_next_unit_of_work(
            self, uow_factory: UnitOfWorkFactory, samples: Samples) -> None:
        record = samples.person()
        with uow_factory() as writer:
            writer.records.add([record])
            assert writer.records.get(record.id) == record
            writer.commit()
        with uow_factory() as reader:
            assert reader.records.get(record.id) == record

    def test_work_after_a_commit_needs_its_own_commit(
            self, uow_factory: UnitOfWorkFactory, samples: Samples) -> None:
        kept, dropped = samples.person(), samples.person("Leila", "Tazi")
        with uow_factory() as uow:
            uow.records.add([kept])
            uow.commit()
            uow.records.add([dropped])
        with uow_factory() as uow:
            assert uow.records.existing_ids([kept.id, dropped.id]) == {kept.id}


class TestUnitOfWork(UnitOfWorkContract):
    """The contract on every backend."""
