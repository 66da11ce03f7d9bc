"""How Passerelle names things in STIX: object types, identifiers and timestamps.

A record and its STIX object share one UUID: ``person--<uuid>`` is ``identity--<uuid>``,
``document--<uuid>`` is ``x-passerelle-document--<uuid>``, ``alert--<uuid>`` is
``x-passerelle-alert--<uuid>``. Keeping the UUID (rather than minting a STIX id) is what lets
a partner's update or revocation find the record again. Objects Passerelle itself publishes (its
identity, its extension-definitions, the agencies' identities) get UUIDv5 ids from one
namespace, so that every node and every export names them the same way.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import uuid
from typing import Final

from passerelle.domain.dates import parse_timestamp
from passerelle.domain.records import RecordKind
from passerelle.errors import InvalidDate, InvalidStix

NAMESPACE: Final = uuid.UUID("7c5ba6d7-785b-4601-b969-d99ba4a25655")
"""Passerelle's UUIDv5 namespace. Never change it: every published id derives from it."""

DOCUMENT_TYPE: Final = "x-passerelle-document"
EVENT_TYPE: Final = "x-passerelle-event"
ALERT_TYPE: Final = "x-passerelle-alert"

STIX_TYPE: Final[dict[RecordKind, str]] = {
    RecordKind.PERSON: "identity",
    RecordKind.ORGANISATION: "identity",
    RecordKind.DOCUMENT: DOCUMENT_TYPE,
    RecordKind.EVENT: EVENT_TYPE,
    RecordKind.REPORT: "report",
    RecordKind.INDICATOR: "indicator",
    RecordKind.RELATIONSHIP: "relationship",
    RecordKind.ALERT: ALERT_TYPE,
}

_STIX_TYPE_OF_PREFIX: Final = {kind.value: stix for kind, stix in STIX_TYPE.items()}
KINDS_OF_TYPE: Final[dict[str, tuple[RecordKind, ...]]] = {}
for _kind, _type in STIX_TYPE.items():
    KINDS_OF_TYPE[_type] = (*KINDS_OF_TYPE.get(_type, ()), _kind)

_STIX_ID = re.compile(
    r"^([a-z][a-z0-9-]+[a-z0-9])--([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
    r"[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$"
)
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


@functools.lru_cache(maxsize=1024)
def derived_uuid(name: str) -> str:
    """The UUIDv5 of ``name`` in Passerelle's namespace (for objects Passerelle publishes)."""
    return str(uuid.uuid5(NAMESPACE, name))


def agency_identity_id(agency: str) -> str:
    """The STIX identity of an owner agency: the same on every node, from its id alone."""
    return f"identity--{derived_uuid(f'agency:{agency}')}"


def stix_id(record_id: str) -> str:
    """The STIX id of a record id: same UUID, STIX type of the record's kind."""
    kind, _, uid = record_id.partition("--")
    stix_type = _STIX_TYPE_OF_PREFIX.get(kind)
    return record_id if stix_type is None else f"{stix_type}--{uid}"  # kept: its own STIX id


def split_stix_id(value: object, field: str) -> tuple[str, str]:
    """``(type, uuid)`` of a STIX id, the UUID in lower case (RFC 4122: case-insensitive)."""
    match = _STIX_ID.match(value) if isinstance(value, str) else None
    if match is None:
        raise InvalidStix(f"{value!r} is not a STIX identifier", field=field)
    return match.group(1), match.group(2).lower()


def record_id(kind: RecordKind, value: str, field: str) -> str:
    """The record id for the STIX id ``value`` read as a record of ``kind``."""
    stix_type, uid = split_stix_id(value, field)
    if kind not in KINDS_OF_TYPE.get(stix_type, ()):
        raise InvalidStix(f"a {stix_type} object cannot be a {kind.value} record", field=field)
    return f"{kind.value}--{uid}"


def format_timestamp(value: dt.datetime) -> str:
    """A STIX timestamp: UTC, always to the microsecond.

    A fixed width keeps ``created <= modified`` true when compared as text (the validator
    compares them so) and keeps every microsecond of the record's own timestamps. A naive value
    is taken as UTC, as the domain's reader takes it, never as the server's local time.
    """
    aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
    utc = aware.astimezone(dt.UTC).replace(tzinfo=None)
    return utc.isoformat(timespec="microseconds") + "Z"


def check_timestamp(value: object, field: str) -> str:
    """Return ``value`` if it is a STIX timestamp (RFC 3339, UTC, ``Z``); raise naming ``field``.

    The domain's own reader is lenient (any ISO 8601, naive taken as UTC); STIX is not, and a
    timestamp in another zone is more likely a producer's bug than a wish to be honoured.
    """
    if not isinstance(value, str) or not _TIMESTAMP.match(value):
        raise InvalidStix(f"{value!r} is not a STIX timestamp (RFC 3339, UTC, ending in Z)",
                          field=field)
    try:
        parse_timestamp(value, field)
    except InvalidDate as error:
        raise InvalidStix(error.detail, field=field) from None
    return value
