"""Passerelle's published STIX extension-definitions and the identity that publishes them.

STIX 2.1 has no standard for SIENA handling codes, the Europol 4x4 evaluation or the fields
the Law Enforcement Directive requires, nor objects for travel documents or border crossings.
Rather than ad-hoc ``x_`` properties, which a partner can neither discover nor validate, they
are defined here as extension-definitions with JSON Schemas (``schemas/*.json``). Each
definition embeds its schema as text in ``schema``, so that a bundle is self-describing: a
recipient can check our extension data without fetching anything.

Ids, timestamps and versions are fixed. Changing a schema is a change of the wire format:
bump ``version`` and ``modified`` together, never the id (partners key on it). A golden test
pins the schema text to the version. Ids are ``uuid5(NAMESPACE, "extension-definition:<key>")``.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Final

from passerelle.domain.markings import Tlp
from passerelle.interop.stix.identifiers import (
    ALERT_TYPE,
    DOCUMENT_TYPE,
    EVENT_TYPE,
    agency_identity_id,
)
from passerelle.interop.stix.tlp import TLP2_MARKING_IDS

PUBLISHED: Final = "2026-11-01T00:00:00.000Z"
"""``created`` and ``modified`` of Passerelle's identity, the agencies' identities and the
extension-definitions first published (version 1.0.0)."""

ALERTS_PUBLISHED: Final = "2026-12-06T00:00:00.000Z"
INTEROP_PUBLISHED: Final = "2026-12-06T22:00:00.000Z"
"""When objects of types Passerelle does not model joined the wire format (``modified`` of the
record extension 1.2.0: the ``object`` kind, any STIX id in ``record_refs``, ``producer_ref``)."""
"""When alerts joined the wire format: ``created`` of the alert extension, ``modified`` of the
extensions whose schemas then learnt the ``alert`` kind (version 1.1.0)."""

PASSERELLE_IDENTITY_ID: Final = "identity--9841ca66-a95b-5e77-9bbb-774c5eb4c9ba"
"""uuid5(NAMESPACE, "identity:passerelle"): the author of the extension-definitions."""


@functools.cache
def _properties(schema_file: str) -> frozenset[str]:
    # Asked for every imported object: computed once per schema.
    return frozenset(_load_schema(schema_file)["properties"])


@functools.cache
def _required(schema_file: str) -> tuple[str, ...]:
    return tuple(_load_schema(schema_file).get("required", ()))


@dataclass(frozen=True, slots=True)
class Extension:
    """One of Passerelle's extension-definitions: its fixed id and its schema file."""

    key: str
    id: str
    name: str
    extension_type: str
    schema_file: str
    version: str = "1.0.0"
    created: str = PUBLISHED
    modified: str = PUBLISHED

    def schema(self) -> dict[str, Any]:
        """The JSON Schema (draft 2020-12) of the extension's data."""
        return _load_schema(self.schema_file)

    def properties(self) -> frozenset[str]:
        """Property names the schema defines; any other name is refused on import."""
        return _properties(self.schema_file)

    def required(self) -> tuple[str, ...]:
        """Property names the schema requires."""
        return _required(self.schema_file)

    def property_description(self, name: str) -> str:
        """What the schema says of property ``name`` (empty if it says nothing)."""
        return str(self.schema()["properties"].get(name, {}).get("description", ""))

    def description(self) -> str:
        """What the extension carries and why (the schema's own description)."""
        return str(self.schema()["description"])


RECORD: Final = Extension(
    "passerelle-record", "extension-definition--1259a9cb-a2d5-5858-9ecc-90993bf690ff",
    "Passerelle record: handling, evaluation and LED markings", "property-extension",
    "record.json", "1.2.0", modified=INTEROP_PUBLISHED,
)
PERSON: Final = Extension(
    "passerelle-person", "extension-definition--d537bfae-9474-501f-b9e9-22747e4b7560",
    "Passerelle person", "property-extension", "person.json",
)
ORGANISATION: Final = Extension(
    "passerelle-organisation", "extension-definition--a3869cd5-fb99-5f1e-b73e-481c7bc4afd2",
    "Passerelle organisation", "property-extension", "organisation.json",
)
DOCUMENT: Final = Extension(
    DOCUMENT_TYPE, "extension-definition--439336f4-0f9e-5458-9599-59aa4496b15b",
    "Passerelle travel or identity document", "new-sdo", "document.json",
)
EVENT: Final = Extension(
    EVENT_TYPE, "extension-definition--59227ad0-cc2b-5f1b-bd07-0163edd077f4",
    "Passerelle event", "new-sdo", "event.json", "1.1.0", modified=ALERTS_PUBLISHED,
)
ALERT: Final = Extension(
    ALERT_TYPE, "extension-definition--19907c7e-b55a-5ba1-85b3-d7828318ce62",
    "Passerelle alert", "new-sdo", "alert.json",
    created=ALERTS_PUBLISHED, modified=ALERTS_PUBLISHED,
)

