"""The ports the services need, as Protocols. Storage (and fakes in tests) implement them.

A ``UnitOfWork`` is one transaction: the services open it, use its repositories, and commit;
leaving without commit rolls everything back, so a failed request never writes half its data.
Repositories are handed out by the unit of work only: no repository outlives its transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Protocol

from passerelle.domain.agencies import Agency
from passerelle.domain.audit import AuditEntry, AuditEvent, ChainHead
from passerelle.domain.hits import (
    Candidate,
    CandidateStatus,
    Direction,
    HitMessage,
    HitReport,
    JobStatus,
    ScreeningJob,
)
from passerelle.domain.outbox import OutboxItem
from passerelle.domain.peers import Peer
from passerelle.domain.records import Record, RecordKind
from passerelle.domain.releases import Release, Which
from passerelle.domain.transfers import LegalBasis, TransferRecord
from passerelle.domain.users import User
from passerelle.federation.replay import NonceClaim


class Clock(Protocol):
    """Time, injected so that tests control it."""

    def now(self) -> dt.datetime:
        """The current time, timezone-aware UTC."""
        ...


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


class UserRepository(Protocol):
    """Accounts of this node."""

    def add(self, user: User, password_hash: str | None) -> None:
        """Create; raises ``Conflict`` if the id or username is taken."""
        ...

    def update(self, user: User) -> None:
        """Replace roles, compartments, display name and active flag."""
        ...

    def set_password_hash(self, user_id: str, password_hash: str) -> None:
        """Replace the stored password hash."""
        ...

    def get(self, user_id: str) -> User | None:
        """By id."""
        ...

    def by_username(self, username: str) -> tuple[User, str | None] | None:
        """The user and the stored password hash."""
        ...

    def list(self) -> list[User]:
        """Every account, ordered by username."""
        ...


@dataclass(frozen=True, slots=True)
class ApiToken:
    """An API token as stored: only the SHA-256 of the secret is kept."""

    id: str
    user_id: str
    name: str
    token_hash: str
    created_at: dt.datetime
    expires_at: dt.datetime | None = None
    revoked_at: dt.datetime | None = None


class TokenRepository(Protocol):
    """API tokens."""

    def add(self, token: ApiToken) -> None:
        """Store a new token."""
        ...

    def by_hash(self, token_hash: str) -> ApiToken | None:
        """The token whose secret hashes to ``token_hash``."""
        ...

    def for_user(self, user_id: str) -> list[ApiToken]:
        """Tokens of one user, newest first."""
        ...

    def get(self, token_id: str) -> ApiToken | None:
        """By id."""
        ...

    def revoke(self, token_id: str, at: dt.datetime) -> bool:
        """Mark revoked; True if it was active."""
        ...


class AgencyRepository(Protocol):
    """Partner agencies known to this node."""

    def upsert(self, agency: Agency) -> None:
        """Create or replace."""
        ...

    def get(self, agency_id: str) -> Agency | None:
        """By id."""
        ...

    def list(self) -> list[Agency]:
        """Every agency, ordered by id."""
        ...


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


@dataclass(frozen=True, slots=True)
class TransferQuery:
    """Filters of the transfer register; empty fields do not filter."""

    recipient: str | None = None
    record_id: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class SyncCheckpoint:
    """How far this node has read one partner's feed: the ``date_added`` of the last entry
    taken, and when it was taken (the ``at`` of ``set_checkpoint``)."""

    date_added: dt.datetime
    pulled_at: dt.datetime


class FederationRepository(Protocol):
    """Legal bases, transfer records, the release feed and onward-transfer consents."""

    def basis(self, partner: str) -> LegalBasis | None:
        """The legal basis recorded for a partner, if any."""
        ...

    def set_basis(self, basis: LegalBasis) -> None:
        """Record (or replace) a partner's legal basis."""
        ...

    def bases(self) -> list[LegalBasis]:
        """Every recorded basis, by partner."""
        ...

    def add_transfers(self, transfers: Sequence[TransferRecord]) -> None:
        """Append transfer records."""
        ...

    def transfers(self, query: TransferQuery, after_seq: int, limit: int
                  ) -> list[tuple[int, TransferRecord]]:
        """Transfer records after a position, in order, with their positions."""
        ...

    def append_releases(self, releases: Sequence[Release]) -> None:
        """Append feed entries (their ``seq`` is assigned here)."""
        ...

    def last_date_added(self) -> dt.datetime | None:
        """The latest ``date_added`` of the feeds of the registered agencies."""
        ...

    def feed(self, partner: str, after: tuple[dt.datetime, int] | None,
             added_after: dt.datetime | None, limit: int, which: Which = "all"
             ) -> list[Release]:
        """A partner's feed in (date_added, seq) order, after a keyset position; with
        ``which``, only each record's last (or first) entry in that feed."""
        ...

    def latest_changes(self, record_id: str) -> dict[str, Release]:
        """For each partner that ever had the record in its feed, its latest entry."""
        ...

    def consents(self, record_id: str) -> frozenset[str]:
        """Agencies the originator authorised this record to be passed on to."""
        ...

    def consents_of(self, record_ids: Sequence[str]) -> dict[str, frozenset[str]]:
        """``consents`` of many records in one read; records without any are left out."""
        ...

    def checkpoint(self, partner: str) -> dt.datetime | None:
        """The ``date_added`` of the last entry taken from a partner's feed."""
        ...

    def set_checkpoint(self, partner: str, date_added: dt.datetime, at: dt.datetime) -> None:
        """Move the checkpoint of a partner's feed forward (never back), noting ``at`` as when
        the entries were taken; a call that does not move it forward changes nothing."""
        ...

    def checkpoints(self) -> dict[str, SyncCheckpoint]:
        """Every partner's checkpoint, with when it last moved (partners never read are left
        out)."""
        ...

    def grant_consent(self, record_id: str, agency_id: str, granted_by: str,
                      at: dt.datetime) -> None:
        """Record the originator's authorisation (idempotent)."""
        ...


