"""What a record keeps of its MISP element in ``Record.extras`` (``{"misp": {...}}``).

The kept part holds the element's MISP keys that Passerelle does not map, verbatim, and two
bookkeeping keys that cannot clash with MISP's (which never start with an underscore):

- ``_absent``: mapped keys the source did not have, which the mapping had to fill in (an
  attribute without ``comment``, an event without ``uuid``); export leaves them out again.
- ``_mapped``: for objects mapped to records (person, passport), the positions of the object's
  attributes whose values live in the record's details.

Keys that only mean something on the MISP instance that wrote the file (database ids,
correlations with its other events, an empty ``SharingGroup``) are dropped, never kept.
"""

from __future__ import annotations

from typing import Any, Final

import orjson

from passerelle.domain.records import Record

ABSENT: Final = "_absent"
MAPPED: Final = "_mapped"
BOOKKEEPING: Final = frozenset({ABSENT, MAPPED})

EVENT_LOCAL: Final = frozenset({
    "id", "org_id", "orgc_id", "attribute_count", "locked", "proposal_email_lock",
    "event_creator_email", "RelatedEvent", "ShadowAttribute", "user_id", "sighting_timestamp",
})
ATTRIBUTE_LOCAL: Final = frozenset({
    "id", "event_id", "object_id", "RelatedAttribute", "ShadowAttribute", "Event",
})
OBJECT_LOCAL: Final = frozenset({"id", "event_id"})
REFERENCE_LOCAL: Final = frozenset({
    "id", "event_id", "object_id", "referenced_id", "Attribute", "Object",
})
TAG_LOCAL: Final = frozenset({"id", "user_id"})
ORG_LOCAL: Final = frozenset({"id"})


def dump_extras(misp: dict[str, Any]) -> str:
    """The extras text of a record read from MISP: ``{"misp": ...}`` with sorted keys.

    Written even when nothing is kept (``{"misp":{}}``): it says that the record came from
    MISP, so that export gives back its element as it came rather than adding what Passerelle
    writes for its own records (a category, ``to_ids``, ``first_seen``...)."""
    return orjson.dumps({"misp": misp}, option=orjson.OPT_SORT_KEYS).decode()


def misp_extras(record: Record) -> dict[str, Any] | None:
    """What the record kept of its MISP element, or None for a record that did not come from
    MISP."""
    if not record.extras:
        return None
    try:
        kept = orjson.loads(record.extras).get("misp")
    except (ValueError, AttributeError):
        return None
    return kept if isinstance(kept, dict) else None


def without(element: dict[str, Any], keys: frozenset[str] | set[str]) -> dict[str, Any]:
    """A copy of ``element`` without ``keys`` (and without an empty ``SharingGroup``, which is
    how MISP's PHP writes "no sharing group")."""
    return {key: value for key, value in element.items()
            if key not in keys and not (key == "SharingGroup" and value == [])}


def clean_tags(tags: list[Any]) -> list[Any]:
    """Tags without their instance-local database ids."""
    return [without(tag, TAG_LOCAL) if isinstance(tag, dict) else tag for tag in tags]


def clean_org(org: object) -> object:
    """An organisation (``Org``, ``Orgc``) without its instance-local id."""
    return without(org, ORG_LOCAL) if isinstance(org, dict) else org


def clean_attribute(attribute: dict[str, Any]) -> dict[str, Any]:
    """An attribute as kept: instance-local keys and proposals dropped, tags cleaned."""
    kept = without(attribute, ATTRIBUTE_LOCAL)
    if isinstance(kept.get("Tag"), list):
        kept["Tag"] = clean_tags(kept["Tag"])
    return kept


def absent(element: dict[str, Any], keys: tuple[str, ...]) -> list[str]:
    """The mapped ``keys`` the element does not have."""
    return [key for key in keys if key not in element]
