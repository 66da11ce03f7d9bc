"""The record forms: which fields each kind has, and how a posted form becomes the codec's
dictionaries (and a stored record becomes a filled form).

Field names are the codec's dotted names (``markings.tlp``, ``details.family_name``), so that
an error raised anywhere below — codec, markings, record, service — is shown at the field it
names. Lists are written one item per line (names) or separated by commas (countries, agency
ids). Instants are entered in UTC (``datetime-local``) and sent with ``Z``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from passerelle.domain.codec import markings_to_dict
from passerelle.domain.markings import (
    FactOrAssessment,
    HandlingCode,
    InformationAccuracy,
    Markings,
    SourceReliability,
    Tlp,
)
from passerelle.domain.records import (
    AlertCategory,
    AlertStatus,
    DocumentStatus,
    DocumentType,
    RecordKind,
    SubjectCategory,
    Urgency,
)

#: The kinds the pages create and edit; others come by import or federation.
EDITABLE = (RecordKind.PERSON, RecordKind.DOCUMENT, RecordKind.ORGANISATION, RecordKind.ALERT)


@dataclass(frozen=True, slots=True)
class FormField:
    """One input: ``widget`` is text, textarea, select, date, instant, lines (one item per
    line), commas (comma-separated), or agencies (a checkbox per partner agency)."""

    name: str
    label: str
    widget: str = "text"
    options: tuple[tuple[str, str], ...] = ()
    required: bool = False
    hint: str = ""


def _options(kind: type[Enum], blank: bool = False) -> tuple[tuple[str, str], ...]:
    values = tuple((str(m.value), str(m.value).replace("_", " ")) for m in kind)
    return (("", "—"), *values) if blank else values


MARKINGS: tuple[FormField, ...] = (
    FormField("markings.handling_code", "Handling code", "select", _options(HandlingCode),
              hint="H0 crime prevention only; H1 not in court without permission; "
                   "H2 not passed on; H3 conditions below"),
    FormField("markings.handling_conditions", "Handling conditions", hint="Required for H3"),
    FormField("markings.tlp", "TLP", "select", _options(Tlp)),
    FormField("markings.source_reliability", "Source reliability", "select",
              _options(SourceReliability), hint="A no doubt … C mostly unreliable, X unknown"),
    FormField("markings.information_accuracy", "Information accuracy", "select",
              _options(InformationAccuracy),
              hint="1 not in doubt … 4 not known personally, not corroborated"),
    FormField("markings.fact_or_assessment", "Fact or assessment", "select",
              _options(FactOrAssessment)),
    FormField("markings.releasable_to", "Releasable to", "agencies"),
    FormField("markings.recipients", "Named recipients", "commas",
              hint="user:<id> or agency:<id>, comma-separated; required for TLP:RED"),
    FormField("markings.compartment", "Need-to-know compartment",
              hint="Only members of this group see the record"),
    FormField("markings.review_date", "Review date", "date",
              hint="Set by default for personal data"),
    FormField("markings.purpose", "Purpose"),
    FormField("markings.legal_basis", "Legal basis"),
)

DETAILS: dict[RecordKind, tuple[FormField, ...]] = {
    RecordKind.PERSON: (
        FormField("details.subject_category", "Data subject category", "select",
                  _options(SubjectCategory, blank=True), required=True),
        FormField("details.given_names", "Given names"),
        FormField("details.family_name", "Family name"),
        FormField("details.names_original_script", "Names in original script", "lines",
                  hint="One per line, e.g. in Arabic script"),
        FormField("details.aliases", "Aliases", "lines", hint="One per line"),
        FormField("details.date_of_birth", "Date of birth", hint="YYYY, YYYY-MM or YYYY-MM-DD"),
        FormField("details.place_of_birth", "Place of birth"),
        FormField("details.nationalities", "Nationalities", "commas",
                  hint="ISO country codes, comma-separated, e.g. MA, FR"),
        FormField("details.sex", "Sex", "select", (("", "—"), ("F", "F"), ("M", "M"),
                                                   ("X", "X"))),
    ),
    RecordKind.DOCUMENT: (
        FormField("details.document_type", "Document type", "select",
                  _options(DocumentType, blank=True), required=True),
        FormField("details.number", "Number", required=True),
        FormField("details.issuing_country", "Issuing country", required=True,
                  hint="ISO country code, e.g. BE"),
        FormField("details.status", "Status", "select", _options(DocumentStatus)),
        FormField("details.holder", "Holder", hint="The person record id"),
        FormField("details.expiry_date", "Expiry date", "date"),
    ),
    RecordKind.ORGANISATION: (
        FormField("details.name", "Name", required=True),
        FormField("details.aliases", "Aliases", "lines", hint="One per line"),
        FormField("details.country", "Country", hint="ISO country code"),
        FormField("details.description", "Description", "textarea"),
    ),
    RecordKind.ALERT: (
        FormField("details.category", "Alert category", "select",
                  _options(AlertCategory, blank=True), required=True,
                  hint="Discreet, inquiry and specific checks are covert"),
        FormField("details.subject", "Subject", required=True,
                  hint="The person record id (a document record for document to seize)"),
        FormField("details.action", "Action to take", "textarea", required=True),
        FormField("details.valid_from", "Valid from (UTC)", "instant", required=True),
        FormField("details.valid_until", "Valid until (UTC)", "instant", required=True),
        FormField("details.urgency", "Urgency", "select", _options(Urgency)),
        FormField("details.status", "Status", "select", _options(AlertStatus)),
        FormField("details.grounds", "Grounds", "textarea", hint="Why the alert is issued"),
    ),
}

_NULLABLE = {"markings.review_date", "markings.compartment", "details.date_of_birth",
             "details.holder", "details.expiry_date", "details.country"}
_INDEX = re.compile(r"\[\d+\]$")


def fields_of(kind: RecordKind) -> tuple[FormField, ...]:
    """Every field of the form for ``kind``: details first, then markings."""
    return (*DETAILS[kind], *MARKINGS)


def _value(spec: FormField, form: Mapping[str, Any], many: Mapping[str, list[str]]) -> Any:
    if spec.widget == "agencies":
        return [a for a in many.get(spec.name, []) if a]
    text = str(form.get(spec.name, "")).strip()
    if spec.widget == "lines":
        return [line.strip() for line in text.splitlines() if line.strip()]
    if spec.widget == "commas":
        return [item.strip() for item in text.split(",") if item.strip()]
    if spec.widget == "instant":
        if not text:
            return ""
        return text if text.endswith("Z") or "+" in text[10:] else \
            (text + ":00Z" if len(text) == 16 else text + "Z")
    if not text and spec.name in _NULLABLE:
        return None
    return text


def read_form(kind: RecordKind, form: Mapping[str, Any], many: Mapping[str, list[str]]
              ) -> tuple[dict[str, Any], dict[str, Any]]:
    """The markings and details dictionaries of a posted form (``many`` holds the values of
    repeated fields). Empty optional text fields are left out, so the codec's defaults hold."""
    markings: dict[str, Any] = {}
    details: dict[str, Any] = {}
    for spec in fields_of(kind):
        value = _value(spec, form, many)
        if value == "" and not spec.required:
            continue
        section, _, name = spec.name.partition(".")
        (markings if section == "markings" else details)[name] = value
    return markings, details


