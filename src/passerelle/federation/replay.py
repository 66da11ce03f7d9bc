"""Replay protection: each signed request's nonce is accepted once.

A signature stays valid for a short window (``created`` within the allowed clock skew, before
``expires``); inside that window a captured request could be sent again verbatim. The verifier
therefore *claims* the request's nonce, per key id, and refuses a nonce already claimed. A
nonce only needs remembering until its signature would be refused anyway (``keep_until``);
after that, forgetting it is safe, which is what bounds the memory.

The nonce is claimed only after the signature has verified: otherwise anyone who saw a request
in flight could burn its nonce with a forgery and get the genuine request refused.

``MemoryReplayGuard`` serves one process. Nodes running several workers, or that must refuse
replays across a restart, need a shared implementation (the database) of ``ReplayGuard``.
"""

from __future__ import annotations

import datetime as dt
import heapq
import threading
from enum import StrEnum
from typing import Protocol


class NonceClaim(StrEnum):
    """The outcome of claiming a nonce."""

    FRESH = "fresh"
    """Never seen (or long forgotten): the request may proceed; the nonce is now taken."""
    REPLAYED = "replayed"
    """Claimed before and still remembered: refuse the request."""
    FULL = "full"
    """The guard cannot remember one more nonce: refuse the request. Accepting a nonce one
    cannot remember would reopen the replay window, so a full guard fails closed."""


class ReplayGuard(Protocol):
    """Remembers the nonces of accepted requests until they can no longer be replayed.

    Implementations must make ``claim`` atomic: of two concurrent claims of the same
    (key id, nonce), exactly one is ``FRESH``. Nonces of different key ids never clash, so a
    peer cannot block another peer's requests by reusing its nonces.
    """

    def claim(self, key_id: str, nonce: str, keep_until: dt.datetime,
              now: dt.datetime) -> NonceClaim:
        """Take ``nonce`` for ``key_id`` until ``keep_until``; nonces whose ``keep_until`` is
        before ``now`` may be forgotten."""
        ...


class MemoryReplayGuard:
    """A ``ReplayGuard`` in this process's memory, bounded to ``max_entries`` nonces.

    Expired nonces are forgotten as time passes (oldest first, amortised over claims). When
    ``max_entries`` unexpired nonces are held, further claims are ``FULL`` until some expire.
    Thread-safe: FastAPI runs dependencies on a thread pool.
    """

    def __init__(self, max_entries: int = 100_000) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be positive")
        self._max = max_entries
        self._until: dict[tuple[str, str], dt.datetime] = {}
        self._expiry: list[tuple[dt.datetime, str, str]] = []
        self._lock = threading.Lock()

    def remembered(self) -> int:
        """How many nonces are held (expired ones may linger until the next claim). Not
        ``__len__``: an empty guard must not be falsy, or ``guard or default`` would drop it."""
        return len(self._until)

    def claim(self, key_id: str, nonce: str, keep_until: dt.datetime,
              now: dt.datetime) -> NonceClaim:
        """See ``ReplayGuard.claim``."""
        with self._lock:
            self._forget_before(now)
            if (key_id, nonce) in self._until:
                return NonceClaim.REPLAYED
            if len(self._until) >= self._max:
                return NonceClaim.FULL
            self._until[(key_id, nonce)] = keep_until
            heapq.heappush(self._expiry, (keep_until, key_id, nonce))
            return NonceClaim.FRESH

    def _forget_before(self, now: dt.datetime) -> None:
        while self._expiry and self._expiry[0][0] < now:
            _, key_id, nonce = heapq.heappop(self._expiry)
            self._until.pop((key_id, nonce), None)
