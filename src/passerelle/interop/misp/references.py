"""MISP object references and relationship records, both ways.

A reference from an object to an attribute or another object of the same event becomes
``relationship--<reference uuid>``: its type is the reference's relationship_type (lower case,
dashes for other characters: MISP does not restrict it, Passerelle does), its source the
object's record, its target the referenced element's record (for an attribute inside an
object: the object's record), its description the reference's comment. What that loses (the
original type, the precise referenced uuid) is kept in extras.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from passerelle.domain.records import Record, Relationship
from passerelle.errors import InvalidMisp
from passerelle.interop.misp.extras import (
    ABSENT,
    BOOKKEEPING,
    REFERENCE_LOCAL,
    absent,
    misp_extras,
    without,
)
from passerelle.interop.misp.scope import EventScope, build_record, reported, text_of
from passerelle.interop.misp.tags import TagReading
from passerelle.interop.misp.timestamps import write_timestamp

MAPPED: Final = ("uuid", "timestamp", "relationship_type", "comment", "object_uuid",
                 "referenced_uuid")


@dataclass(frozen=True, slots=True)
class Target:
    """An element of the event a reference may point to: the record made of it (None when it
    could not be read) and the uuid that record has in MISP."""

    record: Record | None
    uuid: str


def relationship_type(text: str) -> str:
    """A MISP relationship type as Passerelle writes them: lower-case words and dashes."""
    words = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if not words or not words[0].isalpha():
        words = f"related-{words}".strip("-")
    return words[:63].rstrip("-")


def read_reference(raw: object, scope: EventScope, path: str, *, source: Target | None,
                   targets: Mapping[str, Target]) -> Record:
    """One reference of an object as a relationship record."""
    if not isinstance(raw, dict):
        raise InvalidMisp("an object reference is a JSON object", field=path)
    kind = raw.get("relationship_type")
    if not isinstance(kind, str) or not kind.strip():
        raise InvalidMisp("needs a relationship_type", field=f"{path}.relationship_type")
    referenced = raw.get("referenced_uuid")
    if not isinstance(referenced, str):
        raise InvalidMisp("needs the uuid of the referenced element",
                          field=f"{path}.referenced_uuid")
    target = targets.get(referenced)
    if target is None:
        raise InvalidMisp(f"{referenced!r} is not the uuid of an attribute or object of "
                          "this event", field=f"{path}.referenced_uuid")
    if target.record is None or source is None or source.record is None:
        at = f"{path}.referenced_uuid" if source and source.record else path
        raise InvalidMisp("links an element that could not be read", field=at)
    uid, raw_uuid = scope.uuid_of(raw.get("uuid"), path)
    when = scope.time_of(raw, path)
    comment = text_of(raw, "comment", path)
    kept = without(raw, REFERENCE_LOCAL | set(MAPPED))
    written = relationship_type(kind)
    extra = {"uuid": raw_uuid, "relationship_type": kind if kind != written else None,
             "object_uuid": raw.get("object_uuid") if raw.get("object_uuid") != source.uuid
             else None, "referenced_uuid": referenced if referenced != target.uuid else None}
    kept.update({key: value for key, value in extra.items() if value is not None})
    with reported(path, {"relationship_type": "relationship_type"}):
        details = Relationship(written, source.record.id, target.record.id, comment)
    markings = scope.markings(TagReading(), indicator=False, where=path)
    return build_record(f"relationship--{uid}", details, markings, when=when, scope=scope,
                        kept=kept, absent=absent(raw, ("uuid", "timestamp", "comment",
                                                       "object_uuid")), where=path)


def write_reference(record: Record, *, uuid: str, source: str, target: str
                    ) -> dict[str, Any]:
    """The MISP reference of a relationship record from the object ``source`` (a MISP uuid)
    to the element ``target``."""
    details = record.details
    assert isinstance(details, Relationship)
    kept = misp_extras(record) or {}
    kind = kept.get("relationship_type")
    if not isinstance(kind, str) or relationship_type(kind) != details.relationship_type:
        kind = details.relationship_type
    out = {**without(kept, BOOKKEEPING), "uuid": uuid, "object_uuid": kept.get(
        "object_uuid", source), "referenced_uuid": kept.get("referenced_uuid", target),
        "relationship_type": kind, "comment": details.description,
        "timestamp": write_timestamp(record.modified_at)}
    return {key: value for key, value in out.items() if key not in kept.get(ABSENT, ())}
