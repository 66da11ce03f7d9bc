"""Records in memory, for the in-memory unit of work (``storage.memory``): every version of
each record, searched by a linear scan over the same keys the databases index
(``storage.search_keys``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import TypeVar

from passerelle.domain.records import Record, RecordKind
from passerelle.errors import Conflict, NotFound, VersionConflict
from passerelle.ports import (
    RecordQuery,
)
from passerelle.storage.memory_table import Table
from passerelle.storage.search_keys import (
    query_document_key,
    query_spelling_groups,
    query_tokens,
    record_document_keys,
    record_references,
    record_spelling_keys,
    record_time,
    record_tokens,
    record_valid_until,
)
from passerelle.storage.types import as_utc


class MemoryRecordRepository:
    """``ports.RecordRepository`` in memory."""

    def __init__(self, table: Table[tuple[Record, ...]]) -> None:
        self._table = table

    def add(self, records: Sequence[Record]) -> None:
        ids = [record.id for record in records]
        if len(set(ids)) != len(ids):
            raise Conflict("the same record id appears twice in one batch", field="id")
        taken = self.existing_ids(ids)
        if taken:
            raise Conflict(f"record {min(taken)} already exists", field="id")
        for record in records:
            self._table.put(record.id, (record,))

    def add_version(self, record: Record) -> None:
        versions = self._table.rows.get(record.id)
        if versions is None:
            raise NotFound(f"no record {record.id}", field="id")
        if record.version != versions[-1].version + 1:
            raise VersionConflict(
                f"version {record.version} does not follow the stored version "
                f"{versions[-1].version}", field="version")
        self._table.put(record.id, (*versions, record))

    def get(self, record_id: str) -> Record | None:
        versions = self._table.rows.get(record_id)
        return None if versions is None else versions[-1]

    def get_many(self, record_ids: Sequence[str]) -> list[Record]:
        return [r for r in (self.get(i) for i in dict.fromkeys(record_ids)) if r is not None]

    def history(self, record_id: str) -> list[Record]:
        return list(self._table.rows.get(record_id, ()))

    def erase(self, record_id: str) -> bool:
        return self._table.drop(record_id)

    def search(self, query: RecordQuery, after: str | None, limit: int) -> list[Record]:
        if limit <= 0:
            return []
        latest = (versions[-1] for _, versions in sorted(self._table.rows.items()))
        matches = (record for record in latest
                   if (after is None or record.id > after) and _matches(record, query))
        return [record for record, _ in zip(matches, range(limit), strict=False)]

    def referring(self, target_id: str, limit: int) -> list[tuple[str, Record]]:
        # Derived from the latest versions on every call, like search: it cannot go stale.
        found = sorted(((record.kind.value, record.id, role), record)
                       for record in (versions[-1] for versions in self._table.rows.values())
                       for role, target in record_references(record) if target == target_id)
        return [(role, record) for (_, _, role), record in found[:max(limit, 0)]]

    def existing_ids(self, record_ids: Sequence[str]) -> set[str]:
        return {record_id for record_id in record_ids if record_id in self._table.rows}

    def count(self) -> int:
        return len(self._table.rows)

    def due_for_review(self, owner_agency: str, until: dt.date,
                       after: tuple[dt.date, str] | None, limit: int) -> list[Record]:
        keyed = ((r.markings.review_date, r) for r in self._latest(owner_agency))
        found = sorted(((due, r.id), r) for due, r in keyed if due is not None and due <= until)
        return _page(found, after, limit)

    def expiring(self, owner_agency: str, kinds: frozenset[RecordKind], after_time: dt.datetime,
                 until: dt.datetime, after: tuple[dt.datetime, str] | None, limit: int
                 ) -> list[Record]:
        keyed = ((record_valid_until(r), r) for r in self._latest(owner_agency)
                 if not kinds or r.kind in kinds)
        found = sorted(((end, r.id), r) for end, r in keyed
                       if end is not None and as_utc(after_time) < end <= as_utc(until))
        if after is not None:
            after = (as_utc(after[0]), after[1])
        return _page(found, after, limit)

    def _latest(self, owner_agency: str) -> Iterator[Record]:
        return (versions[-1] for versions in self._table.rows.values()
                if versions[-1].owner_agency == owner_agency)


K = TypeVar("K", dt.date, dt.datetime)


def _page(found: list[tuple[tuple[K, str], Record]], after: tuple[K, str] | None,
          limit: int) -> list[Record]:
    return [record for key, record in found if after is None or key > after][:max(limit, 0)]


def _matches(record: Record, query: RecordQuery) -> bool:
    if query.kinds and record.kind not in query.kinds:
        return False
    if query.owner_agency is not None and record.owner_agency != query.owner_agency:
        return False
    moment = record_time(record)
    if query.time_from is not None and moment < as_utc(query.time_from):
        return False
    if query.time_to is not None and moment > as_utc(query.time_to):
        return False
    if query.name is not None:
        tokens = query_tokens(query.name)
        if not tokens or not set(tokens) <= record_tokens(record):
            return False
    if query.sounds_like is not None:
        groups = query_spelling_groups(query.sounds_like)
        keys = record_spelling_keys(record)
        if not groups or not all(keys.intersection(group) for group in groups):
            return False
    if query.document_number is not None:
        key = query_document_key(query.document_number)
        if not key or key not in record_document_keys(record):
            return False
    return True
