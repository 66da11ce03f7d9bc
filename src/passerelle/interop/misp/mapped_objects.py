"""MISP objects whose attributes Passerelle maps to a record's details (a person, a passport),
and objects Passerelle writes from its own records.

A template names the object relations that are mapped: each reads an attribute's value into a
piece of the details (None: the value does not map, and the attribute is kept as it is) and
writes it back. The object's attributes are kept in the record's extras, in order, with their
uuids, categories, tags and timestamps; a mapped attribute keeps its value only when writing
the piece back would not give the same text. On export, a mapped attribute takes its value
from the record's current details, so that an edit made in Passerelle is what MISP receives.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from passerelle.domain.records import Record
from passerelle.errors import InvalidMisp
from passerelle.interop.misp.attributes import checked_attribute
from passerelle.interop.misp.extras import (
    ABSENT,
    BOOKKEEPING,
    MAPPED,
    OBJECT_LOCAL,
    clean_attribute,
    misp_extras,
    without,
)
from passerelle.interop.misp.identifiers import derived_uuid
from passerelle.interop.misp.scope import EventScope, check_seen
from passerelle.interop.misp.tags import TagReading, read_tags, reconcile
from passerelle.interop.misp.timestamps import read_timestamp, write_timestamp


@dataclass(frozen=True, slots=True)
class Relation:
    """An object relation mapped to a field of the details."""

    name: str
    field: str
    misp_type: str
    category: str
    read: Callable[[str, str], Any]
    write: Callable[[Any], str]
    multiple: bool = False


@dataclass(frozen=True, slots=True)
class Template:
    """The object Passerelle reads or writes for one kind of record."""

    name: str
    meta_category: str
    description: str
    relations: tuple[Relation, ...]
    template_uuid: str | None = None
    template_version: str | None = None

    def relation(self, name: object) -> Relation | None:
        """The mapped relation called ``name``, if any."""
        return next((r for r in self.relations if r.name == name), None)

    def header(self) -> dict[str, Any]:
        """The object-level properties of an object Passerelle writes anew."""
        out: dict[str, Any] = {"name": self.name, "meta-category": self.meta_category,
                               "description": self.description}
        if self.template_uuid:
            out.update(template_uuid=self.template_uuid,
                       template_version=self.template_version)
        return {**out, "distribution": "5", "comment": ""}


@dataclass(slots=True)
class ObjectReading:
    """What a mapped object's attributes say: the pieces of details, per field, in order."""

    pieces: dict[str, list[Any]] = field(default_factory=dict)
    kept: list[dict[str, Any]] = field(default_factory=list)
    mapped: list[int] = field(default_factory=list)
    tags: list[TagReading] = field(default_factory=list)

    def first(self, name: str, default: Any = None) -> Any:
        """The piece of a single-valued field."""
        values = self.pieces.get(name)
        return values[0] if values else default

    def all(self, name: str) -> tuple[Any, ...]:
        """The pieces of a multi-valued field."""
        return tuple(self.pieces.get(name, ()))


def object_attributes(obj: Mapping[str, Any], path: str) -> list[Any]:
    """The ``Attribute`` list of an object."""
    attributes = obj.get("Attribute", [])
    if not isinstance(attributes, list):
        raise InvalidMisp("must be a list of attributes", field=f"{path}.Attribute")
    return attributes


def check_object_attribute(raw: object, scope: EventScope, path: str) -> TagReading:
    """Check one attribute of an object (type, value, times, tags) and return its tags."""
    attribute, _, _ = checked_attribute(raw, path)
    if "timestamp" in attribute:
        read_timestamp(attribute["timestamp"], f"{path}.timestamp")
    check_seen(attribute, path)
    scope.count(attribute)
    return read_tags(attribute.get("Tag"), f"{path}.Tag")


