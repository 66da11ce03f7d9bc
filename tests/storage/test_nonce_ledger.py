"""The nonce ledger and the replay guard over it, on the fake, SQLite and PostgreSQL.

``DatabaseReplayGuard`` runs the ``ReplayGuard`` contract of the in-memory guard; the ledger's
own promises (expiry, purge, atomic claims across transactions and processes) follow.
"""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Engine
from tests.support import AUDIT_KEY, FixedClock
from tests.unit.federation.replay_contract import LATER, T0, ReplayGuardContract

from passerelle.federation.replay import NonceClaim
from passerelle.ports import UnitOfWorkFactory
from passerelle.services.replay_guard import DatabaseReplayGuard
from passerelle.storage.engine import make_engine
from passerelle.storage.unit_of_work import SqlUnitOfWorkFactory

AFTER = LATER + dt.timedelta(microseconds=1)


class TestDatabaseReplayGuard(ReplayGuardContract):
    """The ``ReplayGuard`` contract on every backend."""

    @pytest.fixture
    def guard(self, uow_factory: UnitOfWorkFactory) -> DatabaseReplayGuard:
        return DatabaseReplayGuard(uow_factory)


def _remembered(transactions: UnitOfWorkFactory) -> int:
    """How many nonces are stored, expired or not (purged in a transaction left uncommitted)."""
    with transactions() as tx:
        return tx.nonces.purge(LATER + dt.timedelta(days=365))


def test_a_nonce_past_its_keep_until_may_be_claimed_again(
        uow_factory: UnitOfWorkFactory) -> None:
    with uow_factory() as tx:
        assert tx.nonces.claim("key-fr", "nonce-1", LATER, T0) is NonceClaim.FRESH
        tx.commit()
    with uow_factory() as tx:
        later = AFTER + dt.timedelta(seconds=60)
        assert tx.nonces.claim("key-fr", "nonce-1", later, AFTER) is NonceClaim.FRESH
        assert tx.nonces.claim("key-fr", "nonce-1", later, AFTER) is NonceClaim.REPLAYED


def test_purge_forgets_only_expired_nonces(uow_factory: UnitOfWorkFactory) -> None:
    with uow_factory() as tx:
        tx.nonces.claim("key-fr", "nonce-old", LATER, T0)
        tx.nonces.claim("key-fr", "nonce-new", AFTER + dt.timedelta(seconds=60), T0)
        tx.commit()
    with uow_factory() as tx:
        assert tx.nonces.purge(AFTER) == 1
        assert tx.nonces.claim("key-fr", "nonce-new", LATER, AFTER) is NonceClaim.REPLAYED
        tx.commit()
    assert _remembered(uow_factory) == 1


def test_a_claim_left_uncommitted_is_forgotten(uow_factory: UnitOfWorkFactory) -> None:
    with uow_factory() as tx:
        tx.nonces.claim("key-fr", "nonce-1", LATER, T0)
    with uow_factory() as tx:
        assert tx.nonces.claim("key-fr", "nonce-1", LATER, T0) is NonceClaim.FRESH


def test_the_guard_purges_expired_nonces_now_and_then(uow_factory: UnitOfWorkFactory) -> None:
    guard = DatabaseReplayGuard(uow_factory, purge_every=dt.timedelta(minutes=5))
    for i in range(3):
        guard.claim("key-fr", f"nonce-{i}", LATER, T0)
    soon = T0 + dt.timedelta(minutes=2)
    guard.claim("key-fr", "nonce-soon", soon + dt.timedelta(seconds=60), soon)
    assert _remembered(uow_factory) == 4, "no purge before five minutes have passed"
    later = T0 + dt.timedelta(minutes=5)
    guard.claim("key-fr", "nonce-late", later + dt.timedelta(seconds=60), later)
    assert _remembered(uow_factory) == 1


def test_of_concurrent_claims_of_one_nonce_exactly_one_is_fresh(
        sql_factory: SqlUnitOfWorkFactory) -> None:
    guard = DatabaseReplayGuard(sql_factory)
    guard.claim("key-fr", "warm-up-nonce-0", LATER, T0)  # the first claim purges
    start = threading.Barrier(8)

    def claim(_: int) -> NonceClaim:
        start.wait()
        return guard.claim("key-es", "nonce-raced", LATER, T0)

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(claim, range(8)))
    assert sorted(outcomes) == sorted([NonceClaim.FRESH] + [NonceClaim.REPLAYED] * 7)


def test_a_replay_is_refused_by_another_process_on_the_same_database(
        sql_engine: Engine) -> None:
    first = DatabaseReplayGuard(SqlUnitOfWorkFactory(sql_engine, AUDIT_KEY, FixedClock()))
    assert first.claim("key-fr", "nonce-1", LATER, T0) is NonceClaim.FRESH
    engine = make_engine(sql_engine.url)  # a second worker, or the node after a restart
    try:
        second = DatabaseReplayGuard(SqlUnitOfWorkFactory(engine, AUDIT_KEY, FixedClock()))
        assert second.claim("key-fr", "nonce-1", LATER, T0) is NonceClaim.REPLAYED
    finally:
        engine.dispose()
