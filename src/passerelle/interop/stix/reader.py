"""STIX 2.1 objects back to records, naming the offending property when they cannot be.

The reader gathers, from the STIX object and Passerelle's extensions, the record's canonical
plain form (``passerelle.domain.codec``) and lets the codec and the domain check it, so that a
record read from STIX obeys exactly the rules of one typed in by an officer. It remembers where
in the STIX object each field came from, and an error about ``details.date_of_birth`` is
reported as ``objects[3].extensions.extension-definition--d537….date_of_birth``.

Objects from other producers (no Passerelle extension) are read too: their owner is the
``default_owner`` the caller gives, their markings the domain's defaults plus their TLP level.
What cannot be kept is refused rather than dropped when it restricts use (markings, granular
markings, revocation); descriptive extras (labels, kill chains, external references) are not
mapped, as docs/stix-mapping.md lists.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import Enum
from functools import partial
from typing import Any, TypeVar

from passerelle.domain.codec import record_from_dict
from passerelle.domain.markings import Markings
from passerelle.domain.records import Record, RecordKind
from passerelle.errors import InvalidStix, ValidationFailed
from passerelle.interop.stix.details import DETAIL_READERS, Refs
from passerelle.interop.stix.extensions import (
    EXTENSIONS,
    RECORD,
    Extension,
)
from passerelle.interop.stix.identifiers import (
    KINDS_OF_TYPE,
    agency_identity_id,
    check_timestamp,
    split_stix_id,
)
from passerelle.interop.stix.kept import (
    OBSERVABLE_TYPES,
    check_keepable,
    content_of,
    kept_kind,
    strictest_tlp,
)
from passerelle.interop.stix.leftovers import leftovers, with_leftovers
from passerelle.interop.stix.place import Place
from passerelle.interop.stix.tlp import tlp_of_marking_refs

E = TypeVar("E", bound=Enum)

IDENTITY_KINDS: dict[str, RecordKind] = {
    "individual": RecordKind.PERSON,
    "organization": RecordKind.ORGANISATION,
    "group": RecordKind.ORGANISATION,
}
"""identity_class values Passerelle reads; ``system``, ``class`` and ``unknown`` are not people
or organisations an agency keeps records on."""

OWN_EXTENSIONS = frozenset(extension.id for extension in EXTENSIONS)
_MARKING_FIELDS = tuple(name for name in Markings.__dataclass_fields__ if name != "tlp")
_ENVELOPE_FIELDS = ("version", "owner_agency", "created_by", "modified_by")


def stix_to_record(
    obj: object,
    *,
    default_owner: str,
    path: str = "",
    kinds: Mapping[str, RecordKind] | None = None,
) -> Record:
    """Read one STIX object as a record; inverse of ``record_to_stix``.

    ``path`` prefixes the field of every error (``objects[3]`` for the fourth object of a
    bundle). ``kinds`` tells, for STIX ids that are not in the object itself, which kind of
    record they are (an ``identity`` may be a person or an organisation); Passerelle's own
    objects say so in their extension and need no help. Raises ``InvalidStix`` and nothing else.
    """
    place = Place(path)
    paths: dict[str, str] = {}
    try:
        return record_from_dict(_canonical(obj, default_owner, place, kinds or {}, paths))
    except InvalidStix:
        raise
    except ValidationFailed as error:
        raise InvalidStix(error.detail, field=_remap(error.field, paths, place)) from None


def _canonical(
    obj: object,
    default_owner: str,
    place: Place,
    kinds: Mapping[str, RecordKind],
    paths: dict[str, str],
) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise InvalidStix("a STIX object must be a JSON object", field=place.path or "object")
    stix_type, uid = _type_and_uuid(obj, place)
    if obj.get("revoked") is True:
        raise InvalidStix("the producer revoked this object; revocation withdraws a record, it "
                          "does not create one", field=place.at("revoked"))
    extensions = _extensions(obj, place)
    envelope = extensions.get(RECORD.id)
    if kept_kind(obj, envelope.get("kind") if envelope else None):
        data = _kept(obj, stix_type, uid, envelope, default_owner, place, paths)
        return data if envelope else _red_for_owner(data)
    kind = _kind(obj, stix_type, envelope, place)
    refs = Refs(envelope.get("record_refs") if envelope else None, kinds, place)
    details, detail_paths = DETAIL_READERS[kind](obj, extensions, place, refs)
    refs.finish()
    paths.update({f"details.{name}": at for name, at in detail_paths.items()})
    markings = _markings(obj, envelope, place, paths)
    data = {
        "id": f"{kind.value}--{uid}",
        "owner_agency": default_owner,
        "created_at": check_timestamp(obj.get("created"), place.at("created")),
        "modified_at": check_timestamp(obj.get("modified"), place.at("modified")),
        "markings": markings,
        "details": details,
    }
    paths.update({"id": place.at("id"), "created_at": place.at("created"),
                  "modified_at": place.at("modified")})
    if envelope is not None:
        data.update({name: envelope[name] for name in _ENVELOPE_FIELDS if name in envelope})
        paths.update({name: place.ext(RECORD, name) for name in _ENVELOPE_FIELDS})
        _check_creator(obj, data["owner_agency"], envelope, place)
    else:
        _red_for_owner(data)
    owner = data["owner_agency"]
    kept = leftovers(obj, kind, OWN_EXTENSIONS,
                     agency_identity_id(owner) if isinstance(owner, str) else None)
    if kept:
        data["extras"] = with_leftovers("", kept)
    return data


def _kept(obj: dict[str, Any], stix_type: str, uid: str, envelope: dict[str, Any] | None,
          default_owner: str, place: Place, paths: dict[str, str]) -> dict[str, Any]:
    """The canonical form of an object kept as received (see ``interop.stix.kept``)."""
    check_keepable(stix_type, place)
    markings: dict[str, Any] = {}
    tlp = strictest_tlp(obj, place)
    if tlp is not None:
        markings["tlp"] = tlp.value
    for name in _MARKING_FIELDS:
        if envelope is not None and name in envelope:
            markings[name] = envelope[name]
        paths[f"markings.{name}"] = place.ext(RECORD, name)
    paths.update({"markings.tlp": place.at("object_marking_refs"),
                  "details.content": place.path or "object", "id": place.at("id"),
                  "created_at": place.at("created"), "modified_at": place.at("modified")})
    data: dict[str, Any] = {
        "id": f"{stix_type}--{uid}",
        "owner_agency": default_owner,
        "markings": markings,
        "details": {"stix_type": stix_type, "content": content_of(obj, RECORD.id)},
    }
    for name, key in (("created_at", "created"), ("modified_at", "modified")):
        if key not in obj and stix_type not in OBSERVABLE_TYPES:
            raise InvalidStix(f"{key} is required: every STIX domain object has it",
                              field=place.at(key))
        if key in obj:
            data[name] = check_timestamp(obj[key], place.at(key))
    if envelope is not None:
        data.update({name: envelope[name] for name in _ENVELOPE_FIELDS if name in envelope})
        paths.update({name: place.ext(RECORD, name) for name in _ENVELOPE_FIELDS})
    return data


def _red_for_owner(data: dict[str, Any]) -> dict[str, Any]:
    """TLP:RED from another producer, which names no recipients (other tools do not): the
    agency that holds the record is its one recipient, as the label means ("for the eyes of
    the recipients only"), and nobody else is let in by default. Passerelle's own objects name
    their recipients; a RED one without them was altered, and is refused."""
    markings = data["markings"]
    if markings.get("tlp") == "RED" and not markings.get("recipients"):
        markings["recipients"] = [f"agency:{data['owner_agency']}"]
    return data


def _type_and_uuid(obj: dict[str, Any], place: Place) -> tuple[str, str]:
    stix_type = obj.get("type")
    if not isinstance(stix_type, str) or not stix_type:
        raise InvalidStix("every STIX object needs a type", field=place.at("type"))
    if "id" not in obj:
        raise InvalidStix("every STIX object needs an id", field=place.at("id"))
    id_type, uid = split_stix_id(obj["id"], place.at("id"))
    if id_type != stix_type:
        raise InvalidStix(f"the id of a {stix_type} must start with {stix_type}--",
                          field=place.at("id"))
    return stix_type, uid


def _extensions(obj: dict[str, Any], place: Place) -> dict[str, dict[str, Any]]:
    """Passerelle's extensions on ``obj``, checked against their schemas' property names.

    An unknown property is refused, not skipped: it would come from a newer version of the
    extension, and what it says may restrict use of the record. A missing required property is
    refused, not defaulted: a stripped ``handling_code`` must not read back as H0, nor a stripped
    document ``status`` as valid.
    """
    raw = obj.get("extensions", {})
    if not isinstance(raw, dict):
        raise InvalidStix("must be an object", field=place.at("extensions"))
    found: dict[str, dict[str, Any]] = {}
    for extension in EXTENSIONS:
        if extension.key == obj.get("type"):  # a new object type of Passerelle's
            _check_names(obj, extension, extension.properties(), place.at)
            if extension.id not in raw:
                raise InvalidStix("is required", field=place.at(f"extensions.{extension.id}"))
        if extension.id not in raw:
            continue
        data = raw[extension.id]
        if not isinstance(data, dict):
            raise InvalidStix("must be an object", field=place.at(f"extensions.{extension.id}"))
        if data.get("extension_type") != extension.extension_type:
            raise InvalidStix(f"must be {extension.extension_type!r}",
                              field=place.ext(extension, "extension_type"))
        if extension.extension_type == "property-extension":
            _check_names(data, extension, extension.properties(), partial(place.ext, extension))
        else:
            _check_names(data, extension, frozenset({"extension_type"}),
                         partial(place.ext, extension), required=False)
        found[extension.id] = data
    return found


def _check_names(
    data: dict[str, Any],
    extension: Extension,
    allowed: frozenset[str],
    field: Callable[[str], str],
    *,
    required: bool = True,
) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise InvalidStix(f"not a property of {extension.name} {extension.version}",
                          field=field(unknown[0]))
    missing = [name for name in extension.required() if name not in data] if required else []
    if missing:
        raise InvalidStix(f"is required by {extension.name} {extension.version}: "
                          f"{extension.property_description(missing[0])}",
                          field=field(missing[0]))


def _kind(
    obj: dict[str, Any], stix_type: str, envelope: dict[str, Any] | None, place: Place
) -> RecordKind:
    implied = _identity_kind(obj, place) if stix_type == "identity" else \
        KINDS_OF_TYPE[stix_type][0]
    if envelope is not None:
        declared = _enum(RecordKind, envelope.get("kind"), place.ext(RECORD, "kind"))
        if declared is not implied:
            raise InvalidStix(f"a {stix_type} read as {implied.value} cannot be a "
                              f"{declared.value} record", field=place.ext(RECORD, "kind"))
    return implied


def _identity_kind(obj: dict[str, Any], place: Place) -> RecordKind:
    identity_class = obj.get("identity_class")
    kind = IDENTITY_KINDS.get(identity_class) if isinstance(identity_class, str) else None
    if kind is None:
        raise InvalidStix(f"identity_class {identity_class!r}: Passerelle keeps records on "
                          "individuals and organizations (or groups) only",
                          field=place.at("identity_class"))
    return kind


def _enum(kind: type[E], value: object, field: str) -> E:
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(str(m.value) for m in kind)
        raise InvalidStix(f"{value!r} is not one of {choices}", field=field) from None


def _markings(
    obj: dict[str, Any], envelope: dict[str, Any] | None, place: Place, paths: dict[str, str]
) -> dict[str, Any]:
    """The canonical markings: TLP from the standard marking-definitions, the rest from
    Passerelle's extension (the domain's defaults for other producers' objects)."""
    if "granular_markings" in obj:
        raise InvalidStix("granular markings are not supported: Passerelle marks whole records, "
                          "and dropping a partial restriction is not an option",
                          field=place.at("granular_markings"))
    refs_field = place.at("object_marking_refs")
    refs = obj.get("object_marking_refs", [])
    if not isinstance(refs, list):
        raise InvalidStix("must be a list of marking-definition ids", field=refs_field)
    data: dict[str, Any] = {}
    tlp = tlp_of_marking_refs(refs, refs_field, others=True)
    if tlp is not None:
        data["tlp"] = tlp.value
    paths["markings.tlp"] = refs_field
    paths["markings"] = refs_field
    for name in _MARKING_FIELDS:
        paths[f"markings.{name}"] = place.ext(RECORD, name) if envelope else refs_field
        if envelope is not None and name in envelope:
            data[name] = envelope[name]
    return data


def _check_creator(obj: dict[str, Any], owner: object, envelope: dict[str, Any],
                   place: Place) -> None:
    """The owner named in the extension and the identity in ``created_by_ref`` must agree: a
    mismatch means the object was altered or forged, and ownership decides who may see it.
    An object first produced elsewhere names its producer in both ``created_by_ref`` and the
    extension's ``producer_ref``."""
    creator = obj.get("created_by_ref")
    if creator is not None and creator == envelope.get("producer_ref"):
        return
    if isinstance(owner, str) and creator is not None and creator != agency_identity_id(owner):
        raise InvalidStix(f"is not the identity of the owner agency {owner!r}",
                          field=place.at("created_by_ref"))


def _remap(field: str | None, paths: dict[str, str], place: Place) -> str:
    """Translate a field of the canonical form into the STIX property it came from."""
    if field:
        for key in sorted(paths, key=len, reverse=True):
            if field == key or field.startswith((f"{key}[", f"{key}.")):
                return paths[key] + field[len(key):]
        return place.at(field)
    return place.path or "object"

