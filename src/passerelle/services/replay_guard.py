"""Replay protection kept in the node's database, for nodes with several workers or that must
refuse a replay across a restart (``federation.replay`` explains replay protection itself).

``DatabaseReplayGuard`` is the ``ReplayGuard`` the request verifier is given: each claim is
its own short transaction on the ``NonceLedger`` port, committed before the request goes on,
because the verifier runs before (and outside) the unit of work of the request it admits.
Do not call it while a unit of work is open in the same thread: on SQLite it would wait for
that one forever, and is refused at once instead.

``DatabaseReplayGuard.admit`` does the whole admission of a signed request in one transaction
instead: the peer key is looked up and the nonce claimed in the same unit of work (one
transaction less per request, which on PostgreSQL is a connection check-out, a ping and a
commit saved on every TAXII page).

Expired nonces are deleted now and then, by the first claim after ``purge_every`` has passed
(per process: several workers purging is harmless, the delete is idempotent), so that no
background task is needed and the table holds about ``purge_every`` plus two minutes of
requests.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from passerelle.federation.keys import PeerKey
from passerelle.federation.replay import NonceClaim, ReplayGuard
from passerelle.federation.signatures import PeerLookup
from passerelle.ports import UnitOfWork, UnitOfWorkFactory

T = TypeVar("T")
Check = Callable[[PeerLookup, ReplayGuard], T]
"""A request's verification, given where to look peer keys up and where to claim nonces."""

DEFAULT_PURGE_EVERY = dt.timedelta(minutes=5)


class DatabaseReplayGuard:
    """A ``ReplayGuard`` over the ``NonceLedger`` of ``transactions``; never ``FULL``."""

    def __init__(self, transactions: UnitOfWorkFactory,
                 purge_every: dt.timedelta = DEFAULT_PURGE_EVERY) -> None:
        self._transactions = transactions
        self._purge_every = purge_every
        self._next_purge: dt.datetime | None = None
        self._lock = threading.Lock()

    def claim(self, key_id: str, nonce: str, keep_until: dt.datetime,
              now: dt.datetime) -> NonceClaim:
        """See ``ReplayGuard.claim``: one transaction, committed before returning."""
        with self._transactions() as tx:
            outcome = self.claim_in(tx, key_id, nonce, keep_until, now)
            tx.commit()
        return outcome

    def claim_in(self, tx: UnitOfWork, key_id: str, nonce: str, keep_until: dt.datetime,
                 now: dt.datetime) -> NonceClaim:
        """``claim`` in the caller's transaction ``tx``, which the caller commits."""
        if self._purge_due(now):
            tx.nonces.purge(now)
        return tx.nonces.claim(key_id, nonce, keep_until, now)

    def admit(self, check: Check[T]) -> T:
        """Run ``check`` (``federation.signatures.verify_request`` over one request) with the
        node's trusted peer keys and this ledger, both in one transaction, committed when
        ``check`` returns; if it raises, nothing is claimed."""
        with self._transactions() as tx:
            result = check(lambda key_id: active_key(tx, key_id), _InTransaction(self, tx))
            tx.commit()
        return result

    def _purge_due(self, now: dt.datetime) -> bool:
        with self._lock:
            if self._next_purge is not None and now < self._next_purge:
                return False
            self._next_purge = now + self._purge_every
            return True


def active_key(tx: UnitOfWork, key_id: str) -> PeerKey | None:
    """The trusted key named ``key_id``, or None if it is unknown or revoked."""
    peer = tx.peers.by_key_id(key_id)
    return peer.as_key() if peer is not None and peer.active else None


class _InTransaction:
    """The guard's claims inside one open transaction (``DatabaseReplayGuard.admit``)."""

    def __init__(self, guard: DatabaseReplayGuard, tx: UnitOfWork) -> None:
        self._guard, self._tx = guard, tx

    def claim(self, key_id: str, nonce: str, keep_until: dt.datetime,
              now: dt.datetime) -> NonceClaim:
        return self._guard.claim_in(self._tx, key_id, nonce, keep_until, now)


if TYPE_CHECKING:
    def _implements_the_port(guard: DatabaseReplayGuard) -> ReplayGuard:
        return guard  # mypy proves here that the adapter satisfies the protocol