def read_mapped(obj: Mapping[str, Any], template: Template, scope: EventScope,
                path: str) -> ObjectReading:
    """Read the attributes of a mapped object into pieces of details."""
    reading = ObjectReading()
    for index, raw in enumerate(object_attributes(obj, path)):
        at = f"{path}.Attribute[{index}]"
        reading.tags.append(check_object_attribute(raw, scope, at))
        kept = clean_attribute(raw)
        relation = template.relation(raw.get("object_relation"))
        if relation is not None and (relation.multiple or not reading.pieces.get(
                relation.field)):
            piece = relation.read(raw["value"], f"{at}.value")
            if piece is not None:
                reading.pieces.setdefault(relation.field, []).append(piece)
                reading.mapped.append(index)
                if not relation.multiple and relation.write(piece) == raw["value"]:
                    del kept["value"]
        reading.kept.append(kept)
    return reading


def kept_object(obj: Mapping[str, Any], raw_uuid: str | None,
                attributes: list[dict[str, Any]] | None, mapped: list[int],
                elsewhere: frozenset[str] = frozenset()) -> dict[str, Any]:
    """What a record keeps of its object: every property but the mapped, instance-local and
    ``elsewhere`` (held in the STIX content) ones, and the attributes when ``attributes`` is
    given."""
    kept = without(dict(obj), OBJECT_LOCAL | elsewhere | {"uuid", "timestamp", "Attribute",
                                                          "ObjectReference"})
    if raw_uuid is not None:
        kept["uuid"] = raw_uuid
    if attributes is not None and ("Attribute" in obj or attributes):
        kept["Attribute"] = attributes
    if mapped:
        kept[MAPPED] = mapped
    return kept


def write_mapped(record: Record, template: Template, pieces: Mapping[str, list[Any]], *,
                 uuid: str, inherited: dict[str, Any] | None) -> dict[str, Any]:
    """The MISP object of a record: its kept object, with the mapped attributes written from
    ``pieces`` (the record's details, per field) and new attributes for new pieces."""
    imported = misp_extras(record)
    kept = imported or {}
    remaining = {name: list(values) for name, values in pieces.items()}
    mapped = set(kept.get(MAPPED, []))
    attributes: list[dict[str, Any]] = []
    for index, attribute in enumerate(kept.get("Attribute", [])):
        relation = template.relation(attribute.get("object_relation"))
        if index not in mapped or relation is None:
            attributes.append(attribute)
            continue
        written = _written(attribute, relation, remaining.get(relation.field, []))
        if written is not None:
            attributes.append(written)
    written_fields: set[str] = set()
    for relation in template.relations:
        if relation.field not in written_fields:
            written_fields.add(relation.field)
            attributes.extend(_new(relation, relation.write(piece), record)
                              for piece in remaining.get(relation.field, []))
    for attribute in attributes:
        tags = reconcile(attribute.get("Tag", []), record.markings, inherited,
                         indicator=False)
        if tags or "Tag" in attribute:
            attribute["Tag"] = tags
    header = template.header() if imported is None else without(kept, BOOKKEEPING | {
        "Attribute"})
    out = {**header, "uuid": uuid, "timestamp": write_timestamp(record.modified_at),
           "Attribute": attributes}
    return {key: value for key, value in out.items() if key not in kept.get(ABSENT, ())}


def _written(attribute: dict[str, Any], relation: Relation, remaining: list[Any]
             ) -> dict[str, Any] | None:
    """A kept mapped attribute as the current details say it, or None if they dropped it."""
    if relation.multiple:
        piece = relation.read(attribute["value"], "value")
        if piece not in remaining:
            return None
        remaining.remove(piece)
        return dict(attribute)
    if not remaining:
        return None
    piece = remaining.pop(0)
    if "value" in attribute and relation.read(attribute["value"], "value") == piece:
        return dict(attribute)
    return {**attribute, "value": relation.write(piece)}


def _new(relation: Relation, value: str, record: Record) -> dict[str, Any]:
    return {"object_relation": relation.name, "type": relation.misp_type,
            "category": relation.category, "value": value, "to_ids": False,
            "uuid": derived_uuid(f"{record.id}/{relation.name}/{value}"),
            "timestamp": write_timestamp(record.modified_at), "distribution": "5",
            "comment": "", "disable_correlation": False}
