"""The details of each kind of record, read from the STIX properties that carry them.

Each reader returns the details in the codec's canonical form, unchecked, and for each field
the STIX path it came from; the codec and the domain then check them all, once, as they check
any other input. Readers check only what is STIX's own business: timestamp syntax, pattern
type and grammar, references.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from passerelle.domain.records import RESERVED_TYPES, RecordKind
from passerelle.errors import InvalidStix
from passerelle.interop.stix.extensions import (
    EMPTY_REPORT_REF,
    ORGANISATION,
    PERSON,
    RECORD,
    Extension,
)
from passerelle.interop.stix.identifiers import KINDS_OF_TYPE, check_timestamp, split_stix_id
from passerelle.interop.stix.patterns import check_pattern
from passerelle.interop.stix.place import Place

StixObject = dict[str, Any]


class Refs:
    """Turns the STIX references of one object into record ids, in order.

    An ``identity`` may be a person or an organisation. Passerelle's objects list the record ids
    of their references in ``record_refs`` (same UUIDs, with the kind); other producers' objects
    rely on ``kinds``, what the rest of their bundle says about those ids.
    """

    def __init__(self, declared: object, kinds: Mapping[str, RecordKind], place: Place) -> None:
        self._field = place.ext(RECORD, "record_refs")
        if declared is not None and not isinstance(declared, list):
            raise InvalidStix("must be a list of record ids", field=self._field)
        self._declared: list[Any] | None = declared
        self._kinds = kinds
        self._used = 0

    def resolve(self, value: object, field: str, prefer: RecordKind | None = None) -> str:
        """The record id of the STIX id ``value`` (found at ``field``)."""
        stix_type, uid = split_stix_id(value, field)
        options = KINDS_OF_TYPE.get(stix_type, ())
        if not options or stix_type == "identity":
            options = (*options, RecordKind.OBJECT)  # kept as received (interop.stix.kept)
        if self._declared is not None:
            return self._declared_ref(self._declared, stix_type, uid, options)
        kind = self._kinds.get(f"{stix_type}--{uid}")
        if kind is None and options == (RecordKind.OBJECT,):
            kind = RecordKind.OBJECT
        if kind is RecordKind.OBJECT:
            if stix_type in RESERVED_TYPES:
                raise InvalidStix(f"type {stix_type!r} is reserved by Passerelle's record "
                                  "kinds", field=field)
            return f"{stix_type}--{uid}"
        if kind is None and len(options) == 1:
            kind = options[0]
        if kind is None and prefer in options:
            kind = prefer
        if kind is None:
            raise InvalidStix(f"cannot tell whether {value} is a person or an organisation; "
                              "send the identity in the same bundle", field=field)
        return f"{kind.value}--{uid}"

    def _declared_ref(self, declared_refs: list[Any], stix_type: str, uid: str,
                      options: tuple[RecordKind, ...]) -> str:
        index, self._used = self._used, self._used + 1
        if index >= len(declared_refs):
            raise InvalidStix("lists fewer records than the object refers to", field=self._field)
        declared = declared_refs[index]
        kind, _, declared_uid = declared.partition("--") if isinstance(declared, str) \
            else ("", "", "")
        if kind == stix_type and RecordKind.OBJECT in options \
                and stix_type not in RESERVED_TYPES:
            kind = RecordKind.OBJECT.value  # a kept object's record id is its STIX id
        if declared_uid != uid or kind not in {o.value for o in options}:
            raise InvalidStix(f"{declared!r} does not name the STIX reference it stands for",
                              field=f"{self._field}[{index}]")
        return str(declared)

    def finish(self) -> None:
        """Refuse record ids left over: they would name references the object does not have."""
        if self._declared is not None and self._used != len(self._declared):
            raise InvalidStix("lists more records than the object refers to", field=self._field)


class _Details:
    """Canonical details under construction, with where each field came from."""

    def __init__(self) -> None:
        self.values: dict[str, object] = {}
        self.paths: dict[str, str] = {}

    def take(self, name: str, source: Mapping[str, Any], key: str, path: str) -> None:
        self.paths[name] = path
        if key in source:
            self.values[name] = source[key]

    def put(self, name: str, value: object, path: str) -> None:
        self.paths[name] = path
        self.values[name] = value

    def result(self) -> Parsed:
        return self.values, self.paths


Parsed = tuple[dict[str, object], dict[str, str]]
Reader = Callable[[StixObject, Mapping[str, StixObject], Place, Refs], Parsed]


def _from_extension(
    d: _Details, extensions: Mapping[str, StixObject], extension: Extension, names: tuple[str, ...],
    place: Place,
) -> None:
    data = extensions.get(extension.id, {})
    for name in names:
        d.take(name, data, name, place.ext(extension, name))


def _top_level(d: _Details, obj: StixObject, names: tuple[str, ...], place: Place) -> None:
    for name in names:
        d.take(name, obj, name, place.at(name))


def _timestamp(d: _Details, name: str, obj: StixObject, key: str, place: Place) -> None:
    if key in obj:
        d.put(name, check_timestamp(obj[key], place.at(key)), place.at(key))
    else:
        d.paths[name] = place.at(key)


def _reference(d: _Details, name: str, obj: StixObject, key: str, place: Place,
               refs: Refs) -> None:
    """One reference that may name a person: an ``identity`` another producer sends without
    saying what it is reads as a person (a document's holder, an alert's subject), never as an
    organisation, which neither may be."""
    if key in obj:
        d.put(name, refs.resolve(obj[key], place.at(key), RecordKind.PERSON), place.at(key))
    else:
        d.paths[name] = place.at(key)


def _ref_list(obj: StixObject, key: str, place: Place) -> list[Any]:
    value = obj.get(key, [])
    if not isinstance(value, list):
        raise InvalidStix("must be a list of STIX ids", field=place.at(key))
    return value


def _person(obj: StixObject, ext: Mapping[str, StixObject], place: Place, refs: Refs) -> Parsed:
    if "subject_category" not in ext.get(PERSON.id, {}):
        raise InvalidStix("every person record carries its data-subject category (LED Art. 6) "
                          "in Passerelle's person extension",
                          field=place.ext(PERSON, "subject_category"))
    d = _Details()
    _from_extension(d, ext, PERSON, (
        "subject_category", "given_names", "family_name", "names_original_script", "aliases",
        "date_of_birth", "place_of_birth", "nationalities", "sex"), place)
    return d.result()


def _organisation(obj: StixObject, ext: Mapping[str, StixObject], place: Place,
                  refs: Refs) -> Parsed:
    d = _Details()
    _top_level(d, obj, ("name", "description"), place)
    _from_extension(d, ext, ORGANISATION, ("aliases", "country"), place)
    return d.result()


def _document(obj: StixObject, ext: Mapping[str, StixObject], place: Place, refs: Refs) -> Parsed:
    d = _Details()
    _top_level(d, obj, ("document_type", "number", "issuing_country", "status", "expiry_date"),
               place)
    _reference(d, "holder", obj, "holder_ref", place, refs)
    return d.result()


def _event(obj: StixObject, ext: Mapping[str, StixObject], place: Place, refs: Refs) -> Parsed:
    d = _Details()
    _top_level(d, obj, ("event_type", "place", "country", "description"), place)
    _timestamp(d, "occurred_at", obj, "occurred_at", place)
    _timestamp(d, "ended_at", obj, "ended_at", place)
    participants = [refs.resolve(ref, place.at(f"participant_refs[{i}]"))
                    for i, ref in enumerate(_ref_list(obj, "participant_refs", place))]
    d.put("participants", participants, place.at("participant_refs"))
    return d.result()


def _report(obj: StixObject, ext: Mapping[str, StixObject], place: Place, refs: Refs) -> Parsed:
    d = _Details()
    d.take("title", obj, "name", place.at("name"))
    d.put("text", obj.get("description", ""), place.at("description"))  # omitted when empty
    _timestamp(d, "published", obj, "published", place)
    object_refs = _ref_list(obj, "object_refs", place)
    if not object_refs:
        raise InvalidStix("a report must refer to at least one object",
                          field=place.at("object_refs"))
    references = [refs.resolve(ref, place.at(f"object_refs[{i}]"))
                  for i, ref in enumerate(object_refs) if ref != EMPTY_REPORT_REF]
    d.put("references", references, place.at("object_refs"))
    return d.result()


def _indicator(obj: StixObject, ext: Mapping[str, StixObject], place: Place, refs: Refs) -> Parsed:
    d = _Details()
    _top_level(d, obj, ("name", "description", "indicator_types", "pattern", "pattern_type"),
               place)
    if "pattern_type" not in obj:
        raise InvalidStix("is required", field=place.at("pattern_type"))
    if obj["pattern_type"] == "stix" and isinstance(obj.get("pattern"), str):
        check_pattern(obj["pattern"], place.at("pattern"))
    _timestamp(d, "valid_from", obj, "valid_from", place)
    _timestamp(d, "valid_until", obj, "valid_until", place)
    return d.result()


def _relationship(obj: StixObject, ext: Mapping[str, StixObject], place: Place,
                  refs: Refs) -> Parsed:
    d = _Details()
    _top_level(d, obj, ("relationship_type", "description"), place)
    for name, key in (("source", "source_ref"), ("target", "target_ref")):
        if key not in obj:
            raise InvalidStix("is required", field=place.at(key))
        d.put(name, refs.resolve(obj[key], place.at(key)), place.at(key))
    return d.result()


def _alert(obj: StixObject, ext: Mapping[str, StixObject], place: Place, refs: Refs) -> Parsed:
    d = _Details()
    _top_level(d, obj, ("category", "urgency", "status", "grounds"), place)
    d.take("action", obj, "action_to_be_taken", place.at("action_to_be_taken"))
    _timestamp(d, "valid_from", obj, "valid_from", place)
    _timestamp(d, "valid_until", obj, "valid_until", place)
    _reference(d, "subject", obj, "subject_ref", place, refs)
    return d.result()


DETAIL_READERS: dict[RecordKind, Reader] = {
    RecordKind.PERSON: _person,
    RecordKind.ORGANISATION: _organisation,
    RecordKind.DOCUMENT: _document,
    RecordKind.EVENT: _event,
    RecordKind.REPORT: _report,
    RecordKind.INDICATOR: _indicator,
    RecordKind.RELATIONSHIP: _relationship,
    RecordKind.ALERT: _alert,
}
