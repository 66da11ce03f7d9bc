"""Records to STIX 2.1: one object per record, and bundles that explain themselves.

Every object carries its TLP 2.0 level as the standard marking-definition in
``object_marking_refs`` and everything else that governs its use (handling code, 4x4, LED
fields, owner, version) in Passerelle's record extension; nothing is written as an ad-hoc
``x_`` property. The mapping is lossless: ``stix_to_record(record_to_stix(r)[0]) == r``.

What is *not* decided here: whether a record may be exported at all. Call
``passerelle.domain.policy.decide`` first; this module writes whatever it is given.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from passerelle.domain.markings import Markings, Tlp
from passerelle.domain.records import (
    Alert,
    Document,
    Event,
    Indicator,
    Organisation,
    Person,
    Record,
    RecordKind,
    Relationship,
    Report,
)
from passerelle.domain.records import StixObject as KeptObject
from passerelle.errors import InvalidStix
from passerelle.interop.stix.extensions import (
    ALERT,
    DOCUMENT,
    EMPTY_REPORT_REF,
    EVENT,
    EXTENSIONS,
    ORGANISATION,
    PERSON,
    RECORD,
    agency_identity,
    extension_definition,
    passerelle_identity,
)
from passerelle.interop.stix.identifiers import (
    STIX_TYPE,
    agency_identity_id,
    format_timestamp,
    stix_id,
)
from passerelle.interop.stix.kept import kept_object
from passerelle.interop.stix.leftovers import merge, stix_leftovers
from passerelle.interop.stix.tlp import TLP2_MARKING_IDS, tlp_marking_definition

StixObject = dict[str, Any]


def _set(target: StixObject, name: str, value: object) -> None:
    """Write ``value`` unless it is empty: STIX forbids empty lists and Passerelle reads an absent
    property back as the domain's empty default, so omitting loses nothing."""
    if value not in ("", None, [], ()):
        target[name] = value


def record_to_stix(record: Record) -> list[StixObject]:
    """The STIX objects of one record: its SDO or SRO, and nothing else.

    Marking-definitions, extension-definitions and identities it refers to are added by
    ``bundle``; a TAXII collection serves them once, not with every object.
    """
    if isinstance(record.details, KeptObject):
        return [kept_object(record, _record_extension(record), RECORD.id)]
    obj: StixObject = {
        "type": STIX_TYPE[record.kind],
        "spec_version": "2.1",
        "id": stix_id(record.id),
        "created_by_ref": agency_identity_id(record.owner_agency),
        "created": format_timestamp(record.created_at),
        "modified": format_timestamp(record.modified_at),
    }
    extensions: StixObject = {RECORD.id: _record_extension(record)}
    _WRITERS[type(record.details)](record.details, obj, extensions)
    obj["object_marking_refs"] = [TLP2_MARKING_IDS[record.markings.tlp]]
    obj["extensions"] = extensions
    kept = stix_leftovers(record.extras)
    if kept:
        merge(obj, kept)
        if kept.get("created_by_ref") is not None:
            extensions[RECORD.id]["producer_ref"] = kept["created_by_ref"]
    return [obj]


def record_object(record: Record) -> StixObject:
    """The STIX object of one record (``record_to_stix`` without the list): what a partner's
    node receives for it."""
    return record_to_stix(record)[0]


def _record_extension(record: Record) -> StixObject:
    data: StixObject = {
        "extension_type": "property-extension",
        "kind": record.kind.value,
        "version": record.version,
        "owner_agency": record.owner_agency,
    }
    _set(data, "created_by", record.created_by)
    _set(data, "modified_by", record.modified_by)
    _set(data, "record_refs", list(record.references))
    data.update(_markings(record.markings))
    return data


def _markings(markings: Markings) -> StixObject:
    data: StixObject = {"handling_code": markings.handling_code.value}
    _set(data, "handling_conditions", markings.handling_conditions)
    data["source_reliability"] = markings.source_reliability.value
    data["information_accuracy"] = markings.information_accuracy.value
    data["fact_or_assessment"] = markings.fact_or_assessment.value
    data["purpose"] = markings.purpose
    _set(data, "legal_basis", markings.legal_basis)
    if markings.review_date is not None:
        data["review_date"] = markings.review_date.isoformat()
    _set(data, "releasable_to", sorted(markings.releasable_to))
    _set(data, "recipients", sorted(markings.recipients))
    if markings.compartment is not None:
        data["compartment"] = markings.compartment
    if markings.pap is not None:
        data["pap"] = markings.pap.value
    return data


def _person(person: Person, obj: StixObject, extensions: StixObject) -> None:
    obj["name"] = next((n for n in person.all_names() if n.strip()), "unnamed person")
    obj["identity_class"] = "individual"
    data: StixObject = {"extension_type": "property-extension",
                        "subject_category": person.subject_category.value}
    _set(data, "given_names", person.given_names)
    _set(data, "family_name", person.family_name)
    _set(data, "names_original_script", list(person.names_original_script))
    _set(data, "aliases", list(person.aliases))
    if person.date_of_birth is not None:
        data["date_of_birth"] = person.date_of_birth.isoformat()
    _set(data, "place_of_birth", person.place_of_birth)
    _set(data, "nationalities", list(person.nationalities))
    _set(data, "sex", person.sex)
    extensions[PERSON.id] = data