class PeerRepository(Protocol):
    """The registered keys of partner nodes, revoked ones included (they are never deleted,
    so that a revoked key id cannot be registered again and the registry shows its history)."""

    def add(self, peer: Peer) -> None:
        """Register a key: ``NotFound`` (field ``agency_id``) for an unknown agency,
        ``Conflict`` (field ``key_id``) for a key id already registered, revoked or not."""
        ...

    def revoke(self, key_id: str, at: dt.datetime) -> bool:
        """Mark revoked at ``at``; True if it was active (a second revocation keeps the first
        time)."""
        ...

    def by_key_id(self, key_id: str) -> Peer | None:
        """The registration of ``key_id``, revoked or not: the caller decides what to trust."""
        ...

    def for_agency(self, agency_id: str) -> list[Peer]:
        """One agency's keys, oldest first (by ``added_at``, then key id)."""
        ...

    def list(self) -> list[Peer]:
        """Every key, by agency, then oldest first."""
        ...


class NonceLedger(Protocol):
    """The nonces of accepted signed requests, shared by every worker of the node (the stored
    form of ``federation.replay.ReplayGuard``).

    ``claim`` is atomic across transactions: of two concurrent claims of one (key id, nonce),
    exactly one is ``FRESH`` once both have committed. It never answers ``FULL``: the database
    does not run out of room the way a bounded memory does. A claim takes effect on commit,
    like any other write.
    """

    def claim(self, key_id: str, nonce: str, keep_until: dt.datetime,
              now: dt.datetime) -> NonceClaim:
        """``FRESH`` (and the nonce is taken until ``keep_until``) unless this key id holds
        the nonce with a ``keep_until`` not before ``now``: then ``REPLAYED``."""
        ...

    def purge(self, now: dt.datetime) -> int:
        """Forget the nonces kept until before ``now``; how many were forgotten."""
        ...

    def latest_by_key(self) -> dict[str, dt.datetime]:
        """For each key id that holds nonces, the latest ``keep_until`` among them: a trace of
        the last signed request accepted from that key, until ``purge`` forgets it."""
        ...


@dataclass(frozen=True, slots=True)
class OutboxSummary:
    """The delivery state of one partner's outbox items.

    ``pending`` counts the undelivered items, ``failing`` those of them that failed at least
    once; ``oldest_pending_at`` is the ``enqueued_at`` of the oldest undelivered one and
    ``next_attempt_at`` the earliest time one of them will be tried. ``last_delivered_at`` is
    the latest delivery among the delivered items still kept (they are purged after a while).
    ``last_error`` is the error of the undelivered failed item with the latest
    ``next_attempt_at``: no failure time is stored, and a retry is scheduled from the time of
    the failure, so that item is (nearly always) the one that failed last.
    """

    pending: int = 0
    failing: int = 0
    oldest_pending_at: dt.datetime | None = None
    next_attempt_at: dt.datetime | None = None
    last_delivered_at: dt.datetime | None = None
    last_error: str | None = None


