"""An in-memory implementation of every storage port, for fast service tests.

It keeps the promises the SQL adapter keeps, checked by the same contract tests
(tests/storage): changes are visible to other units of work only after ``commit``, leaving
without commit discards them, conflicts raise the same errors, and search uses the same keys
(``storage.search_keys``) and the same order (ids compared as Python strings, which is how the
databases compare them too).

How isolation works: each unit of work copies the committed tables on entry (cheap at test
sizes) and remembers which keys it wrote; ``commit`` applies exactly those keys. The audit log
has no keys: a unit of work that appends after another one committed appends is refused at
commit, as PostgreSQL would have made it wait and then continue from the new head. Likewise a
unit of work that took a nonce another one took and committed meanwhile is refused at commit,
where the database's primary key would have answered the second claim ``REPLAYED``. A unit of work
opened inside another in the same thread is refused, as on SQLite (``storage.unit_of_work``),
so that a service doing it fails here and not only in production. Nothing here is meant for
production: every search is a linear scan.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from types import TracebackType
from typing import TYPE_CHECKING, Any

from passerelle.domain.agencies import Agency
from passerelle.domain.audit import GENESIS, AuditEntry, AuditEvent, ChainHead, seal, seal_head
from passerelle.domain.outbox import OutboxItem
from passerelle.domain.peers import Peer
from passerelle.domain.records import Record
from passerelle.domain.users import User
from passerelle.errors import Conflict, NotFound
from passerelle.federation.replay import NonceClaim
from passerelle.ports import (
    AgencyRepository,
    ApiToken,
    AuditLog,
    AuditQuery,
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
from passerelle.storage.memory_federation import FederationState, MemoryFederationRepository
from passerelle.storage.memory_hits import HitState, MemoryHitRepository, MemoryScreeningRepository
from passerelle.storage.memory_outbox import MemoryOutboxRepository
from passerelle.storage.memory_records import MemoryRecordRepository
from passerelle.storage.memory_table import Table
from passerelle.storage.types import as_utc


@dataclass
class _Committed:
    """The committed state shared by the units of work of one factory."""

    records: dict[str, tuple[Record, ...]] = field(default_factory=dict)  # every version
    users: dict[str, tuple[User, str | None]] = field(default_factory=dict)
    tokens: dict[str, ApiToken] = field(default_factory=dict)
    agencies: dict[str, Agency] = field(default_factory=dict)
    audit: list[AuditEntry] = field(default_factory=list)
    federation: FederationState = field(default_factory=lambda: FederationState())
    peers: dict[str, Peer] = field(default_factory=dict)
    nonces: dict[tuple[str, str], dt.datetime] = field(default_factory=dict)
    outbox: dict[str, OutboxItem] = field(default_factory=dict)
    hits: HitState = field(default_factory=HitState)
    lock: threading.Lock = field(default_factory=threading.Lock)
    threads_in_work: set[int] = field(default_factory=set)


class MemoryUserRepository:
    """``ports.UserRepository`` in memory."""

    def __init__(self, table: Table[tuple[User, str | None]]) -> None:
        self._table = table

    def add(self, user: User, password_hash: str | None) -> None:
        if user.id in self._table.rows:
            raise Conflict(f"id {user.id!r} is taken", field="id")
        if self.by_username(user.username) is not None:
            raise Conflict(f"username {user.username!r} is taken", field="username")
        self._table.put(user.id, (user, password_hash))

    def update(self, user: User) -> None:
        stored, password_hash = self._stored(user.id)
        self._table.put(user.id, (replace(
            stored, roles=user.roles, compartments=user.compartments,
            display_name=user.display_name, active=user.active), password_hash))

    def set_password_hash(self, user_id: str, password_hash: str) -> None:
        stored, _ = self._stored(user_id)
        self._table.put(user_id, (stored, password_hash))

    def get(self, user_id: str) -> User | None:
        stored = self._table.rows.get(user_id)
        return None if stored is None else stored[0]

    def by_username(self, username: str) -> tuple[User, str | None] | None:
        return next((s for s in self._table.rows.values() if s[0].username == username), None)

    def list(self) -> list[User]:
        return sorted((user for user, _ in self._table.rows.values()), key=lambda u: u.username)

    def _stored(self, user_id: str) -> tuple[User, str | None]:
        stored = self._table.rows.get(user_id)
        if stored is None:
            raise NotFound(f"no user {user_id!r}", field="user_id")
        return stored


class MemoryTokenRepository:
    """``ports.TokenRepository`` in memory."""

    def __init__(self, table: Table[ApiToken], users: Table[tuple[User, str | None]]) -> None:
        self._table = table
        self._users = users

    def add(self, token: ApiToken) -> None:
        if token.user_id not in self._users.rows:
            raise NotFound(f"no user {token.user_id!r}", field="user_id")
        if token.id in self._table.rows:
            raise Conflict("a token with this id exists", field="id")
        if self.by_hash(token.token_hash) is not None:
            raise Conflict("a token with this token_hash exists", field="token_hash")
        self._table.put(token.id, token)

    def by_hash(self, token_hash: str) -> ApiToken | None:
        return next((t for t in self._table.rows.values() if t.token_hash == token_hash), None)

    def for_user(self, user_id: str) -> list[ApiToken]:
        mine = [t for t in self._table.rows.values() if t.user_id == user_id]
        return sorted(mine, key=lambda t: (as_utc(t.created_at), t.id), reverse=True)

    def get(self, token_id: str) -> ApiToken | None:
        return self._table.rows.get(token_id)

    def revoke(self, token_id: str, at: dt.datetime) -> bool:
        token = self._table.rows.get(token_id)
        if token is None or token.revoked_at is not None:
            return False
        self._table.put(token_id, replace(token, revoked_at=at))
        return True


class MemoryAgencyRepository:
    """``ports.AgencyRepository`` in memory."""

    def __init__(self, table: Table[Agency]) -> None:
        self._table = table

    def upsert(self, agency: Agency) -> None:
        self._table.put(agency.id, agency)

    def get(self, agency_id: str) -> Agency | None:
        return self._table.rows.get(agency_id)

    def list(self) -> list[Agency]:
        return [self._table.rows[key] for key in sorted(self._table.rows)]


class MemoryPeerRepository:
    """``ports.PeerRepository`` in memory."""

    def __init__(self, table: Table[Peer], agencies: Table[Agency]) -> None:
        self._table = table
        self._agencies = agencies

    def add(self, peer: Peer) -> None:
        if peer.agency_id not in self._agencies.rows:
            raise NotFound(f"no agency {peer.agency_id}", field="agency_id")
        if peer.key_id in self._table.rows:
            raise Conflict(f"the key id {peer.key_id} is already registered", field="key_id")
        self._table.put(peer.key_id, peer)

    def revoke(self, key_id: str, at: dt.datetime) -> bool:
        peer = self._table.rows.get(key_id)
        if peer is None or peer.revoked_at is not None:
            return False
        self._table.put(key_id, replace(peer, revoked_at=at))
        return True

    def by_key_id(self, key_id: str) -> Peer | None:
        return self._table.rows.get(key_id)

    def for_agency(self, agency_id: str) -> list[Peer]:
        return [p for p in self.list() if p.agency_id == agency_id]

    def list(self) -> list[Peer]:
        return sorted(self._table.rows.values(),
                      key=lambda p: (p.agency_id, as_utc(p.added_at), p.key_id))


NonceKey = tuple[str, str]


class MemoryNonceLedger:
    """``ports.NonceLedger`` in memory: this unit of work's copy of the committed nonces, and
    what each nonce it changed was worth on entry (to detect a concurrent claim at commit)."""

    def __init__(self, committed: dict[NonceKey, dt.datetime]) -> None:
        self.rows = dict(committed)
        self.entry_values: dict[NonceKey, dt.datetime | None] = {}

    def claim(self, key_id: str, nonce: str, keep_until: dt.datetime,
              now: dt.datetime) -> NonceClaim:
        held = self.rows.get((key_id, nonce))
        if held is not None and held >= as_utc(now):
            return NonceClaim.REPLAYED
        self._write((key_id, nonce), as_utc(keep_until))
        return NonceClaim.FRESH

    def purge(self, now: dt.datetime) -> int:
        expired = [key for key, until in self.rows.items() if until < as_utc(now)]
        for key in expired:
            self._write(key, None)
        return len(expired)

    def latest_by_key(self) -> dict[str, dt.datetime]:
        latest: dict[str, dt.datetime] = {}
        for (key_id, _), until in self.rows.items():
            latest[key_id] = max(until, latest.get(key_id, until))
        return latest

    def _write(self, key: NonceKey, until: dt.datetime | None) -> None:
        self.entry_values.setdefault(key, self.rows.get(key))
        if until is None:
            del self.rows[key]
        else:
            self.rows[key] = until

    def claimed_meanwhile(self, committed: dict[NonceKey, dt.datetime]) -> bool:
        """True when a nonce this unit of work took was changed by another one since."""
        return any(key in self.rows and committed.get(key) not in (None, was)
                   for key, was in self.entry_values.items())

    def apply_to(self, committed: dict[NonceKey, dt.datetime]) -> None:
        for key in self.entry_values:
            if key in self.rows:
                committed[key] = self.rows[key]
            else:
                committed.pop(key, None)
        self.entry_values.clear()


class MemoryAuditLog:
    """``ports.AuditLog`` in memory: ``entries`` is this unit of work's copy of the chain."""

    def __init__(self, entries: list[AuditEntry], key: bytes, clock: Clock) -> None:
        self.chain = entries
        self.appended = 0
        self._key = key
        self._clock = clock

    def append(self, events: Sequence[AuditEvent]) -> list[AuditEntry]:
        if not events:
            return []
        at = as_utc(self._clock.now())
        sealed = []
        for event in events:
            seq, prev = (self.chain[-1].seq, self.chain[-1].hash) if self.chain else (0, GENESIS)
            sealed.append(seal(self._key, seq + 1, at, event, prev))
            self.chain.append(sealed[-1])
        self.appended += len(sealed)
        return sealed

    def head(self) -> ChainHead | None:
        return seal_head(self._key, self.chain[-1].seq, self.chain[-1].hash) if self.chain else None

    def entries(self, query: AuditQuery, after_seq: int, limit: int) -> list[AuditEntry]:
        found = (e for e in self.chain if e.seq > after_seq and _audit_matches(e, query))
        return [entry for entry, _ in zip(found, range(max(limit, 0)), strict=False)]

    def scan(self, batch: int = 5000) -> Iterator[AuditEntry]:
        yield from list(self.chain)