def _organisation(organisation: Organisation, obj: StixObject, extensions: StixObject) -> None:
    obj["name"] = organisation.name
    _set(obj, "description", organisation.description)
    obj["identity_class"] = "organization"
    data: StixObject = {"extension_type": "property-extension"}
    _set(data, "aliases", list(organisation.aliases))
    _set(data, "country", organisation.country)
    if len(data) > 1:
        extensions[ORGANISATION.id] = data


def _document(document: Document, obj: StixObject, extensions: StixObject) -> None:
    obj["document_type"] = document.document_type.value
    obj["number"] = document.number
    obj["issuing_country"] = document.issuing_country
    obj["status"] = document.status.value
    if document.holder is not None:
        obj["holder_ref"] = stix_id(document.holder)
    if document.expiry_date is not None:
        obj["expiry_date"] = document.expiry_date.isoformat()
    extensions[DOCUMENT.id] = {"extension_type": "new-sdo"}


def _event(event: Event, obj: StixObject, extensions: StixObject) -> None:
    obj["event_type"] = event.event_type.value
    obj["occurred_at"] = format_timestamp(event.occurred_at)
    if event.ended_at is not None:
        obj["ended_at"] = format_timestamp(event.ended_at)
    _set(obj, "place", event.place)
    _set(obj, "country", event.country)
    _set(obj, "description", event.description)
    _set(obj, "participant_refs", [stix_id(ref) for ref in event.participants])
    extensions[EVENT.id] = {"extension_type": "new-sdo"}


def _alert(alert: Alert, obj: StixObject, extensions: StixObject) -> None:
    obj["category"] = alert.category.value
    obj["subject_ref"] = stix_id(alert.subject)
    obj["action_to_be_taken"] = alert.action  # STIX 2.1 reserves "action" (validator error)
    obj["valid_from"] = format_timestamp(alert.valid_from)
    obj["valid_until"] = format_timestamp(alert.valid_until)
    obj["urgency"] = alert.urgency.value
    obj["status"] = alert.status.value
    _set(obj, "grounds", alert.grounds)
    extensions[ALERT.id] = {"extension_type": "new-sdo"}


def _report(report: Report, obj: StixObject, extensions: StixObject) -> None:
    obj["name"] = report.title
    _set(obj, "description", report.text)
    obj["published"] = format_timestamp(report.published)
    obj["object_refs"] = [stix_id(ref) for ref in report.references] or [EMPTY_REPORT_REF]


def _indicator(indicator: Indicator, obj: StixObject, extensions: StixObject) -> None:
    _set(obj, "name", indicator.name)
    _set(obj, "description", indicator.description)
    _set(obj, "indicator_types", list(indicator.indicator_types))
    obj["pattern"] = indicator.pattern
    obj["pattern_type"] = indicator.pattern_type
    obj["valid_from"] = format_timestamp(indicator.valid_from)
    if indicator.valid_until is not None:
        obj["valid_until"] = format_timestamp(indicator.valid_until)


def _relationship(relationship: Relationship, obj: StixObject, extensions: StixObject) -> None:
    for name, ref in (("source", relationship.source), ("target", relationship.target)):
        if ref.startswith(f"{RecordKind.RELATIONSHIP.value}--"):
            raise InvalidStix("STIX cannot relate a relationship to anything; link the records "
                              "it joins instead", field=f"details.{name}")
    obj["relationship_type"] = relationship.relationship_type
    _set(obj, "description", relationship.description)
    obj["source_ref"] = stix_id(relationship.source)
    obj["target_ref"] = stix_id(relationship.target)


_WRITERS: dict[type[Any], Callable[[Any, StixObject, StixObject], None]] = {
    Person: _person,
    Organisation: _organisation,
    Document: _document,
    Event: _event,
    Report: _report,
    Indicator: _indicator,
    Relationship: _relationship,
    Alert: _alert,
}


def bundle(
    records: Iterable[Record],
    *,
    bundle_id: str | None = None,
    agency_names: Mapping[str, str] | None = None,
) -> StixObject:
    """A STIX bundle of ``records`` with everything their objects refer to.

    Besides the records' objects it holds, once each, the TLP 2.0 marking-definitions, the
    extension-definitions, Passerelle's identity and the owner agencies' identities that are
    referenced, so that a recipient needs nothing else to read and validate it.
    ``bundle_id`` defaults to a fresh UUIDv4 id (STIX wants bundle ids random);
    ``agency_names`` gives display names to the agencies' identities.
    """
    objects = [obj for record in records for obj in record_to_stix(record)]
    owners = sorted({o["extensions"][RECORD.id]["owner_agency"] for o in objects})
    names = agency_names or {}
    context: list[StixObject] = []
    if objects:
        context.append(passerelle_identity())
        used = {key for o in objects for key in o["extensions"]}
        context += [extension_definition(e) for e in EXTENSIONS if e.id in used]
        context += [agency_identity(owner, names.get(owner)) for owner in owners]
    marked = {ref for o in (*context, *objects) for ref in o.get("object_marking_refs", ())}
    markings = [tlp_marking_definition(tlp) for tlp in Tlp if TLP2_MARKING_IDS[tlp] in marked]
    result: StixObject = {"type": "bundle", "id": bundle_id or f"bundle--{uuid.uuid4()}"}
    if objects:
        result["objects"] = [*markings, *context, *objects]
    return result

