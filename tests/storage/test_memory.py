"""What the in-memory fake does where the backends differ: its isolation between units of work.
Another unit of work runs in another thread, as it would in a server."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from tests.storage.samples import Samples
from tests.support import AUDIT_KEY, FixedClock

from passerelle.domain.audit import AuditAction, AuditEvent
from passerelle.domain.records import Record
from passerelle.storage.memory import MemoryUnitOfWorkFactory

LOGIN = AuditEvent(AuditAction.LOGIN, "user:u-1", "fr")


@pytest.fixture
def memory() -> MemoryUnitOfWorkFactory:
    return MemoryUnitOfWorkFactory(AUDIT_KEY, FixedClock())


def elsewhere(work: Callable[[], object]) -> object:
    """Run ``work`` to its end in another thread and return its result."""
    result: list[object] = []
    thread = threading.Thread(target=lambda: result.append(work()))
    thread.start()
    thread.join(timeout=10)
    return result[0]


def test_another_unit_of_work_sees_changes_only_after_commit(
        memory: MemoryUnitOfWorkFactory, samples: Samples) -> None:
    record = samples.person()

    def read() -> Record | None:
        with memory() as reader:
            return reader.records.get(record.id)

    with memory() as writer:
        writer.records.add([record])
        assert elsewhere(read) is None
        writer.commit()
        assert elsewhere(read) == record


def test_concurrent_writers_of_different_records_both_keep_their_work(
        memory: MemoryUnitOfWorkFactory, samples: Samples) -> None:
    first, second = samples.person(), samples.person("Leila", "Tazi")

    def add_second() -> None:
        with memory() as two:
            two.records.add([second])
            two.commit()

    with memory() as one:
        one.records.add([first])
        elsewhere(add_second)
        one.commit()
    with memory() as uow:
        assert uow.records.existing_ids([first.id, second.id]) == {first.id, second.id}


def test_an_audit_append_racing_a_committed_one_is_refused(
        memory: MemoryUnitOfWorkFactory) -> None:
    def append() -> None:
        with memory() as two:
            two.audit.append([LOGIN])
            two.commit()

    with memory() as one:
        one.audit.append([LOGIN])
        elsewhere(append)
        with pytest.raises(RuntimeError, match="audit"):
            one.commit()
    with memory() as uow:
        assert [e.seq for e in uow.audit.scan()] == [1]


def test_a_unit_of_work_inside_another_in_one_thread_is_refused_as_on_sqlite(
        memory: MemoryUnitOfWorkFactory) -> None:
    with memory() as outer:
        with pytest.raises(RuntimeError, match="already open"), memory():
            pass
        outer.audit.append([LOGIN])
        outer.commit()
    with memory() as after:
        assert after.audit.head() is not None
