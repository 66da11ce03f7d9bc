"""One MISP event read element by element: attributes, objects, object references and the
event itself, each a record or an error, so that one broken element does not sink the others.

Elements are read in dependency order: attributes, then objects (passports after the persons
that may hold them), then the references between them, then the event's report, which refers
to every record read. Proposals, correlations and deleted elements are not imported: the notes
say how many were set aside.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from passerelle.domain.records import Record, RecordKind
from passerelle.errors import InvalidMisp
from passerelle.interop.misp.attributes import read_attribute
from passerelle.interop.misp.identifiers import derived_uuid, event_uuid
from passerelle.interop.misp.objects import read_object
from passerelle.interop.misp.references import Target, read_reference
from passerelle.interop.misp.reports import event_time, read_report
from passerelle.interop.misp.results import MispImport, MispItem
from passerelle.interop.misp.scope import EventScope
from passerelle.interop.misp.tags import read_tags


def read_one_event(event: dict[str, Any], index: int, *, owner: str,
                   received_at: dt.datetime, into: MispImport) -> None:
    """Read the event at ``index`` of the document into ``into``."""
    path = f"Event[{index}]"
    try:
        uid, raw_uuid = event_uuid(event, path)
        uuid_error: InvalidMisp | None = None
    except InvalidMisp as error:
        uid, raw_uuid, uuid_error = derived_uuid(f"{path}:{error}"), None, error
    try:
        tags = read_tags(event.get("Tag"), f"{path}.Tag")
        _check_lists(event, path)
    except InvalidMisp as error:
        into.items.append(MispItem(path, error=error))
        into.notes.append(f"{path}: nothing read, the event as a whole cannot be honoured")
        return
    scope = EventScope(path, uid, owner, event_time(event, path, received_at), tags)
    reader = _EventReader(event, scope)
    items = reader.read()
    items.append(reader.report(items, raw_uuid, uuid_error))
    into.items.extend(items)
    into.notes.extend(scope.notes)
    into.notes.extend(_counts(event, scope))


def _check_lists(event: dict[str, Any], path: str) -> None:
    for key in ("Attribute", "Object"):
        if not isinstance(event.get(key, []), list):
            raise InvalidMisp(f"must be a list of {key.lower()}s", field=f"{path}.{key}")
        for position, element in enumerate(event.get(key, [])):
            if isinstance(element, dict) and not isinstance(element.get("ObjectReference", []),
                                                            list):
                raise InvalidMisp("must be a list of references",
                                  field=f"{path}.{key}[{position}].ObjectReference")


class _EventReader:
    """The elements of one event, read in dependency order."""

    def __init__(self, event: dict[str, Any], scope: EventScope) -> None:
        self._event = event
        self._scope = scope
        self._attributes = list(enumerate(event.get("Attribute", [])))
        self._objects = list(enumerate(event.get("Object", [])))
        self._targets: dict[str, Target] = {}
        self._duplicates = self._find_duplicates()

    def read(self) -> list[MispItem]:
        """Every attribute, object and reference of the event, each a record or an error."""
        path = self._scope.path
        items = [self._read(f"{path}.Attribute[{i}]", raw, read_attribute)
                 for i, raw in self._attributes if not self._deleted(raw, "Attribute", i)]
        objects = [(i, raw) for i, raw in self._objects if not self._deleted(raw, "Object", i)]
        read: dict[int, MispItem] = {}
        for i, raw in objects:
            if not _is_passport(raw):
                read[i] = self._read(f"{path}.Object[{i}]", raw, read_object)
        persons = {raw["uuid"]: record.id for i, raw in objects
                   if (record := read[i].record if i in read else None) is not None
                   and record.kind is RecordKind.PERSON and isinstance(raw.get("uuid"), str)}
        for i, raw in objects:
            if _is_passport(raw):
                read[i] = self._read(f"{path}.Object[{i}]", raw, read_object,
                                     holder=self._holder(raw, persons))
        items += [read[i] for i, _ in objects]
        self._declare(items)
        for i, raw in objects:
            items += self._references(i, raw, read[i].record)
        return items

    def report(self, items: list[MispItem], raw_uuid: str | None,
               uuid_error: InvalidMisp | None) -> MispItem:
        """The event's own report, referring to the records of ``items`` in their order
        (which is the event's: export writes the attributes and objects in that order)."""
        path = self._scope.path
        if uuid_error is not None:
            return MispItem(path, error=uuid_error)
        references = [item.record.id for item in items if item.record is not None]
        try:
            record = read_report(self._event, self._scope, raw_uuid, references)
        except InvalidMisp as error:
            return MispItem(path, error=error)
        return MispItem(path, record=record)

    def _read(self, path: str, raw: object, reader: Any, **options: Any) -> MispItem:
        try:
            duplicate = self._duplicates.get(path)
            if duplicate is not None:
                raise InvalidMisp(f"the uuid of {duplicate} already", field=f"{path}.uuid")
            record = reader(raw, self._scope, path, **options)
        except InvalidMisp as error:
            return MispItem(path, error=error)
        return MispItem(path, record=record)

    def _holder(self, passport: dict[str, Any], persons: dict[str, str]) -> str | None:
        """The person record the passport is linked to by a reference, either way."""
        mine = passport.get("uuid")
        for _, obj in self._objects:
            for reference in _references_of(obj):
                ends = (obj.get("uuid"), reference.get("referenced_uuid"))
                if mine in ends:
                    other = ends[1] if ends[0] == mine else ends[0]
                    if isinstance(other, str) and other in persons:
                        return persons[other]
        return None

    def _declare(self, items: list[MispItem]) -> None:
        """Every element a reference may point to: attributes, objects and the attributes of
        objects (which stand for their object's record)."""
        records = {item.where: item.record for item in items}
        for key, elements in (("Attribute", self._attributes), ("Object", self._objects)):
            for i, raw in elements:
                if not isinstance(raw, dict) or not isinstance(raw.get("uuid"), str):
                    continue
                record = records.get(f"{self._scope.path}.{key}[{i}]")
                target = Target(record, raw["uuid"])
                self._targets.setdefault(raw["uuid"], target)
                for inner in raw.get("Attribute", []) if key == "Object" else []:
                    if isinstance(inner, dict) and isinstance(inner.get("uuid"), str):
                        self._targets.setdefault(inner["uuid"], target)

    def _references(self, index: int, obj: Any, record: Record | None) -> list[MispItem]:
        path = f"{self._scope.path}.Object[{index}]"
        if record is None:
            source = None
        else:
            raw_uuid = obj.get("uuid")
            source = Target(record, raw_uuid if isinstance(raw_uuid, str) else
                            record.id.split("--", 1)[1])
        return [self._read(f"{path}.ObjectReference[{k}]", reference, read_reference,
                           source=source, targets=self._targets)
                for k, reference in enumerate(_references_of(obj))]

    def _deleted(self, raw: object, key: str, index: int) -> bool:
        if isinstance(raw, dict) and raw.get("deleted") is True:
            self._scope.notes.append(f"{self._scope.path}.{key}[{index}]: deleted in MISP, "
                                     "not imported")
            return True
        return False

    def _find_duplicates(self) -> dict[str, str]:
        seen: dict[str, str] = {}
        duplicates: dict[str, str] = {}
        for key, elements in (("Attribute", self._attributes), ("Object", self._objects)):
            for i, raw in elements:
                uuid = raw.get("uuid") if isinstance(raw, dict) else None
                if not isinstance(uuid, str):
                    continue
                path = f"{self._scope.path}.{key}[{i}]"
                if uuid in seen:
                    duplicates[path] = seen[uuid]
                seen.setdefault(uuid, path)
        return duplicates


def _is_passport(raw: object) -> bool:
    return isinstance(raw, dict) and raw.get("name") == "passport"


def _references_of(obj: object) -> list[Any]:
    references = obj.get("ObjectReference", []) if isinstance(obj, dict) else []
    return references if isinstance(references, list) else []


def _counts(event: dict[str, Any], scope: EventScope) -> list[str]:
    notes = []
    proposals = scope.proposals + len(event.get("ShadowAttribute") or [])
    if proposals:
        notes.append(f"{scope.path}: {proposals} proposal{'s' * (proposals > 1)} ignored (a "
                     "proposal is a suggestion awaiting the event owner's decision, not part "
                     "of the event)")
    if scope.sightings:
        notes.append(f"{scope.path}: {scope.sightings} sighting"
                     f"{'s' * (scope.sightings > 1)} kept with their attributes")
    related = len(event.get("RelatedEvent") or [])
    if related or scope.correlations:
        notes.append(f"{scope.path}: {related} related events and {scope.correlations} "
                     "correlations not imported (each MISP instance computes its own)")
    return notes