class OutboxRepository(Protocol):
    """Objects waiting to be pushed to partners' nodes, and those delivered (kept until
    purged). Items are never changed except through ``delivered`` and ``failed``."""

    def add(self, items: Sequence[OutboxItem]) -> None:
        """Store new items; ``Conflict`` (field ``id``) for an id stored already."""
        ...

    def get(self, item_id: str) -> OutboxItem | None:
        """By id, delivered or not."""
        ...

    def due(self, now: dt.datetime, limit: int, partner: str | None = None
            ) -> list[OutboxItem]:
        """Up to ``limit`` undelivered items whose ``next_attempt_at`` is not after ``now``
        (of ``partner`` only, when given), by ``next_attempt_at``, then ``enqueued_at``, then
        id."""
        ...

    def delivered(self, item_ids: Sequence[str], at: dt.datetime) -> int:
        """Mark delivered at ``at`` those not delivered yet; how many were marked."""
        ...

    def failed(self, item_id: str, error: str, next_attempt_at: dt.datetime) -> bool:
        """Count one more failed attempt, keep ``error`` and set the next attempt; False (and
        nothing changes) when the item is unknown or delivered already."""
        ...

    def postpone(self, partner: str, until: dt.datetime) -> int:
        """Make every undelivered item of ``partner`` due at ``until`` at the earliest (the
        partner is down: none of its items is worth trying before); how many moved."""
        ...

    def pending_counts(self) -> dict[str, int]:
        """How many undelivered items each partner has (partners with none are left out)."""
        ...

    def partner_summary(self) -> dict[str, OutboxSummary]:
        """Each partner's ``OutboxSummary``, computed by the store (aggregates, not rows);
        partners without any item kept are left out."""
        ...

    def drop_pending(self, partner: str, object_ids: Sequence[str]) -> int:
        """Delete the undelivered items of these objects for ``partner`` (a later version
        supersedes them); how many were deleted."""
        ...

    def purge_delivered(self, before: dt.datetime) -> int:
        """Delete the items delivered before ``before``; how many were deleted."""
        ...


class ScreeningRepository(Protocol):
    """Screening jobs (with the list they screen) and the review queue of candidates."""

    def add_job(self, job: ScreeningJob, rows: Sequence[Mapping[str, Any]]) -> None:
        """Store a new job and the travellers it screens, in their order."""
        ...

    def job(self, job_id: str) -> ScreeningJob | None:
        """A job by id."""
        ...

    def job_rows(self, job_id: str) -> list[dict[str, Any]]:
        """The travellers of a job, in their order (empty for an unknown job)."""
        ...

    def update_job(self, job: ScreeningJob) -> None:
        """Store a job's progress (status, done, candidates, error, finished_at)."""
        ...

    def jobs(self, statuses: frozenset[JobStatus], limit: int) -> list[ScreeningJob]:
        """Jobs in one of ``statuses`` (every job if empty), latest first."""
        ...

    def add_candidates(self, candidates: Sequence[Candidate]) -> int:
        """Store the candidates not stored yet for the same check of the same alert (a job's
        row, or a record's version); returns how many were new."""
        ...

    def candidate(self, candidate_id: str) -> Candidate | None:
        """A candidate by id."""
        ...

    def candidates(self, status: CandidateStatus | None, after: str | None,
                   limit: int) -> list[Candidate]:
        """Candidates in ``status`` (any if None), ordered by id, after the id ``after``."""
        ...

    def reviewed(self, candidate: Candidate) -> bool:
        """Store a review decision; False (nothing written) unless the candidate was still
        pending, so that two reviewers cannot both decide."""
        ...

    def count_candidates(self) -> dict[CandidateStatus, int]:
        """How many candidates are in each status."""
        ...

    def mark(self, name: str) -> int:
        """The audit seq up to which the follower ``name`` has worked (0 if it never ran)."""
        ...

    def set_mark(self, name: str, seq: int) -> None:
        """Store how far the follower ``name`` has worked."""
        ...


class HitRepository(Protocol):
    """Hit reports this node sent or received, and the messages that follow them."""

    def add(self, report: HitReport) -> bool:
        """Store a new report; False (nothing written) if its id is stored already."""
        ...

    def get(self, hit_id: str) -> HitReport | None:
        """A report with its messages, oldest first."""
        ...

    def list(self, direction: Direction | None, after: str | None, limit: int
             ) -> Sequence[HitReport]:
        """Reports ordered by id (with their messages), after the id ``after``."""
        ...

    def add_message(self, message: HitMessage) -> bool:
        """Store a message; False if its id is stored already. An acknowledgement or a reply
        of the issuer marks the report answered (``answered_at``) unless it was already."""
        ...

    def unanswered(self, direction: Direction) -> Sequence[HitReport]:
        """Reports not answered yet, oldest first (deadlines are counted from them)."""
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
