"""The registered keys of partner nodes in SQL: a handful of rows, written by administrators
and read on every signed request (by primary key)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, insert, select, update

from passerelle.domain.peers import Peer
from passerelle.errors import Conflict, NotFound
from passerelle.storage.conflicts import stored_meanwhile_is_conflict
from passerelle.storage.schema import AGENCIES, PEERS


def _peer(row: Any) -> Peer:
    return Peer(agency_id=row.agency_id, key_id=row.key_id, public_key_b64=row.public_key,
                base_url=row.base_url, added_at=row.added_at, added_by=row.added_by,
                revoked_at=row.revoked_at)


class SqlPeerRepository:
    """``ports.PeerRepository`` over one connection."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, peer: Peer) -> None:
        """Register a key: ``NotFound`` for an unknown agency, ``Conflict`` for a known key
        id (the primary key settles the race of two administrators registering it at once)."""
        agency = select(AGENCIES.c.id).where(AGENCIES.c.id == peer.agency_id)
        if self._connection.scalar(agency) is None:
            raise NotFound(f"no agency {peer.agency_id}", field="agency_id")
        if self.by_key_id(peer.key_id) is not None:
            raise Conflict(f"the key id {peer.key_id} is already registered", field="key_id")
        with stored_meanwhile_is_conflict(f"the key id {peer.key_id} was registered meanwhile",
                                          "key_id"):
            self._connection.execute(insert(PEERS).values(
                key_id=peer.key_id, agency_id=peer.agency_id, public_key=peer.public_key_b64,
                base_url=peer.base_url, added_at=peer.added_at, added_by=peer.added_by,
                revoked_at=peer.revoked_at))

    def revoke(self, key_id: str, at: dt.datetime) -> bool:
        """Mark revoked at ``at``; True if it was active."""
        changed = self._connection.execute(
            update(PEERS).where(PEERS.c.key_id == key_id, PEERS.c.revoked_at.is_(None))
            .values(revoked_at=at))
        return changed.rowcount == 1

    def by_key_id(self, key_id: str) -> Peer | None:
        """The registration of ``key_id``, revoked or not."""
        row = self._connection.execute(select(PEERS).where(PEERS.c.key_id == key_id)).first()
        return None if row is None else _peer(row)

    def for_agency(self, agency_id: str) -> list[Peer]:
        """One agency's keys, oldest first."""
        rows = self._connection.execute(
            select(PEERS).where(PEERS.c.agency_id == agency_id)
            .order_by(PEERS.c.added_at, PEERS.c.key_id))
        return [_peer(row) for row in rows]

    def list(self) -> list[Peer]:
        """Every key, by agency, then oldest first."""
        rows = self._connection.execute(
            select(PEERS).order_by(PEERS.c.agency_id, PEERS.c.added_at, PEERS.c.key_id))
        return [_peer(row) for row in rows]
