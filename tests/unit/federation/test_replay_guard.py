"""The in-memory replay guard: the ``ReplayGuard`` contract, expiry and its bound."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from tests.unit.federation.replay_contract import LATER, T0, ReplayGuardContract

from passerelle.federation.replay import MemoryReplayGuard, NonceClaim


class TestMemoryReplayGuard(ReplayGuardContract):
    """The contract on the in-memory guard."""

    @pytest.fixture
    def guard(self) -> MemoryReplayGuard:
        return MemoryReplayGuard()


def test_expired_nonces_are_forgotten_and_free_their_memory() -> None:
    guard = MemoryReplayGuard()
    for i in range(10):
        guard.claim("key-fr", f"nonce-{i}", LATER, T0)
    after = LATER + dt.timedelta(seconds=1)
    assert guard.claim("key-fr", "nonce-0", after + dt.timedelta(seconds=60), after) is (
        NonceClaim.FRESH)
    assert guard.remembered() == 1


def test_a_full_guard_refuses_rather_than_forgets() -> None:
    guard = MemoryReplayGuard(max_entries=3)
    for i in range(3):
        assert guard.claim("key-fr", f"nonce-{i}", LATER, T0) is NonceClaim.FRESH
    assert guard.claim("key-fr", "nonce-3", LATER, T0) is NonceClaim.FULL
    assert guard.claim("key-fr", "nonce-0", LATER, T0) is NonceClaim.REPLAYED
    after = LATER + dt.timedelta(seconds=1)
    assert guard.claim("key-fr", "nonce-3", after + dt.timedelta(seconds=60), after) is (
        NonceClaim.FRESH)


def test_an_empty_guard_is_not_falsy() -> None:
    assert MemoryReplayGuard()


def test_concurrent_claims_of_one_nonce_have_one_winner() -> None:
    guard = MemoryReplayGuard()
    outcomes: list[NonceClaim] = []
    start = threading.Barrier(8)

    def claim() -> None:
        start.wait()
        outcomes.append(guard.claim("key-fr", "contested", LATER, T0))

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes).count(NonceClaim.FRESH) == 1
    assert len(outcomes) == 8


def test_a_guard_must_hold_at_least_one_nonce() -> None:
    with pytest.raises(ValueError, match="positive"):
        MemoryReplayGuard(max_entries=0)
