"""OpenAPI descriptions of a record's markings and details, in the codec's field names.

These models document; ``domain.codec`` validates (see ``api.models``). Each field is typed
``Any`` and carries its JSON Schema by hand, so pydantic lets every value through to the codec,
which answers with the same codes and dotted field names as on every other way in. Unknown
properties are still refused here (``extra="forbid"``), with the same dotted name.
``tests/api/test_openapi.py`` checks that each model lists exactly its dataclass's fields.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from passerelle.domain.markings import (
    FactOrAssessment,
    HandlingCode,
    InformationAccuracy,
    Pap,
    SourceReliability,
    Tlp,
)
from passerelle.domain.records import (
    AlertCategory,
    AlertStatus,
    DocumentStatus,
    DocumentType,
    EventType,
    RecordKind,
    SubjectCategory,
    Urgency,
)

JsonDict = dict[str, Any]

RECORD_ID_PATTERN = (r"^[a-z][a-z0-9-]*[a-z0-9]--"
                     r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
"""``<kind>--<uuid>``, or a kept STIX object's own id ``<stix type>--<uuid>``."""
STRING: JsonDict = {"type": "string"}
COUNTRY: JsonDict = {"type": "string", "pattern": "^[A-Z]{2}$",
                     "description": "ISO 3166-1 alpha-2, upper case"}
DATE: JsonDict = {"type": "string", "format": "date"}
TIMESTAMP: JsonDict = {"type": "string", "format": "date-time"}
PARTIAL_DATE: JsonDict = {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
                          "description": "YYYY, YYYY-MM or YYYY-MM-DD"}
RECORD_ID: JsonDict = {"type": "string", "pattern": RECORD_ID_PATTERN}


def enum(kind: type[Enum]) -> JsonDict:
    """A string restricted to the values of ``kind``."""
    return {"type": "string", "enum": [str(member.value) for member in kind]}


def array(items: JsonDict) -> JsonDict:
    """A list of ``items``; the codec reads at most 1000."""
    return {"type": "array", "items": items, "maxItems": 1000}


def nullable(schema: JsonDict) -> JsonDict:
    """``schema`` or null."""
    return {"anyOf": [schema, {"type": "null"}]}


def wire(schema: JsonDict, default: Any = ..., description: str = "") -> Any:
    """A documented field that accepts any value (the codec checks it)."""
    return Field(default, description=description or None, json_schema_extra=schema)


