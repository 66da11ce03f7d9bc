"""Partners' bundles, read object by object so that one bad object does not sink the rest.

A bulk import reports per object: what became a record, what only describes the others
(marking-definitions, extension-definitions, Passerelle's and the agencies' identities) and what
was refused, with the field at fault. Problems of the bundle as a whole (not JSON, not a bundle,
STIX 2.0) refuse the whole bundle: there is nothing to report per object.
Nothing is stored here; the caller's service decides, in one transaction, what to keep.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import orjson

from passerelle.domain.markings import HandlingCode
from passerelle.domain.records import Record, RecordKind
from passerelle.errors import InvalidStix
from passerelle.interop.stix.extensions import EXTENSION_BY_ID, RECORD, is_passerelle_identity
from passerelle.interop.stix.identifiers import split_stix_id
from passerelle.interop.stix.kept import OBSERVABLE_TYPES, check_keepable, kept_kind
from passerelle.interop.stix.place import Place
from passerelle.interop.stix.reader import IDENTITY_KINDS, stix_to_record
from passerelle.interop.stix.tlp import TLP_OF_MARKING


@dataclass(frozen=True, slots=True)
class ImportedObject:
    """What became of one object of a bundle: a record, an error, or neither (context)."""

    index: int
    stix_id: str | None
    record: Record | None = None
    error: InvalidStix | None = None

    @property
    def is_context(self) -> bool:
        """True for objects that describe records (markings, extensions, producers)."""
        return self.record is None and self.error is None


def read_bundle(data: bytes | str | Mapping[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """The objects of a STIX 2.1 bundle with their index, after checking the bundle itself.

    Raises ``InvalidStix`` when the input is not JSON, not a bundle, a STIX 2.0 bundle, or
    holds something other than objects in ``objects``. Objects are not checked here: see
    ``check_object``.
    """
    document = _parse(data) if isinstance(data, bytes | str) else data
    if not isinstance(document, Mapping):
        raise InvalidStix("a STIX bundle is a JSON object", field="bundle")
    if document.get("type") not in ("bundle", None) and "id" in document:
        split_stix_id(document["id"], "id")
        return [(0, dict(document))]  # one object on its own, read as a bundle of one
    if document.get("type") != "bundle":
        raise InvalidStix(f"type {document.get('type')!r}: expected a bundle", field="type")
    if split_stix_id(document.get("id"), "id")[0] != "bundle":
        raise InvalidStix("a bundle id starts with bundle--", field="id")
    if document.get("spec_version", "2.1") != "2.1":
        raise InvalidStix(f"spec_version {document['spec_version']!r}: Passerelle reads STIX 2.1",
                          field="spec_version")
    objects = document.get("objects", [])
    if not isinstance(objects, list):
        raise InvalidStix("must be a list of STIX objects", field="objects")
    for index, obj in enumerate(objects):
        if not isinstance(obj, dict):
            raise InvalidStix("a STIX object is a JSON object", field=f"objects[{index}]")
    return list(enumerate(objects))


def _parse(data: bytes | str) -> object:
    try:
        return orjson.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidStix(f"not JSON: {error}", field="bundle") from None


def known_markings(objects: Iterable[Mapping[str, Any]]) -> frozenset[str]:
    """Marking ids an object of the bundle may use: TLP (2.0, and 1.0 read as 2.0) and the
    marking-definitions the bundle defines."""
    defined = {o.get("id") for o in objects if o.get("type") == "marking-definition"}
    return frozenset(TLP_OF_MARKING) | {d for d in defined if isinstance(d, str)}


def check_object(obj: Mapping[str, Any], *, path: str, markings: frozenset[str]) -> None:
    """Check what every object must have before it is mapped: a type and an id that agree,
    STIX 2.1, markings that are defined, and a type Passerelle models.

    Unknown markings are refused even on objects of types Passerelle does not model yet:
    a marking that cannot be honoured must stop the object, whatever happens to it later.
    """
    place = Place(path)
    stix_type = obj.get("type")
    if not isinstance(stix_type, str) or not stix_type:
        raise InvalidStix("every STIX object needs a type", field=place.at("type"))
    if "id" not in obj:
        raise InvalidStix("every STIX object needs an id", field=place.at("id"))
    if split_stix_id(obj["id"], place.at("id"))[0] != stix_type:
        raise InvalidStix(f"the id of a {stix_type} must start with {stix_type}--",
                          field=place.at("id"))
    version = obj.get("spec_version", "2.1" if stix_type in OBSERVABLE_TYPES else None)
    if version != "2.1":
        raise InvalidStix(f"spec_version {version!r}: Passerelle reads STIX 2.1",
                          field=place.at("spec_version"))
    _check_markings(obj, place, markings)
    check_keepable(stix_type, place)


def _check_markings(obj: Mapping[str, Any], place: Place, markings: frozenset[str]) -> None:
    refs = obj.get("object_marking_refs", [])
    fields = [(ref, place.at(f"object_marking_refs[{i}]"))
              for i, ref in enumerate(refs if isinstance(refs, list) else [refs])]
    granular = obj.get("granular_markings", [])
    for i, marking in enumerate(granular if isinstance(granular, list) else [granular]):
        ref = marking.get("marking_ref") if isinstance(marking, dict) else marking
        fields.append((ref, place.at(f"granular_markings[{i}].marking_ref")))
    for ref, field in fields:
        if ref not in markings:
            raise InvalidStix(f"unknown marking {ref!r}: neither TLP nor defined in the bundle",
                              field=field)


def is_context(obj: Mapping[str, Any]) -> bool:
    """True for objects that describe records rather than being records, and that Passerelle
    writes itself into every bundle: the TLP marking-definitions, its extension-definitions,
    its identity and the agencies'. Other producers' marking-definitions (a statement, their
    own marking) and extension-definitions are kept as received, to go out with the objects
    that use them."""
    stix_type = obj.get("type")
    if stix_type == "marking-definition":
        return obj.get("id") in TLP_OF_MARKING
    if stix_type == "extension-definition":
        return obj.get("id") in EXTENSION_BY_ID
    return is_passerelle_identity(dict(obj))


def identity_kinds(objects: Iterable[Mapping[str, Any]]) -> dict[str, RecordKind]:
    """For each identity of the bundle, whether it is a person or an organisation record, so
    that other producers' relationships and reports can refer to them."""
    kinds: dict[str, RecordKind] = {}
    for obj in objects:
        if obj.get("type") != "identity" or is_context(obj):
            continue
        try:
            stix_type, uid = split_stix_id(obj.get("id"), "id")
        except InvalidStix:
            continue
        kind = _declared_kind(obj) or (
            RecordKind.OBJECT if kept_kind(dict(obj))
            else IDENTITY_KINDS.get(str(obj.get("identity_class"))))
        if kind is not None:
            kinds[f"{stix_type}--{uid}"] = kind
    return kinds


