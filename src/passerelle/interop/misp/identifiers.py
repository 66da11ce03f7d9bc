"""MISP uuids and Passerelle record identifiers.

A record read from MISP is named after the element's uuid (``indicator--<attribute uuid>``), so
that importing the same event twice names the same records. MISP does not enforce the uuid
syntax (test files use ``"a"``) and sometimes omits it: such elements get a name-based UUID
(uuid5) derived from what they are, and the raw text is kept so that export gives it back.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any, Final

import orjson

from passerelle.domain.records import Record
from passerelle.errors import InvalidMisp
from passerelle.interop.misp.extras import misp_extras

NAMESPACE: Final = uuid.UUID("5f0c6a52-8f8e-4b1e-9d7a-3c2b1a0f9e8d")
"""Passerelle's namespace for the name-based UUIDs of MISP elements; never change it: record
identifiers derived from it are stored."""


def derived_uuid(name: str) -> str:
    """A stable UUID for ``name`` in Passerelle's MISP namespace."""
    return str(uuid.uuid5(NAMESPACE, name))


def canonical(raw: str) -> str | None:
    """The canonical (lower-case, hyphenated) form of a UUID written ``raw``, or None."""
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        return None


def element_uuid(raw: object, *, scope: str, path: str) -> tuple[str, str | None]:
    """The UUID that names an element's record, and the raw uuid to keep (None when the raw
    text is the canonical UUID itself, so that nothing needs keeping).

    ``scope`` makes derived UUIDs unique: the event's UUID plus the element's path for an
    element without uuid, the event's UUID plus the raw text for a malformed one. Raises
    ``InvalidMisp`` when the uuid is not a string.
    """
    if raw is None:
        return derived_uuid(f"{scope}/{path}"), None
    if not isinstance(raw, str) or not raw:
        raise InvalidMisp("a uuid is a non-empty string", field=f"{path}.uuid")
    found = canonical(raw)
    if found is not None:
        return found, (None if found == raw else raw)
    return derived_uuid(f"{scope}:{raw}"), raw


def event_uuid(event: dict[str, Any], path: str) -> tuple[str, str | None]:
    """The UUID of an event; an event without one is named after a digest of its content."""
    raw = event.get("uuid")
    if raw is None:
        digest = hashlib.sha256(orjson.dumps(event, option=orjson.OPT_SORT_KEYS)).hexdigest()
        return derived_uuid(f"event:{digest}"), None
    return element_uuid(raw, scope="event", path=path)


def record_uuid(record: Record) -> str:
    """The UUID part of a record identifier."""
    return record.id.split("--", 1)[1]


def misp_uuid(record: Record) -> str:
    """The uuid the record's element has in MISP: the raw one kept at import, else the
    record's own UUID."""
    kept = (misp_extras(record) or {}).get("uuid")
    return kept if isinstance(kept, str) else record_uuid(record)