def _shown(spec: FormField, value: Any) -> Any:
    if value is None:
        return [] if spec.widget == "agencies" else ""
    if spec.widget == "lines":
        return "\n".join(value)
    if spec.widget == "commas":
        return ", ".join(sorted(value))
    if spec.widget == "instant":
        return str(value).replace("Z", "")[:16]
    return value


def form_values(record_data: Mapping[str, Any]) -> dict[str, Any]:
    """A stored record (``codec.record_to_dict``) as the values of its form."""
    kind = RecordKind(record_data["kind"])
    values: dict[str, Any] = {}
    for spec in fields_of(kind):
        section, _, name = spec.name.partition(".")
        values[spec.name] = _shown(spec, record_data[section].get(name))
    return values


def new_values(kind: RecordKind) -> dict[str, Any]:
    """The form of a new record: the markings' defaults (AMBER, H0, X4, fact…), details
    empty but for the defaults of their optional choices."""
    values = form_values({"kind": kind.value, "markings": markings_to_dict(Markings()),
                          "details": {}})
    defaults = {RecordKind.DOCUMENT: {"details.status": "valid"},
                RecordKind.ALERT: {"details.urgency": "routine", "details.status": "active"}}
    values.update(defaults.get(kind, {}))
    return values


def posted_values(kind: RecordKind, form: Mapping[str, Any], many: Mapping[str, list[str]]
                  ) -> dict[str, Any]:
    """What the user typed, to fill the form again beside its errors."""
    return {spec.name: many.get(spec.name, []) if spec.widget == "agencies"
            else str(form.get(spec.name, "")) for spec in fields_of(kind)}


def error_field(kind: RecordKind, field: str | None) -> str:
    """The form field an error names (``details.aliases[2]`` is ``details.aliases``); errors
    naming no field of the form are shown above it (``""``)."""
    if not field:
        return ""
    name = _INDEX.sub("", field)
    names = {spec.name for spec in fields_of(kind)}
    for candidate in (name, f"markings.{name}", f"details.{name}"):
        if candidate in names:
            return candidate
    return ""