EXTENSIONS: Final[tuple[Extension, ...]] = (RECORD, PERSON, ORGANISATION, DOCUMENT, EVENT,
                                            ALERT)
EXTENSION_BY_ID: Final[dict[str, Extension]] = {e.id: e for e in EXTENSIONS}

EMPTY_REPORT_REF: Final = RECORD.id
"""What ``object_refs`` of a report that references no record holds.

STIX requires at least one reference; the report's own record extension-definition is in every
Passerelle bundle, is not a record, and so reads back as "no references" without ambiguity.
"""


@cache
def _load_schema(name: str) -> dict[str, Any]:
    text = resources.files("passerelle.interop.stix").joinpath("schemas", name).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def schema_text(extension: Extension) -> str:
    """The schema as compact JSON with sorted keys: stable bytes for the ``schema`` property."""
    return json.dumps(extension.schema(), sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False)


def extension_definition(extension: Extension) -> dict[str, Any]:
    """The extension-definition object that publishes ``extension``."""
    return {
        "type": "extension-definition",
        "spec_version": "2.1",
        "id": extension.id,
        "created_by_ref": PASSERELLE_IDENTITY_ID,
        "created": extension.created,
        "modified": extension.modified,
        "name": extension.name,
        "description": extension.description(),
        "schema": schema_text(extension),
        "version": extension.version,
        "extension_types": [extension.extension_type],
        "object_marking_refs": [TLP2_MARKING_IDS[Tlp.CLEAR]],
    }


def passerelle_identity() -> dict[str, Any]:
    """The identity of the Passerelle project, author of the extension-definitions."""
    return {
        "type": "identity",
        "spec_version": "2.1",
        "id": PASSERELLE_IDENTITY_ID,
        "created": PUBLISHED,
        "modified": PUBLISHED,
        "name": "Passerelle",
        "description": "Open-source platform for lawful exchange of counter-terrorism records "
                       "between partner agencies; publisher of the Passerelle STIX extensions.",
        "identity_class": "system",
        "object_marking_refs": [TLP2_MARKING_IDS[Tlp.CLEAR]],
    }


AGENCY_SOURCE: Final = "passerelle-agency"
"""``source_name`` of the external reference that names an agency in its identity object."""


def agency_identity(agency: str, name: str | None = None) -> dict[str, Any]:
    """The identity object behind ``created_by_ref`` for records owned by ``agency``.

    The agency id travels in an external reference, and the object's id derives from it; an
    importer recognises the pair and does not mistake the agency for an organisation record.
    """
    return {
        "type": "identity",
        "spec_version": "2.1",
        "id": agency_identity_id(agency),
        "created_by_ref": PASSERELLE_IDENTITY_ID,
        "created": PUBLISHED,
        "modified": PUBLISHED,
        "name": name or agency,
        "identity_class": "organization",
        "sectors": ["government-national"],
        "external_references": [{"source_name": AGENCY_SOURCE, "external_id": agency}],
        "object_marking_refs": [TLP2_MARKING_IDS[Tlp.CLEAR]],
    }


def is_passerelle_identity(obj: dict[str, Any]) -> bool:
    """True for Passerelle's own identity and for agency identities made by ``agency_identity``."""
    if obj.get("type") != "identity":
        return False
    if obj.get("id") == PASSERELLE_IDENTITY_ID:
        return True
    references = obj.get("external_references")
    if not isinstance(references, list):
        return False
    return any(
        isinstance(ref, dict) and ref.get("source_name") == AGENCY_SOURCE
        and isinstance(ref.get("external_id"), str)
        and obj.get("id") == agency_identity_id(ref["external_id"])
        for ref in references
    )
