"""How the pages name a record in one line."""

from __future__ import annotations

from passerelle.domain.kept_objects import StixObject
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
)


def record_label(record: Record) -> str:
    """A person's names, a document's number, an alert's category…"""
    details = record.details
    if isinstance(details, Person):
        latin = " ".join(p for p in (details.given_names, details.family_name) if p)
        return latin or (details.names_original_script[0] if details.names_original_script
                         else "(no name)")
    if isinstance(details, Document):
        return f"{details.document_type.value.replace('_', ' ')} {details.number} " \
               f"({details.issuing_country})"
    if isinstance(details, Organisation):
        return details.name
    if isinstance(details, Alert):
        return f"{details.category.value.replace('_', ' ')} — {details.status.value}"
    if isinstance(details, Event):
        return f"{details.event_type.value.replace('_', ' ')} {details.place}".strip()
    if isinstance(details, Report):
        return details.title
    if isinstance(details, Indicator):
        return details.name or details.pattern[:80]
    if isinstance(details, Relationship):
        return details.relationship_type
    if isinstance(details, StixObject):
        return details.stix_type
    return record.kind.value


def original_script(record: Record) -> str:
    """A person's first name in original script, shown beside the Latin one."""
    details = record.details
    if isinstance(details, Person) and details.names_original_script and \
            (details.given_names or details.family_name):
        return details.names_original_script[0]
    return ""
