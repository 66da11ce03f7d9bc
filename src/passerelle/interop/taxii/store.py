"""One collection held in memory, listed by keyset: ``MemoryCollection``.

Versions are kept in one list sorted by ``(date_added, object id, version)``, plus an index of
each object's versions. A page starts with a binary search for the later of the cursor's
position and ``added_after``, then walks forward until it has ``limit + 1`` matches: its cost
depends on the page and on how many non-matching versions sit between matches, never on how
many versions come before it. A filter on ids walks only those objects' versions.

Not thread-safe: its owner serialises access.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from passerelle.errors import BadRequest
from passerelle.interop.taxii.model import ObjectFilter, Page, Position
from passerelle.interop.taxii.selection import StoredVersion, names_object, select
from passerelle.interop.taxii.timestamps import format_timestamp, parse_timestamp

SortKey = tuple[dt.datetime, str, dt.datetime]


@dataclass(frozen=True, slots=True)
class StoredObject:
    """A version with its object (as received, never modified) and its media type."""

    meta: StoredVersion
    obj: dict[str, Any]
    media_type: str

    @property
    def sort_key(self) -> SortKey:
        """Where it sits in every listing."""
        return (self.meta.date_added, self.meta.object_id, self.meta.version)

    @property
    def position(self) -> Position:
        """Its position, as handed out in cursors."""
        key = f"{self.meta.object_id} {format_timestamp(self.meta.version)}"
        return Position(self.meta.date_added, key)


def sort_key_of(position: Position) -> SortKey:
    """The sort key a position of ``StoredObject.position`` stands for."""
    object_id, _, version_text = position.key.rpartition(" ")
    version = parse_timestamp(version_text)
    if not object_id or version is None:
        raise BadRequest("the next cursor does not hold a position of this collection",
                         field="next")
    return (position.date_added, object_id, version)


class MemoryCollection:
    """The versions of one collection, ordered for keyset pages (see the module docstring)."""

    def __init__(self) -> None:
        self._keys: list[SortKey] = []
        self._rows: list[StoredObject] = []
        self._by_object: dict[str, list[StoredObject]] = {}

    def add(self, row: StoredObject) -> None:
        """Store one version (the caller has checked it is not stored yet)."""
        index = bisect.bisect_right(self._keys, row.sort_key)
        self._keys.insert(index, row.sort_key)
        self._rows.insert(index, row)
        self._by_object.setdefault(row.meta.object_id, []).append(row)

    def find(self, object_id: str, version: dt.datetime) -> StoredObject | None:
        """The stored version of ``object_id`` at ``version``, if any."""
        return next((row for row in self._by_object.get(object_id, ())
                     if row.meta.version == version), None)

    def last_date_added(self) -> dt.datetime | None:
        """The latest ``date_added`` held, if any."""
        return self._keys[-1][0] if self._keys else None

    def knows(self, object_id: str) -> bool:
        """True when some version of ``object_id`` is stored."""
        return bool(self._by_object.get(object_id))

    def remove(self, rows: list[StoredObject]) -> None:
        """Forget these stored versions."""
        for row in rows:
            index = bisect.bisect_left(self._keys, row.sort_key)
            del self._keys[index]
            del self._rows[index]
            versions = self._by_object[row.meta.object_id]
            versions.remove(row)
            if not versions:
                del self._by_object[row.meta.object_id]

    def selected_versions(self, object_id: str, query: ObjectFilter) -> list[StoredObject]:
        """The versions of one object that ``query`` selects."""
        rows = self._by_object.get(object_id, [])
        chosen = set(select([row.meta for row in rows], query))
        return [row for row in rows if row.meta in chosen]

    def page(self, query: ObjectFilter, limit: int,
             after: Position | None) -> Page[StoredObject]:
        """Up to ``limit`` selected versions after ``after``, in listing order."""
        found: list[StoredObject] = []
        chosen: dict[str, set[StoredVersion]] = {}
        for row in self._walk(query, after):
            object_id = row.meta.object_id
            if object_id not in chosen:
                chosen[object_id] = set(select(
                    [r.meta for r in self._by_object[object_id]], query))
            if row.meta in chosen[object_id]:
                found.append(row)
                if len(found) > limit:
                    break
        items = tuple(found[:limit])
        return Page(items, more=len(found) > limit,
                    first=items[0].position if items else None,
                    last=items[-1].position if items else None)

    def _walk(self, query: ObjectFilter, after: Position | None) -> Iterator[StoredObject]:
        """Candidate versions in listing order, from the later of ``after`` and
        ``added_after``, narrowed to ``ids``/``types``."""
        floor = sort_key_of(after) if after is not None else None
        if query.ids:
            rows = sorted((row for object_id in query.ids
                           for row in self._by_object.get(object_id, ())),
                          key=lambda row: row.sort_key)
            start = 0 if floor is None else bisect.bisect_right(
                rows, floor, key=lambda row: row.sort_key)
        else:
            rows = self._rows
            start = 0 if floor is None else bisect.bisect_right(self._keys, floor)
        if query.added_after is not None:
            start = max(start, bisect.bisect_right(
                rows, query.added_after, key=lambda row: row.meta.date_added))
        for index in range(start, len(rows)):
            if names_object(rows[index].meta.object_id, query):
                yield rows[index]