class _Described(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Markings(_Described):
    """What governs use, disclosure and retention of a record (see docs/api.md)."""

    handling_code: Any = wire(enum(HandlingCode), "H0", "SIENA handling code; H3 needs "
                              "handling_conditions")
    handling_conditions: Any = wire(STRING, "", "Written restrictions (H3)")
    tlp: Any = wire(enum(Tlp), "AMBER", "TLP 2.0; RED needs named recipients")
    pap: Any = wire(nullable(enum(Pap)), None, "Indicators only")
    source_reliability: Any = wire(enum(SourceReliability), "X", "4x4 source evaluation")
    information_accuracy: Any = wire(enum(InformationAccuracy), "4",
                                     "4x4 information evaluation")
    fact_or_assessment: Any = wire(enum(FactOrAssessment), "fact")
    purpose: Any = wire({"type": "string", "maxLength": 2000},
                        "prevention and combating of terrorism")
    legal_basis: Any = wire(STRING, "")
    review_date: Any = wire(nullable(DATE), None,
                            "Set by default for personal data; past due blocks reading")
    releasable_to: Any = wire(array(STRING), [], "Agency ids that may receive the record")
    recipients: Any = wire(array({"type": "string", "pattern": "^(user|agency):"}), [],
                           "`user:<id>` or `agency:<id>`; required for TLP:RED")
    compartment: Any = wire(nullable(STRING), None, "Need-to-know group; members only")


class PersonDetails(_Described):
    """A person, with names as written in every script."""

    subject_category: Any = wire(enum(SubjectCategory), ..., "LED Art. 6; mandatory")
    given_names: Any = wire(STRING, "")
    family_name: Any = wire(STRING, "")
    names_original_script: Any = wire(array(STRING), [], "e.g. Arabic script")
    aliases: Any = wire(array(STRING), [])
    date_of_birth: Any = wire(nullable(PARTIAL_DATE), None)
    place_of_birth: Any = wire(STRING, "")
    nationalities: Any = wire(array(COUNTRY), [])
    sex: Any = wire({"type": "string", "enum": ["", "F", "M", "X"]}, "")


class DocumentDetails(_Described):
    """A travel or identity document."""

    document_type: Any = wire(enum(DocumentType))
    number: Any = wire({"type": "string", "minLength": 1, "maxLength": 64})
    issuing_country: Any = wire(COUNTRY)
    status: Any = wire(enum(DocumentStatus), "valid")
    holder: Any = wire(nullable(RECORD_ID), None, "A person record id")
    expiry_date: Any = wire(nullable(DATE), None)


class OrganisationDetails(_Described):
    """A group, company or association."""

    name: Any = wire({"type": "string", "minLength": 1})
    aliases: Any = wire(array(STRING), [])
    country: Any = wire(nullable(COUNTRY), None)
    description: Any = wire(STRING, "")


class EventDetails(_Described):
    """Something that happened at a time and place."""

    event_type: Any = wire(enum(EventType))
    occurred_at: Any = wire(TIMESTAMP)
    ended_at: Any = wire(nullable(TIMESTAMP), None)
    place: Any = wire(STRING, "")
    country: Any = wire(nullable(COUNTRY), None)
    description: Any = wire(STRING, "")
    participants: Any = wire(array(RECORD_ID), [])


class ReportDetails(_Described):
    """A written report referring to other records."""

    title: Any = wire({"type": "string", "minLength": 1})
    text: Any = wire(STRING)
    published: Any = wire(TIMESTAMP)
    references: Any = wire(array(RECORD_ID), [])


class IndicatorDetails(_Described):
    """A cyber indicator as a STIX pattern."""

    pattern: Any = wire({"type": "string", "minLength": 2}, ..., "e.g. [ipv4-addr:value = "
                        "'198.51.100.7']")
    valid_from: Any = wire(TIMESTAMP)
    name: Any = wire(STRING, "")
    description: Any = wire(STRING, "")
    indicator_types: Any = wire(array(STRING), [])
    valid_until: Any = wire(nullable(TIMESTAMP), None)
    pattern_type: Any = wire({"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]{0,49}$"},
                             "stix", "stix (checked against the STIX 2.1 grammar), or sigma, "
                             "yara, snort, suricata, pcre... (kept as written)")


class RelationshipDetails(_Described):
    """A typed link between two records."""

    relationship_type: Any = wire({"type": "string", "pattern": "^[a-z][a-z0-9-]{0,62}$"})
    source: Any = wire(RECORD_ID)
    target: Any = wire(RECORD_ID)
    description: Any = wire(STRING, "")


class AlertDetails(_Described):
    """An alert on a person (or, to seize it, a document): what to do on a hit, until when."""

    category: Any = wire(enum(AlertCategory), ..., "document_to_seize is on a document record, "
                         "every other category on a person; the three checks are covert")
    subject: Any = wire(RECORD_ID, ..., "The person record id (document record id for "
                        "document_to_seize) the alert is on")
    action: Any = wire({"type": "string", "minLength": 1, "maxLength": 2000}, ...,
                       "What to do when the subject is found")
    valid_from: Any = wire(TIMESTAMP, ..., "With a time zone")
    valid_until: Any = wire(TIMESTAMP, ..., "With a time zone; after valid_from")
    urgency: Any = wire(enum(Urgency), "routine", "How fast the issuer wants to hear of a hit")
    status: Any = wire(enum(AlertStatus), "active", "A withdrawn alert raises no hit")
    grounds: Any = wire(STRING, "", "Why the alert was issued")


class ObjectDetails(_Described):
    """A STIX object of a type Passerelle does not model, kept as received (kind ``object``;
    the record id is the object's STIX id)."""

    stix_type: Any = wire({"type": "string", "pattern": "^[a-z][a-z0-9-]*[a-z0-9]$"}, ...,
                          "The STIX type, e.g. threat-actor, malware, x-misp-attribute")
    content: Any = wire({"type": "string", "minLength": 2}, ...,
                        "The object's JSON text, as received")


DETAILS_MODELS: dict[RecordKind, type[BaseModel]] = {
    RecordKind.PERSON: PersonDetails,
    RecordKind.DOCUMENT: DocumentDetails,
    RecordKind.ORGANISATION: OrganisationDetails,
    RecordKind.EVENT: EventDetails,
    RecordKind.REPORT: ReportDetails,
    RecordKind.INDICATOR: IndicatorDetails,
    RecordKind.RELATIONSHIP: RelationshipDetails,
    RecordKind.ALERT: AlertDetails,
    RecordKind.OBJECT: ObjectDetails,
}

DetailsWire = (PersonDetails | DocumentDetails | OrganisationDetails | EventDetails
               | ReportDetails | IndicatorDetails | RelationshipDetails | AlertDetails
               | ObjectDetails)


def details_schema() -> JsonDict:
    """``details`` on input: one of the detail schemas (which one follows ``kind``). The
    components exist because ``RecordOut`` uses every detail model."""
    return {"oneOf": [{"$ref": f"#/components/schemas/{model.__name__}"}
                      for model in DETAILS_MODELS.values()],
            "description": "The schema named after `kind`, e.g. PersonDetails for person"}


def example_person() -> dict[str, Any]:
    """A fictional person, for the examples of the OpenAPI document."""
    return {"subject_category": "suspect", "given_names": "Youssef", "family_name": "El Amrani",
            "names_original_script": ["يوسف العمراني"], "date_of_birth": "1987-03",
            "nationalities": ["MA", "FR"]}


def example_alert() -> dict[str, Any]:
    """A covert check on a fictional person's record, for the examples of the OpenAPI
    document."""
    return {"category": "discreet_check",
            "subject": "person--7b3e9d52-1c4f-4a8e-9f0b-2d6c8e1a5b73",
            "action": "Record the route, the companions and the vehicle; do not alert the "
                      "person.",
            "valid_from": "2026-03-01T00:00:00Z", "valid_until": "2027-03-01T00:00:00Z",
            "urgency": "urgent", "grounds": "Suspected facilitation of travel."}
