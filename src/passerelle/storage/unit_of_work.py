"""The SQL unit of work: one connection, one transaction, every repository on it.

A unit of work is used once, as a context manager::

    with factory() as uow:
        uow.records.add(records)
        uow.audit.append(events)
        uow.commit()

The connection is taken from the pool on ``__enter__`` and returned on ``__exit__``, which rolls
back whatever was not committed: an exception anywhere leaves nothing half written. After
``commit`` the same unit of work may go on; its next statement opens a new transaction.
Repositories are created on entry and must not be kept beyond the ``with`` block.

Do not open a unit of work inside another one in the same thread. On SQLite every transaction
takes the single write lock (``storage.engine`` says why), so the inner one would wait for the
outer one forever; it is refused at once instead. (On PostgreSQL an inner writer touching the
same rows, such as the audit head, would wait forever too.)
"""

from __future__ import annotations

import threading
from types import TracebackType
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine

from passerelle.ports import (
    AgencyRepository,
    AuditLog,
    Clock,
    FederationRepository,
    HitRepository,
    NonceLedger,
    OutboxRepository,
    PeerRepository,
    RecordRepository,
    ScreeningRepository,
    TokenRepository,
    UnitOfWorkFactory,
    UserRepository,
)
from passerelle.storage.agencies import SqlAgencyRepository
from passerelle.storage.audit import SqlAuditLog
from passerelle.storage.federation import SqlFederationRepository
from passerelle.storage.hits import SqlHitRepository
from passerelle.storage.nonces import SqlNonceLedger
from passerelle.storage.outbox import SqlOutboxRepository
from passerelle.storage.peers import SqlPeerRepository
from passerelle.storage.records import SqlRecordRepository
from passerelle.storage.screening import SqlScreeningRepository
from passerelle.storage.tokens import SqlTokenRepository
from passerelle.storage.users import SqlUserRepository

_open_in_thread = threading.local()


def _sqlite_engines_open_here() -> set[int]:
    engines: set[int] | None = getattr(_open_in_thread, "engines", None)
    if engines is None:
        engines = _open_in_thread.engines = set()
    return engines


class SqlUnitOfWork:
    """``ports.UnitOfWork`` on SQLite or PostgreSQL."""

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

    def __init__(self, engine: Engine, audit_key: bytes, clock: Clock) -> None:
        self._engine = engine
        self._audit_key = audit_key
        self._clock = clock
        self._connection: Connection | None = None

    def __enter__(self) -> SqlUnitOfWork:
        if self._connection is not None:
            raise RuntimeError("a unit of work is entered once")
        sqlite = self._engine.dialect.name == "sqlite"
        if sqlite and id(self._engine) in _sqlite_engines_open_here():
            raise RuntimeError("a unit of work is already open in this thread: on SQLite the "
                               "inner one would wait for the outer one forever")
        connection = self._engine.connect()
        if sqlite:
            _sqlite_engines_open_here().add(id(self._engine))
        self._connection = connection
        self.records = SqlRecordRepository(connection)
        self.users = SqlUserRepository(connection)
        self.tokens = SqlTokenRepository(connection)
        self.agencies = SqlAgencyRepository(connection)
        self.audit = SqlAuditLog(connection, self._audit_key, self._clock)
        self.federation = SqlFederationRepository(connection)
        self.peers = SqlPeerRepository(connection)
        self.nonces = SqlNonceLedger(connection)
        self.outbox = SqlOutboxRepository(connection)
        self.screening = SqlScreeningRepository(connection)
        self.hits = SqlHitRepository(connection)
        return self

    def commit(self) -> None:
        """Make everything written so far durable."""
        if self._connection is None:
            raise RuntimeError("commit outside the with block")
        self._connection.commit()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        """Roll back what was not committed and hand the connection back to the pool."""
        connection, self._connection = self._connection, None
        _sqlite_engines_open_here().discard(id(self._engine))
        if connection is not None:
            try:
                connection.rollback()
            finally:
                connection.close()


class SqlUnitOfWorkFactory:
    """Opens SQL units of work; one per request, task or batch.

    ``audit_key`` seals the audit chain: keep it out of the database (``Settings.audit_key``).
    """

    def __init__(self, engine: Engine, audit_key: bytes, clock: Clock) -> None:
        if not audit_key:
            raise ValueError("the audit key must not be empty")
        self.engine = engine
        self._audit_key = audit_key
        self._clock = clock

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine, self._audit_key, self._clock)


if TYPE_CHECKING:
    def _implements_the_port(factory: SqlUnitOfWorkFactory) -> UnitOfWorkFactory:
        return factory  # mypy proves here that the adapter satisfies the port
