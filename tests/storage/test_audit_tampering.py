"""Tampering with the audit log behind the application's back, directly in SQL, is caught by
``verify_chain`` at the first entry it breaks."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from tests.support import AUDIT_KEY

from passerelle.domain.audit import AuditAction, AuditEvent, verify_chain
from passerelle.storage.unit_of_work import SqlUnitOfWorkFactory

EVENTS = [AuditEvent(AuditAction.CONSULTATION, f"user:u-{n}", "fr", f"person--p{n}",
                     "check before border control") for n in range(1, 6)]


@pytest.fixture
def five_entries(sql_factory: SqlUnitOfWorkFactory) -> SqlUnitOfWorkFactory:
    with sql_factory() as uow:
        uow.audit.append(EVENTS)
        uow.commit()
    return sql_factory


def tamper(factory: SqlUnitOfWorkFactory, statement: str) -> None:
    with factory.engine.begin() as connection:
        assert connection.execute(sa.text(statement)).rowcount == 1


def first_broken(factory: SqlUnitOfWorkFactory) -> int | None:
    with factory() as uow:
        return verify_chain(AUDIT_KEY, uow.audit.scan(), uow.audit.head()).broken_seq


def test_an_untouched_log_verifies(five_entries: SqlUnitOfWorkFactory) -> None:
    assert first_broken(five_entries) is None


def test_an_edited_justification_breaks_the_chain_at_that_entry(
        five_entries: SqlUnitOfWorkFactory) -> None:
    tamper(five_entries, "UPDATE audit_log SET justification = 'routine' WHERE seq = 3")
    assert first_broken(five_entries) == 3


def test_a_deleted_middle_entry_breaks_the_chain_where_it_was(
        five_entries: SqlUnitOfWorkFactory) -> None:
    tamper(five_entries, "DELETE FROM audit_log WHERE seq = 2")
    assert first_broken(five_entries) == 2


def test_a_deleted_last_entry_is_caught_by_the_head(five_entries: SqlUnitOfWorkFactory) -> None:
    tamper(five_entries, "DELETE FROM audit_log WHERE seq = 5")
    assert first_broken(five_entries) == 5



def test_deleting_the_last_entry_and_moving_the_head_back_is_caught(
        five_entries: SqlUnitOfWorkFactory) -> None:
    tamper(five_entries, "DELETE FROM audit_log WHERE seq = 5")
    tamper(five_entries, "UPDATE audit_head SET seq = 4, hash = "
                         "(SELECT hash FROM audit_log WHERE seq = 4)")
    assert first_broken(five_entries) == 4


def test_a_chain_resealed_by_hand_is_caught(five_entries: SqlUnitOfWorkFactory) -> None:
    tamper(five_entries, "UPDATE audit_head SET mac = 'forged'")
    assert first_broken(five_entries) == 5
