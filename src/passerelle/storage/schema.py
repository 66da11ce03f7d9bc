"""The database schema, as typed SQLAlchemy models. Alembic migrations must produce exactly this
(a test compares them on SQLite and PostgreSQL), so change both together.

The repositories write through SQLAlchemy Core on these tables (``Model.__table__``), not through
ORM objects: bulk imports insert hundreds of thousands of rows and the ORM's unit of work would
cost more than the database does.

Invariants kept by the repositories, not by the database:

- ``records`` holds what searches filter on and points at the latest version
  (``records.version``); the bodies (``domain.codec.record_to_dict`` of each version) live in
  ``record_versions`` only. A body is written once per version: storing the latest twice would
  cost a second serialisation on every import and double the largest column of the database.
- ``record_names``, ``record_documents`` and ``record_references`` are derived from the
  latest version only (``storage.search_keys``); they carry no foreign key because they are
  rebuilt on every version and a per-row foreign-key check would slow bulk import for no gain
  in integrity (a reference may also name a record not received yet, or erased). They hold
  keys folded by ``matching.text``, and ``record_names`` also the spelling keys (``~SF``) of
  ``matching.blocking.spelling_keys``: a change to how either folds names or numbers, or reads
  a name's skeletons, needs a migration that re-derives the tables from the latest bodies
  (as 0010 does for the spelling keys), or old records stop being found.
- ``audit_head`` holds one row (id 1): the seq and hash of the last audit entry, updated in the
  same transaction as every append. It reveals entries removed from the end of the chain, and
  its row lock serialises concurrent appenders on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from passerelle.storage.types import UtcDateTime, json_type, key_type

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ID_LENGTH = 64
TOKEN_LENGTH = 100
DOCUMENT_KEY_LENGTH = 128
REFERENCE_ROLE_LENGTH = 16
KEY_ID_LENGTH = 64  # domain.peers.KEY_ID_MAX
NONCE_LENGTH = 128  # federation.signatures accepts nonces of 16-128 characters
STIX_ID_LENGTH = 300  # type (up to 250 characters) + "--" + UUID
_SEQ = BigInteger().with_variant(Integer(), "sqlite")  # INTEGER PRIMARY KEY is SQLite's rowid


class Base(DeclarativeBase):
    """Holds the metadata; constraint names are deterministic so that batch migrations on SQLite
    can find them."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class AgencyRow(Base):
    """A partner agency (``domain.agencies.Agency``)."""

    __tablename__ = "agencies"

    id: Mapped[str] = mapped_column(key_type(63), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    eu_member: Mapped[bool] = mapped_column(Boolean)


class UserRow(Base):
    """An account; roles and compartments are small sets kept as JSON lists."""

    __tablename__ = "users"

    id: Mapped[str] = mapped_column(key_type(100), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    agency_id: Mapped[str] = mapped_column(String(63))
    display_name: Mapped[str] = mapped_column(String(200))
    roles: Mapped[list[str]] = mapped_column(json_type())
    compartments: Mapped[list[str]] = mapped_column(json_type())
    active: Mapped[bool] = mapped_column(Boolean)
    password_hash: Mapped[str | None] = mapped_column(String(255))


class ApiTokenRow(Base):
    """An API token; only the SHA-256 of its secret is stored, looked up by a unique index."""

    __tablename__ = "api_tokens"
    __table_args__ = (Index(None, "user_id", "created_at"),)

    id: Mapped[str] = mapped_column(key_type(100), primary_key=True)
    user_id: Mapped[str] = mapped_column(key_type(100), ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())


class RecordRow(Base):
    """The head of a record: its latest version number and the columns searches filter on.

    There is no index on ``kind``: the kind is the prefix of the id, so a kind filter is a range
    of the primary key (``storage.record_search``), which also yields rows in id order for keyset
    paging. ``owner_agency`` is indexed with ``id`` for the same reason; ``record_time`` with
    ``id`` so that a narrow time range is read and sorted from the index alone (PostgreSQL
    otherwise prefers walking the primary key through a million rows). On SQLite the rows are
    small enough to live in the primary-key tree itself (WITHOUT ROWID): one tree fewer to write.

    ``review_date`` (the markings' review date) and ``valid_until`` (alerts and indicators) copy
    the latest body's values, NULL when it has none, so that the records falling due for review
    and the alerts about to expire are read from ``(owner_agency, <column>, id)`` in the order
    they are listed, rather than by decoding every body.
    """

    __tablename__ = "records"
    __table_args__ = (Index(None, "owner_agency", "id"), Index(None, "record_time", "id"),
                      Index(None, "owner_agency", "review_date", "id"),
                      Index(None, "owner_agency", "valid_until", "id"),
                      {"sqlite_with_rowid": False})

    id: Mapped[str] = mapped_column(key_type(ID_LENGTH), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    owner_agency: Mapped[str] = mapped_column(String(63))
    version: Mapped[int] = mapped_column(Integer)
    record_time: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    modified_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    review_date: Mapped[dt.date | None] = mapped_column(Date())
    valid_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())


class RecordVersionRow(Base):
    """Every version of every record, the latest included: the only copy of the bodies."""

    __tablename__ = "record_versions"

    record_id: Mapped[str] = mapped_column(
        key_type(ID_LENGTH), ForeignKey("records.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    body: Mapped[dict[str, Any]] = mapped_column(json_type())
    modified_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    modified_by: Mapped[str] = mapped_column(String(200))


class RecordNameRow(Base):
    """One name token or spelling key (``~`` + skeleton) of a record, clustered by
    (token, record_id): a search reads one token's entries in id order and probes the others'
    entries, which sit together in a few pages, instead of jumping all over a record-ordered
    tree. The index on ``record_id`` serves erasure and re-indexing."""

    __tablename__ = "record_names"
    __table_args__ = (PrimaryKeyConstraint("token", "record_id"), Index(None, "record_id"),
                      {"sqlite_with_rowid": False})

    token: Mapped[str] = mapped_column(key_type(TOKEN_LENGTH))
    record_id: Mapped[str] = mapped_column(key_type(ID_LENGTH))


class RecordDocumentRow(Base):
    """One normalised document number of a record (``matching.text.document_key``), clustered
    like ``record_names``."""

    __tablename__ = "record_documents"
    __table_args__ = (PrimaryKeyConstraint("number_key", "record_id"), Index(None, "record_id"),
                      {"sqlite_with_rowid": False})

    number_key: Mapped[str] = mapped_column(key_type(DOCUMENT_KEY_LENGTH))
    record_id: Mapped[str] = mapped_column(key_type(ID_LENGTH))


class RecordReferenceRow(Base):
    """One record the latest version of ``record_id`` points at, and the role it plays there
    (``storage.search_keys.record_references``), clustered by (target_id, record_id): a
    record's page reads the records pointing at it from one range. The index on ``record_id``
    serves erasure and re-indexing."""

    __tablename__ = "record_references"
    __table_args__ = (PrimaryKeyConstraint("target_id", "record_id", "role"),
                      Index(None, "record_id"), {"sqlite_with_rowid": False})

    target_id: Mapped[str] = mapped_column(key_type(ID_LENGTH))
    record_id: Mapped[str] = mapped_column(key_type(ID_LENGTH))
    role: Mapped[str] = mapped_column(key_type(REFERENCE_ROLE_LENGTH))


class AuditRow(Base):
    """One sealed audit entry; ``seq`` is assigned by the log, never by the database."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index(None, "actor", "seq"), Index(None, "record_id", "seq"), Index(None, "at"))

    seq: Mapped[int] = mapped_column(_SEQ, primary_key=True, autoincrement=False)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    action: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(200))
    agency_id: Mapped[str] = mapped_column(String(63))
    record_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    justification: Mapped[str] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(json_type())
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHeadRow(Base):
    """The single row recording the last (seq, hash) of the audit chain; seq 0 means empty."""

    __tablename__ = "audit_head"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
    mac: Mapped[str] = mapped_column(String(64), server_default="")


class LegalBasisRow(Base):
    """The recorded legal basis for transfers to one partner (``domain.transfers.LegalBasis``)."""

    __tablename__ = "legal_bases"

    partner: Mapped[str] = mapped_column(key_type(63), ForeignKey("agencies.id"),
                                         primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    reference: Mapped[str] = mapped_column(Text)
    justification: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    recorded_by: Mapped[str] = mapped_column(String(200))
    expires: Mapped[dt.date | None] = mapped_column(Date())


class TransferRow(Base):
    """One disclosure of a record to a partner (``domain.transfers.TransferRecord``)."""

    __tablename__ = "transfers"
    __table_args__ = (Index(None, "recipient", "seq"), Index(None, "record_id", "seq"),
                      Index(None, "at"))

    seq: Mapped[int] = mapped_column(_SEQ, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(key_type(ID_LENGTH), unique=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    sender: Mapped[str] = mapped_column(String(63))
    recipient: Mapped[str] = mapped_column(String(63))
    record_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    version: Mapped[int] = mapped_column(Integer)
    basis: Mapped[str] = mapped_column(String(32))
    reference: Mapped[str] = mapped_column(Text)
    justification: Mapped[str] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(String(64))
    summary: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(32))


class ReleaseRow(Base):
    """The per-partner change feed: a record version made available to (or withdrawn from) a
    partner, in the order the node added it. A partner's TAXII pages are read from
    ``(partner, date_added, seq)`` alone, so a page costs the same at any collection size;
    ``date_added`` is strictly increasing per node (microseconds, assigned under the audit
    head's lock)."""

    __tablename__ = "releases"
    __table_args__ = (Index(None, "partner", "date_added", "seq"),
                      Index(None, "record_id", "partner"))

    seq: Mapped[int] = mapped_column(_SEQ, primary_key=True, autoincrement=True)
    partner: Mapped[str] = mapped_column(String(63))
    date_added: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    record_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    version: Mapped[int] = mapped_column(Integer)
    change: Mapped[str] = mapped_column(String(16))


class ConsentRow(Base):
    """An originator's recorded authorisation to pass one of its records on to an agency."""

    __tablename__ = "onward_consents"
    __table_args__ = (PrimaryKeyConstraint("record_id", "agency_id"),)

    record_id: Mapped[str] = mapped_column(key_type(ID_LENGTH))
    agency_id: Mapped[str] = mapped_column(key_type(63))
    granted_by: Mapped[str] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class PeerRow(Base):
    """A registered key of a partner node (``domain.peers.Peer``); an agency may have several
    (rotation). Rows are revoked, never deleted, so that a key id is never registered twice."""

    __tablename__ = "peers"
    __table_args__ = (Index(None, "agency_id", "added_at"),)

    key_id: Mapped[str] = mapped_column(key_type(KEY_ID_LENGTH), primary_key=True)
    agency_id: Mapped[str] = mapped_column(key_type(63), ForeignKey("agencies.id"))
    public_key: Mapped[str] = mapped_column(String(44))  # raw 32 bytes, standard base64
    base_url: Mapped[str] = mapped_column(Text)
    added_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    added_by: Mapped[str] = mapped_column(String(200))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())


class SeenNonceRow(Base):
    """A nonce of an accepted signed request, kept until its signature would be refused anyway
    (``keep_until``). The primary key makes a second claim of the same nonce fail atomically;
    the index on ``keep_until`` serves the purge of expired rows. On SQLite the rows live in
    the primary-key tree itself (WITHOUT ROWID)."""

    __tablename__ = "seen_nonces"
    __table_args__ = (PrimaryKeyConstraint("key_id", "nonce"), Index(None, "keep_until"),
                      {"sqlite_with_rowid": False})

    key_id: Mapped[str] = mapped_column(key_type(KEY_ID_LENGTH))
    nonce: Mapped[str] = mapped_column(key_type(NONCE_LENGTH))
    keep_until: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class SyncCheckpointRow(Base):
    """The ``date_added`` of the last entry this node took from a partner's feed."""

    __tablename__ = "sync_checkpoints"

    partner: Mapped[str] = mapped_column(key_type(63), primary_key=True)
    date_added: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class OutboxRow(Base):
    """An object to push to a partner's node (``domain.outbox.OutboxItem``). The sender reads
    due work from ``(delivered_at, next_attempt_at)``: undelivered rows (``delivered_at`` NULL)
    in the order they come due, without reading delivered ones; the purge of old delivered
    rows reads the same index. ``(partner, object_id)`` finds the pending items of an object
    that a later version supersedes."""

    __tablename__ = "outbox"
    __table_args__ = (Index(None, "delivered_at", "next_attempt_at"),
                      Index(None, "partner", "object_id"))

    id: Mapped[str] = mapped_column(key_type(ID_LENGTH), primary_key=True)
    partner: Mapped[str] = mapped_column(key_type(63))
    object: Mapped[dict[str, Any]] = mapped_column(json_type())
    object_id: Mapped[str] = mapped_column(key_type(STIX_ID_LENGTH))
    object_version: Mapped[str] = mapped_column(Text)
    enqueued_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    attempts: Mapped[int] = mapped_column(Integer)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)


class ScreeningJobRow(Base):
    """A list submitted for screening (``domain.hits.ScreeningJob``) and, in ``rows``, the
    travellers it holds, as submitted: a job interrupted by a restart resumes from ``done``."""

    __tablename__ = "screening_jobs"
    __table_args__ = (Index(None, "status", "submitted_at"),)

    id: Mapped[str] = mapped_column(key_type(ID_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    submitted_by: Mapped[str] = mapped_column(String(200))
    submitted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    total: Mapped[int] = mapped_column(Integer)
    done: Mapped[int] = mapped_column(Integer)
    candidates: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    error: Mapped[str] = mapped_column(Text)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    rows: Mapped[list[Any]] = mapped_column(json_type())


class ScreeningMarkRow(Base):
    """How far a follower of the audit log has worked (the screening of partners' records):
    the seq of the last entry it handled, committed with what it made of them."""

    __tablename__ = "screening_marks"

    name: Mapped[str] = mapped_column(key_type(63), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)


class CandidateRow(Base):
    """An automated match in the review queue (``domain.hits.Candidate``). ``check_key`` is
    unique per check and alert (a job's row, or a record's version): screening the same
    check again, after a restart, adds nothing twice."""

    __tablename__ = "candidates"
    __table_args__ = (Index(None, "status", "id"),)

    id: Mapped[str] = mapped_column(key_type(ID_LENGTH), primary_key=True)
    check_key: Mapped[str] = mapped_column(key_type(200), unique=True)
    source: Mapped[str] = mapped_column(String(16))
    job_id: Mapped[str | None] = mapped_column(key_type(ID_LENGTH))
    row: Mapped[int | None] = mapped_column(Integer)
    record_id: Mapped[str | None] = mapped_column(key_type(ID_LENGTH))
    query: Mapped[dict[str, Any]] = mapped_column(json_type())
    alert_id: Mapped[str] = mapped_column(key_type(ID_LENGTH))
    alert_version: Mapped[int] = mapped_column(Integer)
    issuer: Mapped[str] = mapped_column(String(63))
    score: Mapped[float] = mapped_column(Float)
    features: Mapped[list[Any]] = mapped_column(json_type())
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    status: Mapped[str] = mapped_column(String(16))
    reviewed_by: Mapped[str] = mapped_column(String(200))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    justification: Mapped[str] = mapped_column(Text)
    hit_id: Mapped[str | None] = mapped_column(key_type(ID_LENGTH))


class HitRow(Base):
    """A hit report sent or received (``domain.hits.HitReport``); ``sighting`` holds what the
    finder reported, in the codec's plain form. Unanswered reports are read by
    ``(direction, answered_at)`` to count deadlines."""

    __tablename__ = "hits"
    __table_args__ = (Index(None, "direction", "answered_at", "reported_at"),)

    id: Mapped[str] = mapped_column(key_type(ID_LENGTH), primary_key=True)
    direction: Mapped[str] = mapped_column(String(16))
    alert_id: Mapped[str] = mapped_column(key_type(ID_LENGTH))
    issuer: Mapped[str] = mapped_column(String(63))
    finder: Mapped[str] = mapped_column(String(63))
    sighting: Mapped[dict[str, Any]] = mapped_column(json_type())
    reported_by: Mapped[str] = mapped_column(String(200))
    reported_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    candidate_id: Mapped[str | None] = mapped_column(key_type(ID_LENGTH))
    answered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())


class HitMessageRow(Base):
    """An acknowledgement or a reply about a hit (``domain.hits.HitMessage``)."""

    __tablename__ = "hit_messages"
    __table_args__ = (Index(None, "hit_id", "at"),)

    id: Mapped[str] = mapped_column(key_type(ID_LENGTH), primary_key=True)
    hit_id: Mapped[str] = mapped_column(key_type(ID_LENGTH))
    kind: Mapped[str] = mapped_column(String(16))
    agency: Mapped[str] = mapped_column(String(63))
    author: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


def table(model: type[Base]) -> Table:
    """The Core table of a model, for the repositories' bulk statements."""
    return cast(Table, model.__table__)


metadata = Base.metadata
AGENCIES = table(AgencyRow)
USERS = table(UserRow)
API_TOKENS = table(ApiTokenRow)
RECORDS = table(RecordRow)
RECORD_VERSIONS = table(RecordVersionRow)
RECORD_NAMES = table(RecordNameRow)
RECORD_DOCUMENTS = table(RecordDocumentRow)
RECORD_REFERENCES = table(RecordReferenceRow)
AUDIT_LOG = table(AuditRow)
AUDIT_HEAD = table(AuditHeadRow)
LEGAL_BASES = table(LegalBasisRow)
TRANSFERS = table(TransferRow)
RELEASES = table(ReleaseRow)
CONSENTS = table(ConsentRow)
SYNC_CHECKPOINTS = table(SyncCheckpointRow)
PEERS = table(PeerRow)
SEEN_NONCES = table(SeenNonceRow)
OUTBOX = table(OutboxRow)
SCREENING_JOBS = table(ScreeningJobRow)
SCREENING_MARKS = table(ScreeningMarkRow)
CANDIDATES = table(CandidateRow)
HITS = table(HitRow)
HIT_MESSAGES = table(HitMessageRow)
