"""The screening index: a watchlist that answers "who on the list could this be?".

(Interface fixed; implementation in progress.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from passerelle.matching.model import DEFAULT_THRESHOLD, Comparison, Hit, PersonEntry


def compare(a: PersonEntry, b: PersonEntry) -> Comparison:
    """The calibrated comparison of two entries, with the features that made it."""
    raise NotImplementedError


class Matcher:
    """A watchlist index with incremental add/remove and batch screening."""

    def __init__(self, *, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.threshold = threshold

    def __len__(self) -> int:
        raise NotImplementedError

    def __contains__(self, entry_id: object) -> bool:
        raise NotImplementedError

    def add(self, entry: PersonEntry) -> None:
        """Index an entry (replacing any entry with the same id); takes effect at once."""
        raise NotImplementedError

    def add_many(self, entries: Iterable[PersonEntry],
                 progress: Callable[[int], None] | None = None) -> int:
        """Index many entries (fast path for a whole list); ``progress(n)`` after each chunk."""
        raise NotImplementedError

    def remove(self, entry_id: str) -> bool:
        """Withdraw an entry; True if it was there."""
        raise NotImplementedError

    def query(self, entry: PersonEntry, *, threshold: float | None = None,
              top: int = 10) -> list[Hit]:
        """The best hits for one person at or above the threshold, best first."""
        raise NotImplementedError

    def query_many(self, entries: Iterable[PersonEntry], *, threshold: float | None = None,
                   top: int = 10) -> Iterator[tuple[PersonEntry, list[Hit]]]:
        """Screen many people; yields each with its hits, in input order."""
        raise NotImplementedError

    def save(self, path: Path) -> None:
        """Persist the index (numpy arrays and JSON, never pickle)."""
        raise NotImplementedError

    @classmethod
    def load(cls, path: Path) -> Matcher:
        """Reload an index written by :meth:`save`, refusing anything malformed."""
        raise NotImplementedError
