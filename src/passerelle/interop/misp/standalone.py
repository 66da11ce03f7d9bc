"""MISP documents that are not events: a galaxy (with its clusters) and a lone sighting.

A partner's MISP exports them on their own (a galaxy's JSON, a sighting sent through the
sightings API). Neither is an event, nor anything Passerelle models; each is kept whole, as a
custom STIX object (``x-misp-galaxy``, ``x-misp-sighting``) holding the document as it came
under ``x_misp_document``, and given back unchanged by ``standalone_documents``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from typing import Any, Final

import orjson

from passerelle.domain.markings import Markings
from passerelle.domain.records import Record, StixObject
from passerelle.interop.misp.results import MispImport, MispItem
from passerelle.interop.misp.timestamps import stix_time

GALAXY: Final = "x-misp-galaxy"
SIGHTING: Final = "x-misp-sighting"
SIGHTING_KEYS: Final = frozenset({"id", "attribute_id", "event_id", "org_id", "date_sighting",
                                  "uuid", "source", "type", "value", "timestamp",
                                  "attribute_uuid", "Organisation"})
_NAMESPACE: Final = uuid.UUID("a8b5d4a6-1a2b-5c3d-8e4f-0a1b2c3d4e5f")


def standalone_kind(document: object) -> str | None:
    """``x-misp-galaxy`` or ``x-misp-sighting`` when ``document`` is one, else None."""
    if not isinstance(document, Mapping) or "Event" in document:
        return None
    if "GalaxyCluster" in document and ("namespace" in document or "type" in document):
        return GALAXY
    if document.keys() <= SIGHTING_KEYS and ("value" in document or
                                             "attribute_uuid" in document):
        return SIGHTING
    return None


def read_standalone(document: Mapping[str, Any], kind: str, *, owner: str,
                    received_at: dt.datetime) -> MispImport:
    """The one kept record of a galaxy or sighting document."""
    text = orjson.dumps(document, option=orjson.OPT_SORT_KEYS)
    given = document.get("uuid")
    try:
        uid = str(uuid.UUID(given)) if isinstance(given, str) else None
    except ValueError:
        uid = None
    uid = uid or str(uuid.uuid5(_NAMESPACE, text.decode()))
    when = _when(document.get("timestamp") or document.get("date_sighting"), received_at)
    stix_id = f"{kind}--{uid}"
    content = {"type": kind, "spec_version": "2.1", "id": stix_id, "created": stix_time(when),
               "modified": stix_time(when), "x_misp_document": document}
    record = Record(id=stix_id, owner_agency=owner, markings=Markings(),
                    details=StixObject(kind, orjson.dumps(content).decode()),
                    created_at=when, modified_at=when)
    label = "Galaxy" if kind == GALAXY else "Sighting"
    return MispImport(items=[MispItem(label, record)],
                      notes=[f"{label}: not an event; kept whole as {stix_id}"])


def _when(value: object, default: dt.datetime) -> dt.datetime:
    try:
        return dt.datetime.fromtimestamp(int(str(value)), dt.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return default


def standalone_documents(records: Iterable[Record]) -> list[dict[str, Any]]:
    """The galaxy and sighting documents kept among ``records``, as they came."""
    found: list[dict[str, Any]] = []
    for record in records:
        details = record.details
        if isinstance(details, StixObject) and details.stix_type in (GALAXY, SIGHTING):
            document = orjson.loads(details.content).get("x_misp_document")
            if isinstance(document, dict):
                found.append(document)
    return found
