"""Passerelle records as MISP events (core format 2.4).

Each report becomes one event holding the records it refers to (and, transitively, the records
those refer to: a relationship's ends, a document's holder...) that are among the records
given; the records no report covers go into one more event, "Passerelle export". A record read
from MISP comes back as it came (its extras hold what Passerelle does not map); a record made
in Passerelle is written by the tables of docs/misp-mapping.md. Nothing here decides whether a
record may leave the node: the caller hands over only what the policy lets go.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Mapping, Sequence
from typing import Any, Final

from passerelle.domain.records import (
    Alert,
    Document,
    Event,
    Indicator,
    Organisation,
    Person,
    Record,
    Relationship,
    Report,
    StixObject,
)
from passerelle.interop.misp.attributes import write_attribute
from passerelle.interop.misp.documents import PASSPORT, document_pieces
from passerelle.interop.misp.extras import ABSENT, BOOKKEEPING, misp_extras, without
from passerelle.interop.misp.identifiers import derived_uuid, misp_uuid
from passerelle.interop.misp.kept_objects import KEPT_TYPE, write_kept_object
from passerelle.interop.misp.mapped_objects import write_mapped
from passerelle.interop.misp.native_objects import LINKS, TEMPLATES, native_pieces
from passerelle.interop.misp.persons import PERSON, person_pieces
from passerelle.interop.misp.references import write_reference
from passerelle.interop.misp.reports import info_of
from passerelle.interop.misp.standalone import GALAXY, SIGHTING
from passerelle.interop.misp.tags import implied, reconcile
from passerelle.interop.misp.timestamps import write_timestamp

EXPORT_INFO: Final = "Passerelle export"


def events_from_records(records: Sequence[Record], *,
                        agency_names: Mapping[str, str] | None = None,
                        org_name: str = "Passerelle") -> list[dict[str, Any]]:
    """The MISP events (``{"Event": {...}}``) that carry ``records``.

    ``agency_names`` names the creator organisation (``Orgc``) of the events made from
    Passerelle's reports (by the owner agency's id); ``org_name`` is the creator of the event
    that gathers the records no report covers. Every dict is JSON-serialisable.
    """
    by_id = {record.id: record for record in records}
    writer = _Writer(by_id, agency_names or {}, org_name)
    covered: set[str] = set()
    events = []
    for report in (r for r in records if isinstance(r.details, Report)):
        members = _closure(report, by_id)
        covered.update([report.id, *(member.id for member in members)])
        events.append(writer.event(report, members))
    rest = [r for r in records if r.id not in covered and not isinstance(r.details, Report)
            and not _standalone(r)]
    if rest:
        events.append(writer.event(None, rest))
    return events


def _standalone(record: Record) -> bool:
    """A galaxy or a sighting kept whole: not event content (``standalone_documents``)."""
    details = record.details
    return isinstance(details, StixObject) and details.stix_type in (GALAXY, SIGHTING)


def _closure(report: Record, by_id: Mapping[str, Record]) -> list[Record]:
    """The records a report refers to, then the records they refer to, in that order."""
    order: list[Record] = []
    seen = {report.id}
    pending = deque(report.references)
    while pending:
        record = by_id.get(pending.popleft())
        if record is None or record.id in seen or isinstance(record.details, Report):
            continue
        seen.add(record.id)
        order.append(record)
        pending.extend(record.references)
    return order


class _Writer:
    """Writes events one by one, giving each MISP element a uuid no other event uses."""

    def __init__(self, by_id: Mapping[str, Record], agency_names: Mapping[str, str],
                 org_name: str) -> None:
        self._by_id = by_id
        self._agency_names = agency_names
        self._org_name = org_name
        self._used: set[str] = set()

    def event(self, report: Record | None, members: list[Record]) -> dict[str, Any]:
        """One event: the report's (or a gathering event's) header and its members."""
        header = self._header(report, members)
        uuids = {member.id: self._uuid(member, header["uuid"]) for member in members}
        compose = _Composer(header, uuids, self._by_id, report is not None)
        if report is not None and isinstance(report.details, Report) and report.details.text:
            compose.add_text(report)
        for member in members:
            compose.add(member)
        return {"Event": compose.finish(misp_extras(report) if report else None)}

    def _uuid(self, record: Record, event_uuid: str) -> str:
        uuid = misp_uuid(record)
        if uuid in self._used:
            uuid = derived_uuid(f"{event_uuid}/{record.id}")
        self._used.add(uuid)
        return uuid

    def _header(self, report: Record | None, members: list[Record]) -> dict[str, Any]:
        if report is None:
            return self._gathering(members)
        details = report.details
        assert isinstance(details, Report)
        kept = misp_extras(report)
        uuid = misp_uuid(report)
        self._used.add(uuid)
        common = {"uuid": uuid, "date": _day(details.published),
                  "timestamp": write_timestamp(report.modified_at)}
        if kept is not None:
            tags = reconcile(kept.get("Tag", []), report.markings,
                             implied([], indicator=False), indicator=False)
            header = {**without(kept, BOOKKEEPING | {"Tag"}), **common,
                      "info": info_of(report, kept),
                      **({"Tag": tags} if tags or "Tag" in kept else {})}
            gone = set(kept.get(ABSENT, ()))
            return {key: value for key, value in header.items() if key not in gone}
        return {**common, "info": details.title, "published": True,
                "publish_timestamp": write_timestamp(details.published), "analysis": "2",
                "threat_level_id": "4", "distribution": "0",
                "Orgc": self._org(f"agency:{report.owner_agency}",
                                  self._agency_names.get(report.owner_agency,
                                                         report.owner_agency)),
                "Tag": reconcile([], report.markings, None, indicator=False)}

    def _gathering(self, members: list[Record]) -> dict[str, Any]:
        latest = max(member.modified_at for member in members)
        uuid = derived_uuid("passerelle-export:" + ",".join(sorted(m.id for m in members)))
        self._used.add(uuid)
        return {"uuid": uuid, "info": EXPORT_INFO, "date": _day(latest),
                "timestamp": write_timestamp(latest), "published": False, "analysis": "2",
                "threat_level_id": "4", "distribution": "0",
                "Orgc": self._org(f"org:{self._org_name}", self._org_name)}

    @staticmethod
    def _org(key: str, name: str) -> dict[str, str]:
        return {"name": name, "uuid": derived_uuid(key)}


class _Composer:
    """The attributes and objects of one event, and the references between them."""

    def __init__(self, header: dict[str, Any], uuids: dict[str, str],
                 by_id: Mapping[str, Record], inherits: bool) -> None:
        self._header = header
        self._uuids = uuids
        self._by_id = by_id
        tags = header.get("Tag", [])
        self._inherited = {flag: implied(tags, indicator=flag) if inherits else None
                           for flag in (False, True)}
        self._attributes: list[dict[str, Any]] = []
        self._objects: dict[str, dict[str, Any]] = {}
        self._links: list[tuple[str, str]] = []
        self._object_ids = {member for member in uuids
                            if _is_object(by_id[member].details)}

    def inherited(self, *, indicator: bool) -> dict[str, Any] | None:
        """What an element gets from the event's tags (None: nothing, write every marking)."""
        return self._inherited[indicator]

    def add_text(self, report: Record) -> None:
        """A report's text, as a text attribute (MISP events have no text of their own)."""
        details = report.details
        assert isinstance(details, Report)
        self._attributes.append({
            "uuid": derived_uuid(f"{report.id}/text"), "type": "text", "category": "Other",
            "value": details.text, "comment": "Report text", "to_ids": False,
            "distribution": "5", "timestamp": write_timestamp(report.modified_at)})

    def add(self, record: Record) -> None:
        """One member, as an attribute or an object (relationships become references)."""
        details = record.details
        uuid = self._uuids[record.id]
        if not _is_object(details) and not isinstance(details, Relationship):
            self._attributes.append(write_attribute(
                record, uuid=uuid, inherited=self.inherited(
                    indicator=isinstance(details, Indicator))))
            return
        if isinstance(details, Relationship) and details.source in self._object_ids \
                and details.target in self._uuids:
            self._links.append((record.id, details.source))
            return
        self._objects[record.id] = self._object(record, uuid)

    def _object(self, record: Record, uuid: str) -> dict[str, Any]:
        details = record.details
        inherited = self.inherited(indicator=False)
        if isinstance(details, StixObject):
            return write_kept_object(record, uuid=uuid, inherited=inherited)
        if isinstance(details, Person):
            return write_mapped(record, PERSON, person_pieces(record), uuid=uuid,
                                inherited=inherited)
        if isinstance(details, Document):
            return write_mapped(record, PASSPORT, document_pieces(record), uuid=uuid,
                                inherited=inherited)
        if isinstance(details, Organisation | Event | Alert | Relationship):
            return write_mapped(record, TEMPLATES[type(details)], native_pieces(record),
                                uuid=uuid, inherited=inherited)
        raise TypeError(f"a {record.kind.value} record is not written as a MISP object")

    def finish(self, kept: dict[str, Any] | None) -> dict[str, Any]:
        """The event, with every object's references."""
        references: dict[str, list[dict[str, Any]]] = {key: [] for key in self._objects}
        linked: set[frozenset[str]] = set()
        for relationship_id, source in self._links:
            record = self._by_id[relationship_id]
            details = record.details
            assert isinstance(details, Relationship)
            linked.add(frozenset((details.source, details.target)))
            references[source].append(write_reference(
                record, uuid=self._uuids[record.id], source=self._uuids[source],
                target=self._uuids[details.target]))
        for record_id in self._objects:
            references[record_id] += self._implicit(self._by_id[record_id], linked)
        for record_id, obj in self._objects.items():
            record = self._by_id[record_id]
            if isinstance(record.details, Relationship):
                references[record_id] += self._relationship_ends(record)
            absent = (misp_extras(record) or {}).get(ABSENT, [])
            if references[record_id] or "ObjectReference" not in absent:
                obj["ObjectReference"] = references[record_id]
        event = dict(self._header)
        absent = (kept or {}).get(ABSENT, [])
        for key, elements in (("Attribute", self._attributes),
                              ("Object", list(self._objects.values()))):
            if elements or key not in absent:
                event[key] = elements
        return event

    def _implicit(self, record: Record, linked: set[frozenset[str]]) -> list[dict[str, Any]]:
        """References that say what a document's holder, an event's participants and an
        alert's subject are, unless a relationship of the event already links them."""
        details = record.details
        kind = "belongs-to" if isinstance(details, Document) else LINKS.get(type(details))
        if kind is None or isinstance(details, Relationship):
            return []
        return [self._link(record, kind, target) for target in record.references
                if target in self._objects and frozenset((record.id, target)) not in linked]

    def _relationship_ends(self, record: Record) -> list[dict[str, Any]]:
        details = record.details
        assert isinstance(details, Relationship)
        return [self._link(record, end, getattr(details, end))
                for end in ("source", "target") if getattr(details, end) in self._uuids]

    def _link(self, record: Record, kind: str, target: str) -> dict[str, Any]:
        return {"uuid": derived_uuid(f"{record.id}/{kind}/{target}"),
                "object_uuid": self._uuids[record.id],
                "referenced_uuid": self._uuids[target], "relationship_type": kind,
                "comment": "", "timestamp": write_timestamp(record.modified_at)}


def _is_object(details: object) -> bool:
    """Whether a record is written as a MISP object (else as an attribute or a reference)."""
    if isinstance(details, StixObject):
        return details.stix_type == KEPT_TYPE
    return not isinstance(details, Indicator | Relationship | Report)


def _day(moment: dt.datetime) -> str:
    """The UTC date of ``moment``, as an event's ``date``."""
    return moment.astimezone(dt.UTC).date().isoformat()