def _audit_matches(entry: AuditEntry, query: AuditQuery) -> bool:
    return ((query.actor is None or entry.actor == query.actor)
            and (query.record_id is None or entry.record_id == query.record_id
                 or f'"{query.record_id}"' in json.dumps(entry.details, ensure_ascii=False))
            and (query.action is None or entry.action.value == query.action)
            and (query.time_from is None or entry.at >= as_utc(query.time_from))
            and (query.time_to is None or entry.at <= as_utc(query.time_to)))


class MemoryUnitOfWork:
    """``ports.UnitOfWork`` in memory; see the module docstring for its isolation."""

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

    def __init__(self, committed: _Committed, audit_key: bytes, clock: Clock) -> None:
        self._committed = committed
        self._audit_key = audit_key
        self._clock = clock
        self._tables: tuple[Table[Any], ...] = ()

    def __enter__(self) -> MemoryUnitOfWork:
        state = self._committed
        with state.lock:
            if threading.get_ident() in state.threads_in_work:
                raise RuntimeError("a unit of work is already open in this thread: on SQLite the "
                                   "inner one would wait for the outer one forever")
            state.threads_in_work.add(threading.get_ident())
            records, users = Table(state.records), Table(state.users)
            tokens, agencies = Table(state.tokens), Table(state.agencies)
            peers = Table(state.peers)
            self._nonces = MemoryNonceLedger(state.nonces)
            self._outbox = MemoryOutboxRepository(state.outbox)
            self._screening = MemoryScreeningRepository(state.hits)
            self._hits = MemoryHitRepository(state.hits)
            self._audit = MemoryAuditLog(list(state.audit), self._audit_key, self._clock)
            self.federation = MemoryFederationRepository(state.federation.copy())
        self._audit_base = len(self._audit.chain)
        self._tables = (records, users, tokens, agencies, peers)
        self.records = MemoryRecordRepository(records)
        self.users = MemoryUserRepository(users)
        self.tokens = MemoryTokenRepository(tokens, users)
        self.agencies = MemoryAgencyRepository(agencies)
        self.peers = MemoryPeerRepository(peers, agencies)
        self.nonces = self._nonces
        self.outbox = self._outbox
        self.screening = self._screening
        self.hits = self._hits
        self.audit = self._audit
        return self

    def commit(self) -> None:
        """Apply this unit of work's changes to the committed state, all at once."""
        state = self._committed
        with state.lock:
            if self._audit.appended and len(state.audit) != self._audit_base:
                raise RuntimeError("another unit of work appended to the audit log meanwhile")
            if self._nonces.claimed_meanwhile(state.nonces):
                raise RuntimeError("another unit of work claimed the same nonce meanwhile")
            records, users, tokens, agencies, peers = self._tables
            records.apply_to(state.records)
            users.apply_to(state.users)
            tokens.apply_to(state.tokens)
            agencies.apply_to(state.agencies)
            peers.apply_to(state.peers)
            self._nonces.apply_to(state.nonces)
            self._outbox.apply_to(state.outbox)
            self._screening.apply_to(state.hits)
            self._hits.apply_to(state.hits)
            state.audit[:] = self._audit.chain
            federation = self.federation
            assert isinstance(federation, MemoryFederationRepository)
            state.federation = federation.state.copy()
        self._audit.appended = 0
        self._audit_base = len(self._audit.chain)

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        """Drop what was not committed."""
        self._tables = ()
        with self._committed.lock:
            self._committed.threads_in_work.discard(threading.get_ident())


class MemoryUnitOfWorkFactory:
    """Opens in-memory units of work over one shared, committed state."""

    def __init__(self, audit_key: bytes, clock: Clock) -> None:
        self._committed = _Committed()
        self._audit_key = audit_key
        self._clock = clock

    def __call__(self) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self._committed, self._audit_key, self._clock)


if TYPE_CHECKING:
    def _implements_the_port(factory: MemoryUnitOfWorkFactory) -> UnitOfWorkFactory:
        return factory  # mypy proves here that the fake satisfies the port
