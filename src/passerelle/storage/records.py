"""Records in SQL: a head row in ``records``, every version's body in ``record_versions``, the
search keys in ``record_names`` (name tokens and spelling keys) / ``record_documents``, and the
records each one points at in ``record_references``, all written in the caller's transaction.

Bulk import is the hot path (hundreds of thousands of records from a partner or a file), so
``add`` builds plain row dicts and hands each table one executemany; no ORM objects, no
statement per record. Reads decode the stored canonical body with ``domain.codec``, which
validates it: a body that no longer reads is an error, never a silently wrong record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, Table, and_, delete, func, or_, select, update

from passerelle.domain.codec import record_from_dict, record_to_dict
from passerelle.domain.records import Record, RecordKind
from passerelle.errors import Conflict, NotFound, VersionConflict
from passerelle.ports import RecordQuery
from passerelle.storage.bulk import insert_rows
from passerelle.storage.conflicts import stored_meanwhile_is_conflict
from passerelle.storage.record_search import kind_ranges, latest_bodies, search_statement
from passerelle.storage.schema import (
    RECORD_DOCUMENTS,
    RECORD_NAMES,
    RECORD_REFERENCES,
    RECORD_VERSIONS,
    RECORDS,
)
from passerelle.storage.search_keys import (
    record_document_keys,
    record_references,
    record_spelling_keys,
    record_time,
    record_tokens,
    record_valid_until,
)

# Stays under SQLite's limit of 32,766 bound parameters and keeps PostgreSQL plans simple.
ID_CHUNK = 5000
Row = dict[str, Any]


def _chunks(ids: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(ids), ID_CHUNK):
        yield ids[start:start + ID_CHUNK]


class _Rows:
    """The rows one version of a record is stored as, by table."""

    def __init__(self) -> None:
        self.records: list[Row] = []
        self.versions: list[Row] = []
        self.names: list[Row] = []
        self.documents: list[Row] = []
        self.references: list[Row] = []

    def add(self, record: Record) -> None:
        body = record_to_dict(record)
        self.records.append({
            "id": record.id, "kind": record.kind._value_, "owner_agency": record.owner_agency,
            "version": record.version, "record_time": record_time(record),
            "modified_at": record.modified_at, "review_date": record.markings.review_date,
            "valid_until": record_valid_until(record)})
        self.versions.append({
            "record_id": record.id, "version": record.version, "body": body,
            "modified_at": record.modified_at, "modified_by": record.modified_by})
        self.names.extend({"record_id": record.id, "token": token}
                          for token in record_tokens(record) | record_spelling_keys(record))
        self.documents.extend({"record_id": record.id, "number_key": key}
                              for key in record_document_keys(record))
        self.references.extend({"target_id": target, "record_id": record.id, "role": role}
                               for role, target in record_references(record))


class SqlRecordRepository:
    """``ports.RecordRepository`` over one connection, inside the unit of work's transaction."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, records: Sequence[Record]) -> None:
        """Insert new records: ``Conflict`` (and nothing written) if an id is already stored or
        appears twice in ``records``. The version a record carries is stored as its first."""
        ids = [record.id for record in records]
        if len(set(ids)) != len(ids):
            raise Conflict("the same record id appears twice in one batch", field="id")
        taken = self.existing_ids(ids)
        if taken:
            raise Conflict(f"record {min(taken)} already exists", field="id")
        rows = _Rows()
        for record in records:
            rows.add(record)
        with stored_meanwhile_is_conflict("a record with one of these ids was stored meanwhile",
                                          "id"):
            self._insert(RECORDS, rows.records)
        self._insert(RECORD_VERSIONS, rows.versions)
        self._index(rows)

    def add_version(self, record: Record) -> None:
        """Store the next version and re-index. The update is conditional on the version read
        (``WHERE version = n - 1``), so of two concurrent editors exactly one wins and the
        other gets ``VersionConflict``: PostgreSQL re-checks the condition after the row lock."""
        rows = _Rows()
        rows.add(record)
        latest = rows.records[0]
        changed = self._connection.execute(
            update(RECORDS)
            .where(RECORDS.c.id == record.id, RECORDS.c.version == record.version - 1)
            .values({k: v for k, v in latest.items() if k != "id"}))
        if changed.rowcount != 1:
            stored = self._connection.scalar(
                select(RECORDS.c.version).where(RECORDS.c.id == record.id))
            if stored is None:
                raise NotFound(f"no record {record.id}", field="id")
            raise VersionConflict(
                f"version {record.version} does not follow the stored version {stored}",
                field="version")
        self._insert(RECORD_VERSIONS, rows.versions)
        self._unindex(record.id)
        self._index(rows)

    def get(self, record_id: str) -> Record | None:
        """The latest version, or None."""
        body = self._connection.scalar(latest_bodies().where(RECORDS.c.id == record_id))
        return None if body is None else record_from_dict(body)

    def get_many(self, record_ids: Sequence[str]) -> list[Record]:
        """The latest versions of those that exist, in no particular order."""
        found: list[Record] = []
        for chunk in _chunks(list(dict.fromkeys(record_ids))):
            bodies = self._connection.scalars(latest_bodies().where(RECORDS.c.id.in_(chunk)))
            found.extend(record_from_dict(body) for body in bodies)
        return found

    def history(self, record_id: str) -> list[Record]:
        """Every version, oldest first."""
        bodies = self._connection.scalars(
            select(RECORD_VERSIONS.c.body).where(RECORD_VERSIONS.c.record_id == record_id)
            .order_by(RECORD_VERSIONS.c.version))
        return [record_from_dict(body) for body in bodies]

    def erase(self, record_id: str) -> bool:
        """Delete the index rows, the versions, then the record (the versions' foreign key
        forbids the other order)."""
        self._unindex(record_id)
        self._connection.execute(
            delete(RECORD_VERSIONS).where(RECORD_VERSIONS.c.record_id == record_id))
        erased = self._connection.execute(delete(RECORDS).where(RECORDS.c.id == record_id))
        return erased.rowcount > 0

    def referring(self, target_id: str, limit: int) -> list[tuple[str, Record]]:
        """Read from the ``target_id`` range of ``record_references``, then one ``records``
        and one body probe per entry: the cost follows the number of referring records."""
        if limit <= 0:
            return []
        refs = RECORD_REFERENCES
        statement = (latest_bodies(refs.join(RECORDS, RECORDS.c.id == refs.c.record_id))
                     .add_columns(refs.c.role).where(refs.c.target_id == target_id)
                     .order_by(RECORDS.c.kind, RECORDS.c.id, refs.c.role).limit(limit))
        return [(role, record_from_dict(body))
                for body, role in self._connection.execute(statement)]

    def search(self, query: RecordQuery, after: str | None, limit: int) -> list[Record]:
        """One keyset page of matches ordered by id (``storage.record_search``)."""
        if limit <= 0:
            return []
        statement = search_statement(self._connection, query, after, limit)
        if statement is None:
            return []
        return [record_from_dict(body) for body in self._connection.scalars(statement)]

    def existing_ids(self, record_ids: Sequence[str]) -> set[str]:
        """Which of these ids are stored."""
        found: set[str] = set()
        for chunk in _chunks(list(dict.fromkeys(record_ids))):
            found.update(self._connection.scalars(
                select(RECORDS.c.id).where(RECORDS.c.id.in_(chunk))))
        return found

    def count(self) -> int:
        """How many records are stored."""
        return int(self._connection.scalar(select(func.count()).select_from(RECORDS)) or 0)

    def due_for_review(self, owner_agency: str, until: dt.date,
                       after: tuple[dt.date, str] | None, limit: int) -> list[Record]:
        """Read from ``(owner_agency, review_date, id)`` in that order: the page ends after
        ``limit`` index entries, however many records the agency holds."""
        column = RECORDS.c.review_date
        conditions = [RECORDS.c.owner_agency == owner_agency, column <= until]
        if after is not None:
            conditions.append(_beyond(column, after))
        return self._page(conditions, column, limit)

    def expiring(self, owner_agency: str, kinds: frozenset[RecordKind], after_time: dt.datetime,
                 until: dt.datetime, after: tuple[dt.datetime, str] | None, limit: int
                 ) -> list[Record]:
        """Read from ``(owner_agency, valid_until, id)``, the kinds narrowing the ids."""
        column = RECORDS.c.valid_until
        conditions = [RECORDS.c.owner_agency == owner_agency, column > after_time,
                      column <= until]
        if kinds:
            conditions.append(kind_ranges(RECORDS.c.id, kinds))
        if after is not None:
            conditions.append(_beyond(column, after))
        return self._page(conditions, column, limit)

    def _page(self, conditions: list[ColumnElement[bool]], column: ColumnElement[Any],
              limit: int) -> list[Record]:
        if limit <= 0:
            return []
        statement = latest_bodies().where(*conditions).order_by(column, RECORDS.c.id).limit(limit)
        return [record_from_dict(body) for body in self._connection.scalars(statement)]

    def _insert(self, table: Table, rows: list[Row]) -> None:
        insert_rows(self._connection, table, rows)

    def _index(self, rows: _Rows) -> None:
        self._insert(RECORD_NAMES, rows.names)
        self._insert(RECORD_DOCUMENTS, rows.documents)
        self._insert(RECORD_REFERENCES, rows.references)

    def _unindex(self, record_id: str) -> None:
        for index in (RECORD_NAMES, RECORD_DOCUMENTS, RECORD_REFERENCES):
            self._connection.execute(delete(index).where(index.c.record_id == record_id))


def _beyond(column: ColumnElement[Any], after: tuple[Any, str]) -> ColumnElement[bool]:
    """Strictly after the keyset position ``after`` = (value of ``column``, id)."""
    value, record_id = after
    return or_(column > value, and_(column == value, RECORDS.c.id > record_id))
