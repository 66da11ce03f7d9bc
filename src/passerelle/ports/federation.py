"""Legal bases, transfers, the release feed, sync checkpoints, peer keys and the nonces of
signed requests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from passerelle.domain.peers import Peer
from passerelle.domain.releases import Release, Which
from passerelle.domain.transfers import LegalBasis, TransferRecord
from passerelle.federation.replay import NonceClaim


@dataclass(frozen=True, slots=True)
class TransferQuery:
    """Filters of the transfer register; empty fields do not filter."""

    recipient: str | None = None
    record_id: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class SyncCheckpoint:
    """How far this node has read one partner's feed: the ``date_added`` of the last entry
    taken, and when it was taken (the ``at`` of ``set_checkpoint``)."""

    date_added: dt.datetime
    pulled_at: dt.datetime


class FederationRepository(Protocol):
    """Legal bases, transfer records, the release feed and onward-transfer consents."""

    def basis(self, partner: str) -> LegalBasis | None:
        """The legal basis recorded for a partner, if any."""
        ...

    def set_basis(self, basis: LegalBasis) -> None:
        """Record (or replace) a partner's legal basis."""
        ...

    def bases(self) -> list[LegalBasis]:
        """Every recorded basis, by partner."""
        ...

    def add_transfers(self, transfers: Sequence[TransferRecord]) -> None:
        """Append transfer records."""
        ...

    def transfers(self, query: TransferQuery, after_seq: int, limit: int
                  ) -> list[tuple[int, TransferRecord]]:
        """Transfer records after a position, in order, with their positions."""
        ...

    def append_releases(self, releases: Sequence[Release]) -> None:
        """Append feed entries (their ``seq`` is assigned here)."""
        ...

    def last_date_added(self) -> dt.datetime | None:
        """The latest ``date_added`` of the feeds of the registered agencies."""
        ...

    def feed(self, partner: str, after: tuple[dt.datetime, int] | None,
             added_after: dt.datetime | None, limit: int, which: Which = "all"
             ) -> list[Release]:
        """A partner's feed in (date_added, seq) order, after a keyset position; with
        ``which``, only each record's last (or first) entry in that feed."""
        ...

    def latest_changes(self, record_id: str) -> dict[str, Release]:
        """For each partner that ever had the record in its feed, its latest entry."""
        ...

    def consents(self, record_id: str) -> frozenset[str]:
        """Agencies the originator authorised this record to be passed on to."""
        ...

    def consents_of(self, record_ids: Sequence[str]) -> dict[str, frozenset[str]]:
        """``consents`` of many records in one read; records without any are left out."""
        ...

    def checkpoint(self, partner: str) -> dt.datetime | None:
        """The ``date_added`` of the last entry taken from a partner's feed."""
        ...

    def set_checkpoint(self, partner: str, date_added: dt.datetime, at: dt.datetime) -> None:
        """Move the checkpoint of a partner's feed forward (never back), noting ``at`` as when
        the entries were taken; a call that does not move it forward changes nothing."""
        ...

    def checkpoints(self) -> dict[str, SyncCheckpoint]:
        """Every partner's checkpoint, with when it last moved (partners never read are left
        out)."""
        ...

    def grant_consent(self, record_id: str, agency_id: str, granted_by: str,
                      at: dt.datetime) -> None:
        """Record the originator's authorisation (idempotent)."""
        ...


class PeerRepository(Protocol):
    """The registered keys of partner nodes, revoked ones included (they are never deleted,
    so that a revoked key id cannot be registered again and the registry shows its history)."""

    def add(self, peer: Peer) -> None:
        """Register a key: ``NotFound`` (field ``agency_id``) for an unknown agency,
        ``Conflict`` (field ``key_id``) for a key id already registered, revoked or not."""
        ...

    def revoke(self, key_id: str, at: dt.datetime) -> bool:
        """Mark revoked at ``at``; True if it was active (a second revocation keeps the first
        time)."""
        ...

    def by_key_id(self, key_id: str) -> Peer | None:
        """The registration of ``key_id``, revoked or not: the caller decides what to trust."""
        ...

    def for_agency(self, agency_id: str) -> list[Peer]:
        """One agency's keys, oldest first (by ``added_at``, then key id)."""
        ...

    def list(self) -> list[Peer]:
        """Every key, by agency, then oldest first."""
        ...


class NonceLedger(Protocol):
    """The nonces of accepted signed requests, shared by every worker of the node (the stored
    form of ``federation.replay.ReplayGuard``).

    ``claim`` is atomic across transactions: of two concurrent claims of one (key id, nonce),
    exactly one is ``FRESH`` once both have committed. It never answers ``FULL``: the database
    does not run out of room the way a bounded memory does. A claim takes effect on commit,
    like any other write.
    """

    def claim(self, key_id: str, nonce: str, keep_until: dt.datetime,
              now: dt.datetime) -> NonceClaim:
        """``FRESH`` (and the nonce is taken until ``keep_until``) unless this key id holds
        the nonce with a ``keep_until`` not before ``now``: then ``REPLAYED``."""
        ...

    def purge(self, now: dt.datetime) -> int:
        """Forget the nonces kept until before ``now``; how many were forgotten."""
        ...

    def latest_by_key(self) -> dict[str, dt.datetime]:
        """For each key id that holds nonces, the latest ``keep_until`` among them: a trace of
        the last signed request accepted from that key, until ``purge`` forgets it."""
        ...