def _declared_kind(obj: Mapping[str, Any]) -> RecordKind | None:
    extensions = obj.get("extensions")
    envelope = extensions.get(RECORD.id) if isinstance(extensions, dict) else None
    declared = envelope.get("kind") if isinstance(envelope, dict) else None
    return next((k for k in RecordKind if k.value == declared), None)


def import_bundle(
    data: bytes | str | Mapping[str, Any], *, default_owner: str
) -> list[ImportedObject]:
    """Read every object of a bundle: a record, a context object, or an error naming the field.

    ``default_owner`` owns the records of other producers (Passerelle's objects name their
    owner). Bundle-level problems raise ``InvalidStix`` (see ``read_bundle``).
    """
    reader = BundleReader(read_bundle(data), default_owner)
    return reader.read(0, len(reader))


class ObjectReader:
    """Reads objects one at a time, knowing what their bundle defines: the markings it may
    use and the kind of each identity (see ``BundleReader`` for unknown markings)."""

    def __init__(self, markings: frozenset[str], kinds: Mapping[str, RecordKind],
                 default_owner: str, *, restrict_unknown: bool = False) -> None:
        self._markings = markings
        self._kinds = kinds
        self._owner = default_owner
        self._restrict = restrict_unknown

    def read_one(self, index: int, obj: dict[str, Any]) -> ImportedObject:
        """The object at ``index`` of its bundle: a record, context, or an error."""
        path = f"objects[{index}]"
        stix_id = obj.get("id") if isinstance(obj.get("id"), str) else None
        try:
            unknown = unknown_markings(obj, self._markings) if self._restrict else frozenset()
            check_object(obj, path=path, markings=self._markings | unknown)
            if is_context(obj):
                return ImportedObject(index, stix_id)
            record = stix_to_record(obj, default_owner=self._owner, path=path,
                                    kinds=self._kinds)
            if unknown:
                record = restricted(record)
            return ImportedObject(index, stix_id, record=record)
        except InvalidStix as error:
            return ImportedObject(index, stix_id, error=error)


class BundleReader:
    """The objects of one bundle, read range by range (what a parallel reader hands out).

    A marking that is neither TLP nor defined in the bundle cannot be honoured: the object is
    refused, naming the reference. With ``restrict_unknown=True`` (an operator's explicit choice)
    it is kept instead, the reference travelling with it unchanged, and the record is held at
    handling code H2 at least: not passed on without its provider's permission.
    """

    def __init__(self, entries: list[tuple[int, dict[str, Any]]], default_owner: str,
                 *, restrict_unknown: bool = False) -> None:
        objects = [obj for _, obj in entries]
        self._entries = entries
        self._reader = ObjectReader(known_markings(objects), identity_kinds(objects),
                                    default_owner, restrict_unknown=restrict_unknown)

    def __len__(self) -> int:
        return len(self._entries)

    def read(self, start: int, end: int) -> list[ImportedObject]:
        """The objects at positions ``start`` to ``end`` (exclusive)."""
        return [self._reader.read_one(index, obj) for index, obj in self._entries[start:end]]


def unknown_markings(obj: Mapping[str, Any], known: frozenset[str]) -> frozenset[str]:
    """The marking refs of ``obj`` (object-level and granular) that ``known`` does not hold."""
    refs = obj.get("object_marking_refs", [])
    found = [ref for ref in refs if isinstance(ref, str)] if isinstance(refs, list) else []
    granular = obj.get("granular_markings", [])
    if isinstance(granular, list):
        found += [g["marking_ref"] for g in granular
                  if isinstance(g, dict) and isinstance(g.get("marking_ref"), str)]
    return frozenset(found) - known


def restricted(record: Record) -> Record:
    """``record`` held at handling code H2 at least (see ``BundleReader``)."""
    if record.markings.handling_code in (HandlingCode.H2, HandlingCode.H3):
        return record
    return replace(record, markings=replace(record.markings, handling_code=HandlingCode.H2))
