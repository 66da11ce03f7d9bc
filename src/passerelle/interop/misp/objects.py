"""MISP objects as records: a ``person`` becomes a person record, a ``passport`` a document
record, any other object a kept ``x-misp-object`` (see the modules of each)."""

from __future__ import annotations

from typing import Any

from passerelle.domain.records import Record, StixObject
from passerelle.errors import InvalidMisp
from passerelle.interop.misp.documents import PASSPORT, document_from
from passerelle.interop.misp.extras import absent
from passerelle.interop.misp.kept_objects import CONTENT, KEPT_TYPE, object_content
from passerelle.interop.misp.mapped_objects import (
    check_object_attribute,
    kept_object,
    object_attributes,
    read_mapped,
)
from passerelle.interop.misp.persons import PERSON, person_from
from passerelle.interop.misp.scope import EventScope, build_record, check_seen, reported
from passerelle.interop.misp.tags import combine

MAPPED_NAMES = frozenset({"person", "passport"})


def checked_object(raw: object, path: str) -> dict[str, Any]:
    """The object, after checking that it is one and has a name."""
    if not isinstance(raw, dict):
        raise InvalidMisp("an object is a JSON object", field=path)
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InvalidMisp("every object needs a name", field=f"{path}.name")
    return raw


def read_object(raw: object, scope: EventScope, path: str, *, holder: str | None = None
                ) -> Record:
    """One object of the event as a record; ``holder`` is the person record a passport is
    linked to, if any."""
    obj = checked_object(raw, path)
    uid, raw_uuid = scope.uuid_of(obj.get("uuid"), path)
    when = scope.time_of(obj, path)
    check_seen(obj, path)
    missing = absent(obj, ("uuid", "timestamp", "ObjectReference"))
    if obj["name"] in MAPPED_NAMES:
        return _mapped(obj, scope, path, uid, raw_uuid, when, missing, holder)
    readings = [check_object_attribute(attribute, scope, f"{path}.Attribute[{index}]")
                for index, attribute in enumerate(object_attributes(obj, path))]
    stix_id = f"{KEPT_TYPE}--{uid}"
    content = object_content(obj, stix_id, when, path)
    markings = scope.markings(combine(readings), indicator=False, where=path)
    return build_record(stix_id, StixObject(KEPT_TYPE, content), markings, when=when,
                        scope=scope, kept=kept_object(obj, raw_uuid, None, [], frozenset(CONTENT)),
                        absent=missing, where=path)


def _mapped(obj: dict[str, Any], scope: EventScope, path: str, uid: str,
            raw_uuid: str | None, when: Any, missing: list[str], holder: str | None
            ) -> Record:
    person = obj["name"] == "person"
    reading = read_mapped(obj, PERSON if person else PASSPORT, scope, path)
    with reported(path, {"family_name": "", "number": "", "issuing_country": ""}):
        details = person_from(reading) if person else document_from(reading, holder, path)
    for index, attribute in enumerate(reading.kept):
        if attribute.get("object_relation") == "nationality" and index not in reading.mapped:
            scope.notes.append(f"{path}.Attribute[{index}].value: {attribute.get('value')!r} "
                               "is not a country Passerelle knows; kept as written, not "
                               "recorded as a nationality")
    markings = scope.markings(combine(reading.tags), indicator=False, where=path)
    kind = "person" if person else "document"
    kept = kept_object(obj, raw_uuid, reading.kept, reading.mapped)
    return build_record(f"{kind}--{uid}", details, markings, when=when, scope=scope,
                        kept=kept, absent=missing, where=path)
