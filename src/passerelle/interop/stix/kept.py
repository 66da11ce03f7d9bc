"""STIX objects Passerelle does not model, kept as received and given back unchanged.

A threat actor, a malware, a campaign, a course of action, a cyber observable, a partner's
custom object, an individual sent without a data-subject category, a statement marking: none
of them is a Passerelle record kind, and none may be dropped. Each becomes a record of kind
``object`` (``domain.records.StixObject``) named by its STIX id, holding the object's JSON text;
its markings are enforced like any record's:

- TLP: the strictest TLP among the object's ``object_marking_refs`` and the marking refs of its
  ``granular_markings`` (a partial restriction is applied to the whole record, never dropped);
  the domain's default when there is none;
- the rest (handling code, 4x4, releasability...): Passerelle's record extension when the object
  carries one (another node's export), else the domain's defaults.

On export the object is written as it came, with Passerelle's record extension added (owner,
version, markings) and its TLP marking put in place of the TLP it came with (or added when it
had none): what a recipient must honour always travels with the object.
"""

from __future__ import annotations

from typing import Any, Final

import orjson

from passerelle.domain.markings import Tlp
from passerelle.domain.records import RESERVED_TYPES, Record, RecordKind, StixObject
from passerelle.errors import InvalidStix
from passerelle.interop.stix.extensions import PERSON
from passerelle.interop.stix.identifiers import KINDS_OF_TYPE, format_timestamp
from passerelle.interop.stix.place import Place
from passerelle.interop.stix.tlp import TLP2_MARKING_IDS, TLP_OF_MARKING

OBSERVABLE_TYPES: Final = frozenset({
    "artifact", "autonomous-system", "directory", "domain-name", "email-addr", "email-message",
    "file", "ipv4-addr", "ipv6-addr", "mac-addr", "mutex", "network-traffic", "process",
    "software", "url", "user-account", "windows-registry-key", "x509-certificate",
})
"""STIX 2.1 cyber observables, which may omit ``spec_version`` (it then means 2.1)."""

TLP_ORDER: Final = (Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER, Tlp.AMBER_STRICT, Tlp.RED)


def kept_kind(obj: dict[str, Any], declared: object = None) -> bool:
    """Whether ``obj`` is kept as received rather than read as a record of a modelled kind.

    ``declared`` is the ``kind`` of Passerelle's record extension, if the object has one.
    Objects of modelled types are kept when they cannot be read as one of the kinds: an
    ``identity`` that is neither an organization nor an individual with Passerelle's person
    extension (its LED Art. 6 category), and whatever Passerelle's extension declares ``object``.
    """
    stix_type = obj.get("type")
    if declared == RecordKind.OBJECT.value:
        return True
    if stix_type == "identity":
        return not _identity_is_record(obj)
    return isinstance(stix_type, str) and stix_type not in KINDS_OF_TYPE


def _identity_is_record(obj: dict[str, Any]) -> bool:
    identity_class = obj.get("identity_class")
    if identity_class in ("organization", "group"):
        return True
    if identity_class != "individual":
        return False
    extensions = obj.get("extensions")
    return isinstance(extensions, dict) and PERSON.id in extensions


def check_keepable(stix_type: str, place: Place) -> None:
    """Refuse a type that would be mistaken for one of Passerelle's own."""
    if stix_type in RESERVED_TYPES and stix_type not in KINDS_OF_TYPE:
        raise InvalidStix(f"type {stix_type!r} is reserved by Passerelle's record kinds",
                          field=place.at("type"))


def strictest_tlp(obj: dict[str, Any], place: Place) -> Tlp | None:
    """The strictest TLP among the object's object-level and granular marking refs."""
    found: list[Tlp] = []
    refs = obj.get("object_marking_refs", [])
    if not isinstance(refs, list):
        raise InvalidStix("must be a list of marking-definition ids",
                          field=place.at("object_marking_refs"))
    granular = obj.get("granular_markings", [])
    if not isinstance(granular, list):
        raise InvalidStix("must be a list", field=place.at("granular_markings"))
    for ref in [*refs, *(g.get("marking_ref") for g in granular if isinstance(g, dict))]:
        tlp = TLP_OF_MARKING.get(ref) if isinstance(ref, str) else None
        if tlp is not None:
            found.append(tlp)
    return max(found, key=TLP_ORDER.index) if found else None


def content_of(obj: dict[str, Any], own_extension: str) -> str:
    """The JSON text kept for ``obj``: the object as received, less what the record holds
    itself: Passerelle's record extension and the TLP marking refs (``markings.tlp``)."""
    kept = dict(obj)
    extensions = obj.get("extensions")
    if isinstance(extensions, dict) and own_extension in extensions:
        rest = {k: v for k, v in extensions.items() if k != own_extension}
        if rest:
            kept["extensions"] = rest
        else:
            del kept["extensions"]
    refs = obj.get("object_marking_refs")
    if isinstance(refs, list):
        others = [ref for ref in refs if ref not in TLP_OF_MARKING]
        if others:
            kept["object_marking_refs"] = others
        else:
            del kept["object_marking_refs"]
    return orjson.dumps(kept).decode()


def kept_object(record: Record, record_extension: dict[str, Any],
                own_extension: str) -> dict[str, Any]:
    """The STIX object of a kept record: its content, with the record's TLP 2.0 marking first
    among its marking refs and Passerelle's record extension added."""
    details = record.details
    if not isinstance(details, StixObject):
        raise TypeError(f"{record.id} is not a kept STIX object")
    obj: dict[str, Any] = orjson.loads(details.content)
    if record.version > 1 and "modified" in obj:  # changed here (its markings): a new version
        obj["modified"] = format_timestamp(record.modified_at)
    refs = obj.get("object_marking_refs")
    obj["object_marking_refs"] = [TLP2_MARKING_IDS[record.markings.tlp],
                                  *(refs if isinstance(refs, list) else [])]
    extensions = obj.get("extensions")
    obj["extensions"] = {**(extensions if isinstance(extensions, dict) else {}),
                         own_extension: record_extension}
    return obj
