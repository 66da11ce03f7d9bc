"""What the in-memory fake does where the backends differ: its isolation between units of work."""

from __future__ import annotations

import pytest
from tests.storage.samples import Samples
from tests.support import AUDIT_KEY, FixedClock

from passerelle.domain.audit import AuditAction, AuditEvent
from passerelle.storage.memory import MemoryUnitOfWorkFactory

LOGIN = AuditEvent(AuditAction.LOGIN, "user:u-1", "fr")


@pytest.fixture
def memory() -> MemoryUnitOfWorkFactory:
    return MemoryUnitOfWorkFactory(AUDIT_KEY, FixedClock())


def test_another_unit_of_work_sees_changes_only_after_commit(
        memory: MemoryUnitOfWorkFactory, samples: Samples) -> None:
    record = samples.person()
    with memory() as writer:
        writer.records.add([record])
        with memory() as reader:
            assert reader.records.get(record.id) is None
        writer.commit()
    with memory() as reader:
        assert reader.records.get(record.id) == record


def test_concurrent_writers_of_different_records_both_keep_their_work(
        memory: MemoryUnitOfWorkFactory, samples: Samples) -> None:
    first, second = samples.person(), samples.person("Leila", "Tazi")
    with memory() as one, memory() as two:
        one.records.add([first])
        two.records.add([second])
        one.commit()
        two.commit()
    with memory() as uow:
        assert uow.records.existing_ids([first.id, second.id]) == {first.id, second.id}


def test_an_audit_append_racing_a_committed_one_is_refused(
        memory: MemoryUnitOfWorkFactory) -> None:
    with memory() as one, memory() as two:
        one.audit.append([LOGIN])
        two.audit.append([LOGIN])
        one.commit()
        with pytest.raises(RuntimeError, match="audit"):
            two.commit()
    with memory() as uow:
        assert uow.audit.head() is not None
        assert [e.seq for e in uow.audit.scan()] == [1]
