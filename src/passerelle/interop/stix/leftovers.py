"""What another producer's object says that Passerelle's record does not: kept, then written back.

An indicator from OpenCTI has ``kill_chain_phases``, ``labels``, ``confidence``, external
references, custom ``x_`` properties and its producer's own extensions; a report has
``report_types``. None of them maps to the record, and none may be dropped: they are kept in the
record's ``extras`` under ``"stix"`` and merged back into the object on export, so that a partner
gets back what it sent. Non-TLP markings (a statement, a partner's own marking-definition) and the
producer's ``created_by_ref`` are kept the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import orjson

from passerelle.domain.records import RecordKind
from passerelle.interop.stix.tlp import TLP_OF_MARKING

ENVELOPE: Final = frozenset({"type", "spec_version", "id", "created", "modified",
                             "created_by_ref", "object_marking_refs", "extensions"})

MAPPED: Final[dict[RecordKind, frozenset[str]]] = {
    RecordKind.PERSON: frozenset({"name", "identity_class"}),
    RecordKind.ORGANISATION: frozenset({"name", "description", "identity_class"}),
    RecordKind.DOCUMENT: frozenset({"document_type", "number", "issuing_country", "status",
                                    "holder_ref", "expiry_date"}),
    RecordKind.EVENT: frozenset({"event_type", "occurred_at", "ended_at", "place", "country",
                                 "description", "participant_refs"}),
    RecordKind.REPORT: frozenset({"name", "description", "published", "object_refs"}),
    RecordKind.INDICATOR: frozenset({"name", "description", "indicator_types", "pattern",
                                     "pattern_type", "valid_from", "valid_until"}),
    RecordKind.RELATIONSHIP: frozenset({"relationship_type", "description", "source_ref",
                                        "target_ref"}),
    RecordKind.ALERT: frozenset({"category", "subject_ref", "action_to_be_taken", "valid_from",
                                 "valid_until", "urgency", "status", "grounds"}),
}
"""The STIX properties each kind's reader takes (besides the envelope)."""

STIX: Final = "stix"


def leftovers(obj: Mapping[str, Any], kind: RecordKind, own_extensions: frozenset[str],
              owner_identity: str | None) -> dict[str, Any]:
    """The properties of ``obj`` that the record of ``kind`` does not hold.

    ``own_extensions`` are Passerelle's extension ids (read into the record);
    ``owner_identity`` is the owner agency's identity, which ``created_by_ref`` names when
    Passerelle wrote the object (anything else is the first producer's, and kept).
    """
    mapped = MAPPED[kind]
    kept = {k: v for k, v in obj.items() if k not in ENVELOPE and k not in mapped}
    extensions = obj.get("extensions")
    if isinstance(extensions, dict):
        foreign = {k: v for k, v in extensions.items() if k not in own_extensions}
        if foreign:
            kept["extensions"] = foreign
    refs = obj.get("object_marking_refs")
    if isinstance(refs, list):
        others = [ref for ref in refs if ref not in TLP_OF_MARKING]
        if others:
            kept["object_marking_refs"] = others
    creator = obj.get("created_by_ref")
    if creator != owner_identity:
        kept["created_by_ref"] = creator  # None: the producer named no creator, nor will we
    return kept


def with_leftovers(extras: str, kept: dict[str, Any]) -> str:
    """``extras`` (a record's JSON text, possibly empty) with ``kept`` as its STIX part."""
    whole: dict[str, Any] = orjson.loads(extras) if extras else {}
    if kept:
        whole[STIX] = kept
    else:
        whole.pop(STIX, None)
    return orjson.dumps(whole, option=orjson.OPT_SORT_KEYS).decode() if whole else ""


def stix_leftovers(extras: str) -> dict[str, Any]:
    """The STIX part of a record's ``extras`` (empty when there is none)."""
    if not extras or f'"{STIX}"' not in extras:
        return {}
    found = orjson.loads(extras).get(STIX, {})
    return found if isinstance(found, dict) else {}


def merge(obj: dict[str, Any], kept: Mapping[str, Any]) -> None:
    """Write ``kept`` back into ``obj``: properties Passerelle wrote win over none (they never
    overlap), extensions and marking refs are joined, the first producer's ``created_by_ref``
    is restored."""
    for name, value in kept.items():
        if name == "extensions" and isinstance(value, dict):
            obj["extensions"] = {**value, **obj.get("extensions", {})}
        elif name == "object_marking_refs" and isinstance(value, list):
            obj["object_marking_refs"] = [*obj.get("object_marking_refs", []), *value]
        elif name == "created_by_ref" and value is None:
            obj.pop("created_by_ref", None)
        elif name == "created_by_ref":
            obj["created_by_ref"] = value
        else:
            obj.setdefault(name, value)
