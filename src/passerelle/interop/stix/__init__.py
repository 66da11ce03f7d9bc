"""STIX 2.1 for Passerelle: records to objects and bundles, and back.

Public surface (see docs/stix-mapping.md for the mapping itself)::

    record_to_stix(record) -> [object]            one SDO/SRO per record
    bundle(records) -> bundle                     with the markings, extensions, identities used
    stix_to_record(obj, default_owner=...)        the inverse; InvalidStix names the property
    read_bundle(data) -> [(index, object)]        bundle-level checks
    check_object(obj, path=..., markings=...)     per-object checks before mapping
    import_bundle(data, default_owner=...)        every object: record, context or error

TLP travels as the standard TLP 2.0 marking-definitions; handling codes, the 4x4 evaluation and
the LED fields as Passerelle's published extension-definitions (``extensions``), never as
ad-hoc ``x_`` properties.
"""

from passerelle.interop.stix.bundles import (
    ImportedObject,
    check_object,
    import_bundle,
    is_context,
    known_markings,
    read_bundle,
)
from passerelle.interop.stix.export import bundle, record_to_stix
from passerelle.interop.stix.extensions import (
    ALERT,
    DOCUMENT,
    EVENT,
    EXTENSIONS,
    ORGANISATION,
    PASSERELLE_IDENTITY_ID,
    PERSON,
    RECORD,
    Extension,
)
from passerelle.interop.stix.patterns import check_pattern
from passerelle.interop.stix.reader import stix_to_record
from passerelle.interop.stix.tlp import TLP2_MARKING_IDS

__all__ = [
    "ALERT",
    "DOCUMENT",
    "EVENT",
    "EXTENSIONS",
    "ORGANISATION",
    "PASSERELLE_IDENTITY_ID",
    "PERSON",
    "RECORD",
    "TLP2_MARKING_IDS",
    "Extension",
    "ImportedObject",
    "bundle",
    "check_object",
    "check_pattern",
    "import_bundle",
    "is_context",
    "known_markings",
    "read_bundle",
    "record_to_stix",
    "stix_to_record",
]
