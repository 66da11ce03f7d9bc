"""The ports the services need, as Protocols. Storage (and fakes in tests) implement them.

A ``UnitOfWork`` is one transaction: the services open it, use its repositories, and commit;
leaving without commit rolls everything back, so a failed request never writes half its data.
Repositories are handed out by the unit of work only: no repository outlives its transaction.

The ports are grouped by concept in the modules of this package; every name is importable from
``passerelle.ports`` itself.
"""

from passerelle.ports.accounts import AgencyRepository, ApiToken, TokenRepository, UserRepository
from passerelle.ports.audit import AuditLog, AuditQuery
from passerelle.ports.federation import (
    FederationRepository,
    NonceLedger,
    PeerRepository,
    SyncCheckpoint,
    TransferQuery,
)
from passerelle.ports.outbox import OutboxRepository, OutboxSummary
from passerelle.ports.records import RecordQuery, RecordRepository
from passerelle.ports.screening import HitRepository, ScreeningRepository
from passerelle.ports.unit_of_work import Clock, UnitOfWork, UnitOfWorkFactory

__all__ = [
    "AgencyRepository", "ApiToken", "AuditLog", "AuditQuery", "Clock", "FederationRepository",
    "HitRepository", "NonceLedger", "OutboxRepository", "OutboxSummary", "PeerRepository",
    "RecordQuery", "RecordRepository", "ScreeningRepository", "SyncCheckpoint",
    "TokenRepository", "TransferQuery", "UnitOfWork", "UnitOfWorkFactory", "UserRepository",
]
