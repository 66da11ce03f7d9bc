"""MISP objects for the records Passerelle models and MISP has no object for: organisations
(MISP's ``organization`` template), events, alerts, and relationships whose source is not
written as a MISP object (MISP references start from objects only).

These are written, not read: an object of these names coming back from MISP is kept as an
``x-misp-object`` like any other object Passerelle does not map.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from passerelle.domain.records import Alert, Event, Organisation, Record, Relationship
from passerelle.interop.misp.countries import country_name
from passerelle.interop.misp.mapped_objects import Relation, Template
from passerelle.interop.misp.timestamps import write_seen


def _read(value: str, field: str) -> str:
    del field
    return value


def _text(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return write_seen(value)
    return str(getattr(value, "value", value))


def _relation(name: str, field: str, misp_type: str = "text", *, multiple: bool = False,
              write: Any = _text) -> Relation:
    return Relation(name, field, misp_type, "Other", _read, write, multiple)


ORGANISATION: Final = Template(
    "organization", "misc", "An object which describes an organization.", (
        _relation("name", "name"), _relation("description", "description"),
        _relation("alias", "aliases", multiple=True),
        _relation("country", "country", write=country_name)))
EVENT: Final = Template(
    "passerelle-event", "misc", "Something that happened at a time and place (a Passerelle "
    "event record: border crossing, travel, meeting...).", (
        _relation("event-type", "event_type"), _relation("occurred-at", "occurred_at",
                                                         "datetime"),
        _relation("ended-at", "ended_at", "datetime"), _relation("place", "place"),
        _relation("country", "country", write=country_name),
        _relation("description", "description")))
ALERT: Final = Template(
    "passerelle-alert", "misc", "An alert on a person or a document: what to do when it is "
    "found, until when (a Passerelle alert record).", (
        _relation("category", "category"), _relation("action", "action"),
        _relation("valid-from", "valid_from", "datetime"),
        _relation("valid-until", "valid_until", "datetime"),
        _relation("urgency", "urgency"), _relation("status", "status"),
        _relation("grounds", "grounds")))
RELATIONSHIP: Final = Template(
    "passerelle-relationship", "misc", "A typed link between two Passerelle records that "
    "MISP cannot hold as an object reference (its source is not an object, or an end is not "
    "in the event); source and target are Passerelle record identifiers.", (
        _relation("relationship-type", "relationship_type"), _relation("source", "source"),
        _relation("target", "target"), _relation("description", "description")))

TEMPLATES: Final[dict[type[Any], Template]] = {
    Organisation: ORGANISATION, Event: EVENT, Alert: ALERT, Relationship: RELATIONSHIP,
}


def native_pieces(record: Record) -> dict[str, list[Any]]:
    """The pieces of an organisation, event, alert or relationship, per field (empty values
    are not written)."""
    details = record.details
    pieces: dict[str, list[Any]] = {}
    for relation in TEMPLATES[type(details)].relations:
        value = getattr(details, relation.field)
        values = list(value) if isinstance(value, tuple) else [value]
        pieces[relation.field] = [v for v in values if v not in (None, "")]
    return pieces


LINKS: Final = {Event: "involves", Alert: "concerns"}
"""The relationship type of the references an event (to its participants) and an alert (to
its subject) carry."""
