"""The transaction the services work in, its factory, and the clock."""

from __future__ import annotations

import datetime as dt
from types import TracebackType
from typing import Protocol

from passerelle.ports.accounts import AgencyRepository, TokenRepository, UserRepository
from passerelle.ports.audit import AuditLog
from passerelle.ports.federation import FederationRepository, NonceLedger, PeerRepository
from passerelle.ports.outbox import OutboxRepository
from passerelle.ports.records import RecordRepository
from passerelle.ports.screening import HitRepository, ScreeningRepository


class Clock(Protocol):
    """Time, injected so that tests control it."""

    def now(self) -> dt.datetime:
        """The current time, timezone-aware UTC."""
        ...


class UnitOfWork(Protocol):
    """One transaction over every repository."""

    records: RecordRepository
    users: UserRepository
    tokens: TokenRepository
    agencies: AgencyRepository
    audit: AuditLog
    federation: FederationRepository
    peers: PeerRepository
    nonces: NonceLedger
    outbox: OutboxRepository
    screening: ScreeningRepository
    hits: HitRepository

    def commit(self) -> None:
        """Make everything written so far durable."""
        ...

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        """Roll back whatever was not committed."""
        ...


class UnitOfWorkFactory(Protocol):
    """Opens transactions."""

    def __call__(self) -> UnitOfWork: ...
