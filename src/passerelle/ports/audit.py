"""The append-only, hash-chained audit log and its search."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from passerelle.domain.audit import AuditEntry, AuditEvent, ChainHead


@dataclass(frozen=True, slots=True)
class AuditQuery:
    """Filters for the auditor's search; all optional. ``record_id`` finds the entries about
    that record and those naming it in their details (a search that returned it, a disclosure
    that sent it with others)."""

    actor: str | None = None
    record_id: str | None = None
    action: str | None = None
    time_from: dt.datetime | None = None
    time_to: dt.datetime | None = None


class AuditLog(Protocol):
    """The append-only, hash-chained audit log. There is no update and no delete."""

    def append(self, events: Sequence[AuditEvent]) -> list[AuditEntry]:
        """Seal and store ``events`` in order, in the current transaction."""
        ...

    def head(self) -> ChainHead | None:
        """Where the log records its chain to end (sealed), or None while it is empty."""
        ...

    def entries(self, query: AuditQuery, after_seq: int, limit: int) -> list[AuditEntry]:
        """Entries matching ``query`` with seq > ``after_seq``, in sequence order."""
        ...

    def scan(self, batch: int = 5000) -> Iterator[AuditEntry]:
        """Every entry in sequence order, read in batches (for verification and export)."""
        ...
