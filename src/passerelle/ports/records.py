"""Records and their search index."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from passerelle.domain.records import Record, RecordKind


@dataclass(frozen=True, slots=True)
class RecordQuery:
    """What a search asks for; every field narrows the result (all are optional).

    ``name`` matches any stored name of a person or organisation, in any script, token by token
    after normalisation (case, accents, Arabic letter forms). ``sounds_like`` matches the same
    names in any spelling or script: every word of it that has readings must share a consonant
    skeleton (``matching.blocking.spelling_keys``) with some word of the record's names, so
    "Yusuf Idrissi", "Jusuf" or "يوسف" find "Youssef El Idrissi"; it is broad by design (it
    also finds "Sofia", whose skeleton is SF too), and is best narrowed by ``kinds`` or by a
    second word. A query without any word that has readings matches nothing.

    ``document_number`` matches the normalised number. ``time_from``/``time_to`` bound the
    record's time: when an event occurred, a report was published, an indicator became valid,
    otherwise when the record last changed.
    """

    kinds: frozenset[RecordKind] = frozenset()
    name: str | None = None
    sounds_like: str | None = None
    document_number: str | None = None
    owner_agency: str | None = None
    time_from: dt.datetime | None = None
    time_to: dt.datetime | None = None


class RecordRepository(Protocol):
    """Versioned records with their search index. Reads return the latest version."""

    def add(self, records: Sequence[Record]) -> None:
        """Store new records (version 1) and index them. Raises ``Conflict`` on a known id."""
        ...

    def add_version(self, record: Record) -> None:
        """Store ``record`` as the next version; raises ``VersionConflict`` unless
        ``record.version`` is exactly the stored version + 1, ``NotFound`` if unknown."""
        ...

    def get(self, record_id: str) -> Record | None:
        """The latest version, or None."""
        ...

    def get_many(self, record_ids: Sequence[str]) -> list[Record]:
        """The latest versions of those that exist, in no particular order."""
        ...

    def history(self, record_id: str) -> list[Record]:
        """Every version, oldest first (empty if unknown)."""
        ...

    def erase(self, record_id: str) -> bool:
        """Remove every version and index entry; True if something was erased."""
        ...

    def search(self, query: RecordQuery, after: str | None, limit: int) -> list[Record]:
        """Matching records ordered by id, strictly after the id ``after`` (keyset paging)."""
        ...

    def referring(self, target_id: str, limit: int) -> list[tuple[str, Record]]:
        """The records whose latest version points at ``target_id``, each with the role the
        target plays there (``holder``, ``subject``, ``participant``, ``reference``, ``source``,
        ``target``), ordered by kind, id and role; at most ``limit`` pairs. A record pointing
        twice in different roles (a relationship from a record to itself) appears once per
        role. Whether the target exists is not checked, and nothing is filtered by the
        policy: that is the caller's to do."""
        ...

    def existing_ids(self, record_ids: Sequence[str]) -> set[str]:
        """Which of these ids are stored."""
        ...

    def count(self) -> int:
        """How many records are stored."""
        ...

    def due_for_review(self, owner_agency: str, until: dt.date,
                       after: tuple[dt.date, str] | None, limit: int) -> list[Record]:
        """Records of ``owner_agency`` whose review date (``Markings.review_date``) is on or
        before ``until``, in (review date, id) order, strictly after the keyset position
        ``after``. Records without a review date never appear."""
        ...

    def expiring(self, owner_agency: str, kinds: frozenset[RecordKind], after_time: dt.datetime,
                 until: dt.datetime, after: tuple[dt.datetime, str] | None, limit: int
                 ) -> list[Record]:
        """Records of ``owner_agency`` and of one of ``kinds`` whose ``valid_until`` (alerts,
        indicators) is after ``after_time`` and not after ``until``, in (valid_until, id) order,
        strictly after the keyset position ``after``. Whatever their status: withdrawn alerts
        are the caller's to leave out."""
        ...
