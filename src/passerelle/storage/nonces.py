"""The nonce ledger in SQL: replay protection shared by every worker of a node.

A claim is one statement, an insert under the primary key (key_id, nonce) that, on a clash,
takes over the row only if its ``keep_until`` has passed (``INSERT ... ON CONFLICT DO UPDATE
... WHERE ... RETURNING``, which SQLite and PostgreSQL spell the same). It returns the row it
wrote or nothing: a row is ``FRESH``, nothing is ``REPLAYED``. (``RETURNING`` rather than the
row count, which SQLAlchemy does not report for an INSERT on PostgreSQL: it reads -1.)

Of two concurrent claims, PostgreSQL makes the second wait for the first to commit and then
finds the row taken; SQLite lets one writer at a time. Checking first and inserting afterwards
would let both pass, and catching a duplicate-key error would abort the whole transaction on
PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Table, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite

from passerelle.federation.replay import NonceClaim
from passerelle.storage.schema import SEEN_NONCES
from passerelle.storage.types import as_utc

# Both dialects' Insert have on_conflict_do_update and excluded, with the same meaning.
_INSERTS: dict[str, Callable[[Table], Any]] = {
    "postgresql": postgresql.insert, "sqlite": sqlite.insert}


class SqlNonceLedger:
    """``ports.NonceLedger`` over one connection."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._insert = _INSERTS[connection.dialect.name]

    def claim(self, key_id: str, nonce: str, keep_until: dt.datetime,
              now: dt.datetime) -> NonceClaim:
        """``FRESH`` unless the nonce is held for this key id until ``now`` or later."""
        statement = self._insert(SEEN_NONCES).values(
            key_id=key_id, nonce=nonce, keep_until=keep_until)
        statement = statement.on_conflict_do_update(
            index_elements=[SEEN_NONCES.c.key_id, SEEN_NONCES.c.nonce],
            set_={"keep_until": statement.excluded.keep_until},
            where=SEEN_NONCES.c.keep_until < now).returning(SEEN_NONCES.c.key_id)
        taken = self._connection.execute(statement).first()
        return NonceClaim.FRESH if taken is not None else NonceClaim.REPLAYED

    def purge(self, now: dt.datetime) -> int:
        """Delete the nonces kept until before ``now`` (served by the ``keep_until`` index)."""
        return self._connection.execute(
            delete(SEEN_NONCES).where(SEEN_NONCES.c.keep_until < now)).rowcount

    def latest_by_key(self) -> dict[str, dt.datetime]:
        """The latest ``keep_until`` per key id, read in primary-key order (the table holds a
        few minutes of requests)."""
        rows = self._connection.execute(
            select(SEEN_NONCES.c.key_id, func.max(SEEN_NONCES.c.keep_until))
            .group_by(SEEN_NONCES.c.key_id))
        return {key_id: as_utc(until) for key_id, until in rows}
