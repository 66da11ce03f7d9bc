"""A unit of work's copy of one in-memory table (``storage.memory``): the rows as they were
committed, the changes written since, and the keys to write back on commit."""

from __future__ import annotations

from typing import Generic, TypeVar

V = TypeVar("V")


class Table(Generic[V]):
    """A unit of work's copy of one committed table, and the keys it changed."""

    def __init__(self, committed: dict[str, V]) -> None:
        self.rows = dict(committed)
        self.dirty: set[str] = set()

    def put(self, key: str, value: V) -> None:
        self.rows[key] = value
        self.dirty.add(key)

    def drop(self, key: str) -> bool:
        self.dirty.add(key)
        return self.rows.pop(key, None) is not None

    def apply_to(self, committed: dict[str, V]) -> None:
        for key in self.dirty:
            if key in self.rows:
                committed[key] = self.rows[key]
            else:
                committed.pop(key, None)
        self.dirty.clear()
