"""The audit log in SQL: sealed entries in ``audit_log``, the chain's end in ``audit_head``.

Appending reads the head with ``SELECT ... FOR UPDATE`` (a plain read on SQLite, where the
transaction already holds the database's single write lock, see ``storage.engine``), seals the
events after it with ``domain.audit.seal`` and moves the head, all in the caller's transaction.
So on PostgreSQL a second appender waits for the first to commit or roll back, and the chain
never forks; and an entry exists exactly when the business change it records was committed.

There is no update and no delete here. Tampering done behind the application's back is what
``domain.audit.verify_chain(key, log.scan(), log.head())`` is for.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, Text, cast, insert, or_, select, update

from passerelle.domain.audit import (
    GENESIS,
    AuditAction,
    AuditEntry,
    AuditEvent,
    ChainHead,
    seal,
    seal_head,
)
from passerelle.ports import AuditQuery, Clock
from passerelle.storage.bulk import insert_rows
from passerelle.storage.schema import AUDIT_HEAD, AUDIT_LOG
from passerelle.storage.types import as_utc

HEAD_ID = 1


def _entry(row: Any) -> AuditEntry:
    return AuditEntry(row.seq, row.at, AuditAction(row.action), row.actor, row.agency_id,
                      row.record_id, row.justification, row.details, row.prev_hash, row.hash)


def _row(entry: AuditEntry) -> dict[str, Any]:
    return {"seq": entry.seq, "at": entry.at, "action": entry.action.value,
            "actor": entry.actor, "agency_id": entry.agency_id, "record_id": entry.record_id,
            "justification": entry.justification, "details": entry.details,
            "prev_hash": entry.prev_hash, "hash": entry.hash}


class SqlAuditLog:
    """``ports.AuditLog`` over one connection; entries are sealed with the node's audit key."""

    def __init__(self, connection: Connection, key: bytes, clock: Clock) -> None:
        self._connection = connection
        self._key = key
        self._clock = clock

    def append(self, events: Sequence[AuditEvent]) -> list[AuditEntry]:
        """Seal ``events`` after the current head, in order; they share one timestamp."""
        if not events:
            return []
        head = self._connection.execute(
            select(AUDIT_HEAD.c.seq, AUDIT_HEAD.c.hash).where(AUDIT_HEAD.c.id == HEAD_ID)
            .with_for_update()).one_or_none()
        seq, prev = (head.seq, head.hash) if head is not None else (0, GENESIS)
        at = as_utc(self._clock.now())
        entries = []
        for event in events:
            seq += 1
            entry = seal(self._key, seq, at, event, prev)
            entries.append(entry)
            prev = entry.hash
        insert_rows(self._connection, AUDIT_LOG, [_row(entry) for entry in entries])
        mac = seal_head(self._key, seq, prev).mac
        if head is None:  # a schema made without the migration, which seeds the row
            self._connection.execute(insert(AUDIT_HEAD).values(id=HEAD_ID, seq=seq, hash=prev,
                                                               mac=mac))
        else:
            self._connection.execute(update(AUDIT_HEAD).where(AUDIT_HEAD.c.id == HEAD_ID)
                                     .values(seq=seq, hash=prev, mac=mac))
        return entries

    def head(self) -> ChainHead | None:
        """The head as its row records it; None while the log is empty."""
        row = self._connection.execute(
            select(AUDIT_HEAD.c.seq, AUDIT_HEAD.c.hash, AUDIT_HEAD.c.mac)
            .where(AUDIT_HEAD.c.id == HEAD_ID)).one_or_none()
        if row is None or row.seq == 0:
            return None
        return ChainHead(row.seq, row.hash, row.mac)

    def entries(self, query: AuditQuery, after_seq: int, limit: int) -> list[AuditEntry]:
        """A page of matching entries in sequence order."""
        if limit <= 0:
            return []
        statement = (select(AUDIT_LOG).where(AUDIT_LOG.c.seq > after_seq, *_filters(query))
                     .order_by(AUDIT_LOG.c.seq).limit(limit))
        return [_entry(row) for row in self._connection.execute(statement)]

    def scan(self, batch: int = 5000) -> Iterator[AuditEntry]:
        """Every entry in sequence order, ``batch`` rows per query (bounded memory)."""
        after, batch = 0, max(batch, 1)
        while True:
            page = self.entries(AuditQuery(), after, batch)
            yield from page
            if len(page) < batch:
                return
            after = page[-1].seq


def _filters(query: AuditQuery) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if query.actor is not None:
        conditions.append(AUDIT_LOG.c.actor == query.actor)
    if query.record_id is not None:
        # The entry about the record, or one naming it among others in its details (the ids a
        # search returned, the versions a disclosure sent): a scan, which auditors can afford.
        named = cast(AUDIT_LOG.c.details, Text).contains(f'"{query.record_id}"', autoescape=True)
        conditions.append(or_(AUDIT_LOG.c.record_id == query.record_id, named))
    if query.action is not None:
        # An AuditAction is a str too, but drivers bind the plain value more reliably.
        action = query.action.value if isinstance(query.action, AuditAction) else query.action
        conditions.append(AUDIT_LOG.c.action == action)
    if query.time_from is not None:
        conditions.append(AUDIT_LOG.c.at >= query.time_from)
    if query.time_to is not None:
        conditions.append(AUDIT_LOG.c.at <= query.time_to)
    return conditions
