"""The audit log (LED Art. 25): who did what, when, to which record, and why.

Entries form a hash chain: each entry's ``hash`` is an HMAC-SHA256, under the node's audit key,
of its own content and the previous entry's hash. Altering, inserting or removing a row breaks
the chain at that row; without the key, nobody with database access can forge a new chain.
``verify_chain`` walks entries in sequence order and names the first one that does not verify.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import orjson

GENESIS = "0" * 64


class AuditAction(str, Enum):
    """Operations the law requires to be logged."""

    COLLECTION = "collection"  # a record created or imported
    ALTERATION = "alteration"  # a new version
    CONSULTATION = "consultation"  # personal data read
    SEARCH = "search"
    EXPORT = "export"
    DISCLOSURE = "disclosure"  # sent to a partner, including transfers
    COMBINATION = "combination"
    ERASURE = "erasure"
    REVIEW = "review"
    ACCESS_DENIED = "access_denied"
    LOGIN = "login"
    ADMINISTRATION = "administration"  # users, tokens, settings


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """What a service asks to log; the log assigns sequence, time and hashes."""

    action: AuditAction
    actor: str  # "user:<id>", "agency:<id>" or "system"
    agency_id: str
    record_id: str | None = None
    justification: str = ""
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One sealed row of the log."""

    seq: int
    at: dt.datetime
    action: AuditAction
    actor: str
    agency_id: str
    record_id: str | None
    justification: str
    details: dict[str, Any]
    prev_hash: str
    hash: str


def canonical(seq: int, at: dt.datetime, event: AuditEvent, prev_hash: str) -> bytes:
    """The exact bytes that are sealed: stable key order, UTC time with microseconds."""
    body = {
        "seq": seq,
        "at": at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "action": event.action._value_,
        "actor": event.actor,
        "agency_id": event.agency_id,
        "record_id": event.record_id,
        "justification": event.justification,
        "details": event.details,
        "prev_hash": prev_hash,
    }
    # Same bytes as json.dumps(sort_keys=True, ensure_ascii=False, separators=(",", ":")),
    # an order of magnitude faster: sealing is on the path of every write.
    return orjson.dumps(body, option=orjson.OPT_SORT_KEYS)


def seal(key: bytes, seq: int, at: dt.datetime, event: AuditEvent, prev_hash: str) -> AuditEntry:
    """Make the entry that follows ``prev_hash``."""
    digest = hmac.new(key, canonical(seq, at, event, prev_hash), hashlib.sha256).hexdigest()
    return AuditEntry(seq, at, event.action, event.actor, event.agency_id, event.record_id,
                      event.justification, event.details, prev_hash, digest)


@dataclass(frozen=True, slots=True)
class ChainHead:
    """Where the chain ends, as the log records it: the last entry's seq and hash, sealed with
    the key so that someone who removes the last entries cannot move the head back unseen."""

    seq: int
    hash: str
    mac: str


def seal_head(key: bytes, seq: int, last_hash: str) -> ChainHead:
    """The head that follows the entry ``seq`` whose hash is ``last_hash``."""
    mac = hmac.new(key, f"head:{seq}:{last_hash}".encode(), hashlib.sha256).hexdigest()
    return ChainHead(seq, last_hash, mac)


@dataclass(frozen=True, slots=True)
class ChainReport:
    """The outcome of a verification: how many entries verified and the first failure."""

    checked: int
    broken_seq: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


def verify_chain(key: bytes, entries: Iterable[AuditEntry],
                 head: ChainHead | None = None) -> ChainReport:
    """Walk ``entries`` in sequence order; stop at the first that does not verify.

    ``head`` is where the log recorded its chain to end: it catches the removal of entries at
    the end of the chain, which no later entry could reveal. Its seal is checked first.
    """
    if head is not None and not hmac.compare_digest(
            seal_head(key, head.seq, head.hash).mac, head.mac):
        return ChainReport(0, head.seq, "the head of the log was altered")
    expected_seq, prev, checked = 1, GENESIS, 0
    for entry in entries:
        if entry.seq != expected_seq:
            return ChainReport(checked, expected_seq, f"entry {expected_seq} is missing")
        event = AuditEvent(entry.action, entry.actor, entry.agency_id, entry.record_id,
                           entry.justification, entry.details)
        if entry.prev_hash != prev:
            return ChainReport(checked, entry.seq, "does not follow the previous entry")
        if not hmac.compare_digest(seal(key, entry.seq, entry.at, event, prev).hash, entry.hash):
            return ChainReport(checked, entry.seq, "content altered (hash does not match)")
        prev, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1
    if head is not None and (head.seq, head.hash) != (expected_seq - 1, prev):
        return ChainReport(checked, expected_seq if head.seq >= expected_seq else head.seq,
                           f"the log ends at entry {expected_seq - 1} but its head records "
                           f"entry {head.seq}")
    return ChainReport(checked)
