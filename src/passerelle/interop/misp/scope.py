"""What every element of one event shares while it is read: the event's uuid and tags, the
owner of the records, a time for elements that carry none, and the notes and counts of what
is set aside."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from passerelle.domain.markings import Markings
from passerelle.domain.records import Details, Record
from passerelle.errors import InvalidMisp, ValidationFailed
from passerelle.interop.misp.extras import ABSENT, dump_extras
from passerelle.interop.misp.identifiers import element_uuid
from passerelle.interop.misp.tags import TagReading, build_markings
from passerelle.interop.misp.timestamps import read_seen, read_timestamp


@dataclass
class EventScope:
    """One event being read. ``fallback`` dates elements without a timestamp of their own:
    the event's timestamp, else its date, else the moment of the import."""

    path: str
    uuid: str
    owner: str
    fallback: dt.datetime
    tags: TagReading
    notes: list[str] = field(default_factory=list)
    proposals: int = 0
    sightings: int = 0
    correlations: int = 0

    def uuid_of(self, raw: object, path: str) -> tuple[str, str | None]:
        """The UUID naming an element's record and the raw uuid to keep (see
        ``identifiers.element_uuid``)."""
        return element_uuid(raw, scope=self.uuid, path=path)

    def time_of(self, element: Mapping[str, Any], path: str,
                fallback: dt.datetime | None = None) -> dt.datetime:
        """The element's ``timestamp``, else ``fallback``, else the event's."""
        if "timestamp" in element:
            return read_timestamp(element["timestamp"], f"{path}.timestamp")
        return fallback or self.fallback

    def markings(self, own: TagReading, *, indicator: bool, where: str) -> Markings:
        """The markings of an element: its event's tags, then its own."""
        return build_markings([self.tags, own], indicator=indicator, where=where)

    def count(self, element: Mapping[str, Any]) -> None:
        """Count what an attribute carries that is not imported or is kept aside."""
        self.proposals += _length(element.get("ShadowAttribute"))
        self.sightings += _length(element.get("Sighting"))
        self.correlations += _length(element.get("RelatedAttribute"))


def _length(value: object) -> int:
    return len(value) if isinstance(value, list) else 0


def check_seen(element: Mapping[str, Any], path: str) -> dt.datetime | None:
    """The element's ``first_seen``, after checking ``first_seen`` and ``last_seen``."""
    if "last_seen" in element:
        read_seen(element["last_seen"], f"{path}.last_seen")
    if "first_seen" in element:
        return read_seen(element["first_seen"], f"{path}.first_seen")
    return None


def text_of(element: Mapping[str, Any], key: str, path: str) -> str:
    """An optional string property (``comment``...), "" when absent."""
    value = element.get(key, "")
    if not isinstance(value, str):
        raise InvalidMisp("must be a string", field=f"{path}.{key}")
    return value


@contextmanager
def reported(where: str, fields: Mapping[str, str] | None = None) -> Iterator[None]:
    """Report a domain rule broken while building a record on the MISP element: ``fields``
    maps the domain's field names to the element's properties (``number`` ->
    ``Attribute[2].value``)."""
    try:
        yield
    except InvalidMisp:
        raise
    except ValidationFailed as error:
        name = error.field or ""
        at = (fields or {}).get(name, name)
        raise InvalidMisp(error.detail, field=f"{where}.{at}" if at else where) from None


def build_record(record_id: str, details: Details, markings: Markings, *, when: dt.datetime,
                 scope: EventScope, kept: dict[str, Any], absent: list[str],
                 where: str) -> Record:
    """A record of the event with its MISP leftovers in extras."""
    if absent:
        kept = {**kept, ABSENT: absent}
    try:
        return Record(id=record_id, owner_agency=scope.owner, markings=markings,
                      details=details, created_at=when, modified_at=when,
                      extras=dump_extras(kept))
    except ValidationFailed as error:
        at = f"{where}.{error.field}" if error.field else where
        raise InvalidMisp(error.detail, field=at) from None
