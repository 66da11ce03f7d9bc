"""Replay protection kept in the node's database, for nodes with several workers or that must
refuse a replay across a restart (``federation.replay`` explains replay protection itself).

``DatabaseReplayGuard`` is the ``ReplayGuard`` the request verifier is given: each claim is
its own short transaction on the ``NonceLedger`` port, committed before the request goes on,
because the verifier runs before (and outside) the unit of work of the request it admits.
Do not call it while a unit of work is open in the same thread: on SQLite it would wait for
that one forever, and is refused at once instead.

Expired nonces are deleted now and then, by the first claim after ``purge_every`` has passed
(per process: several workers purging is harmless, the delete is idempotent), so that no
background task is needed and the table holds about ``purge_every`` plus two minutes of
requests.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import TYPE_CHECKING

from passerelle.federation.replay import NonceClaim, ReplayGuard
from passerelle.ports import UnitOfWorkFactory

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
        purge = self._purge_due(now)
        with self._transactions() as tx:
            if purge:
                tx.nonces.purge(now)
            outcome = tx.nonces.claim(key_id, nonce, keep_until, now)
            tx.commit()
        return outcome

    def _purge_due(self, now: dt.datetime) -> bool:
        with self._lock:
            if self._next_purge is not None and now < self._next_purge:
                return False
            self._next_purge = now + self._purge_every
            return True


if TYPE_CHECKING:
    def _implements_the_port(guard: DatabaseReplayGuard) -> ReplayGuard:
        return guard  # mypy proves here that the adapter satisfies the protocol
