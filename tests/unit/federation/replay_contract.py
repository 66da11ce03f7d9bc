"""The contract of ``federation.replay.ReplayGuard``, for every implementation.

Subclass ``ReplayGuardContract`` in a test module and give it a ``guard`` fixture returning a
fresh, empty guard: the in-memory guard runs it in test_replay_guard.py; a database-backed
guard should run it on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt

from passerelle.federation.replay import NonceClaim, ReplayGuard

T0 = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
LATER = T0 + dt.timedelta(seconds=60)


class ReplayGuardContract:
    """Behaviour shared by every ``ReplayGuard``."""

    def test_a_new_nonce_is_fresh_and_then_replayed(self, guard: ReplayGuard) -> None:
        assert guard.claim("key-fr", "nonce-1", LATER, T0) is NonceClaim.FRESH
        assert guard.claim("key-fr", "nonce-1", LATER, T0) is NonceClaim.REPLAYED

    def test_a_nonce_stays_taken_until_its_keep_until(self, guard: ReplayGuard) -> None:
        guard.claim("key-fr", "nonce-1", LATER, T0)
        assert guard.claim("key-fr", "nonce-1", LATER, LATER) is NonceClaim.REPLAYED

    def test_nonces_of_different_keys_do_not_clash(self, guard: ReplayGuard) -> None:
        assert guard.claim("key-fr", "nonce-1", LATER, T0) is NonceClaim.FRESH
        assert guard.claim("key-es", "nonce-1", LATER, T0) is NonceClaim.FRESH

    def test_different_nonces_of_one_key_are_all_fresh(self, guard: ReplayGuard) -> None:
        outcomes = {guard.claim("key-fr", f"nonce-{i}", LATER, T0) for i in range(20)}
        assert outcomes == {NonceClaim.FRESH}
