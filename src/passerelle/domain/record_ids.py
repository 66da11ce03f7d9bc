"""How records are named: the kind a record id names, and which ids are records' at all.

A record id is ``<kind>--<uuid>`` (the UUID shared with its STIX id), except a STIX object
Passerelle keeps as received (kind ``object``), which is named by its own STIX id.
"""

from __future__ import annotations

import re
import uuid
from enum import Enum

from passerelle.errors import ValidationFailed


class RecordKind(str, Enum):
    """What a record is about. The value is the prefix of its identifier."""

    PERSON = "person"
    DOCUMENT = "document"
    ORGANISATION = "organisation"
    EVENT = "event"
    REPORT = "report"
    INDICATOR = "indicator"
    RELATIONSHIP = "relationship"
    ALERT = "alert"
    OBJECT = "object"  # a STIX object of a type Passerelle does not model, kept as received


_ID = re.compile(
    r"^(person|document|organisation|event|report|indicator|relationship|alert)--"
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
)
OBJECT_ID = re.compile(
    r"^([a-z][a-z0-9-]*[a-z0-9])--"
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
)
RESERVED_TYPES = frozenset({
    *(kind.value for kind in RecordKind), "bundle", "x-passerelle-document",
    "x-passerelle-event", "x-passerelle-alert",
})
"""Prefixes that never name a kept STIX object: the record kinds' own, and the STIX types of
the kinds Passerelle models as new objects."""


def check_record_id(record_id: str, field_name: str = "id") -> RecordKind:
    """Validate a record identifier and return the kind its prefix names.

    A kept STIX object (kind ``object``) is named by its STIX id, ``<stix type>--<uuid>``,
    so that references to it read the same in Passerelle and in STIX.
    """
    if isinstance(record_id, str):
        if _ID.match(record_id):
            return RecordKind(record_id.split("--", 1)[0])
        found = OBJECT_ID.match(record_id)
        if found is not None and found.group(1) not in RESERVED_TYPES:
            return RecordKind.OBJECT
    raise ValidationFailed(f"{record_id!r} is not a record identifier", field=field_name)


def new_record_id(kind: RecordKind) -> str:
    """A fresh identifier ``<kind>--<uuid4>``; the UUID is shared with the STIX id."""
    return f"{kind.value}--{uuid.uuid4()}"
