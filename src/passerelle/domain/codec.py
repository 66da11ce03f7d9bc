"""The canonical plain-data form of a record (JSON-ready dicts), and its strict reader.

This one form is stored as the body of every version, carried in Passerelle's STIX
extensions and accepted by the API, so that a record reads back exactly as it was written.
The reader names the offending field with a dotted path (``details.date_of_birth``,
``markings.tlp``) and never returns a half-read record.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import types
import typing
from collections.abc import Callable
from enum import Enum
from typing import Any

from passerelle.domain.dates import PartialDate, parse_timestamp
from passerelle.domain.markings import Markings, parse_enum
from passerelle.domain.records import (
    Alert,
    Document,
    Event,
    Indicator,
    Organisation,
    Person,
    Record,
    RecordKind,
    Relationship,
    Report,
    StixObject,
    check_record_id,
)
from passerelle.errors import InvalidDate, InvalidMarking, ValidationFailed

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")

DETAILS_CLASS: dict[RecordKind, type[Any]] = {
    RecordKind.PERSON: Person,
    RecordKind.DOCUMENT: Document,
    RecordKind.ORGANISATION: Organisation,
    RecordKind.EVENT: Event,
    RecordKind.REPORT: Report,
    RecordKind.INDICATOR: Indicator,
    RecordKind.RELATIONSHIP: Relationship,
    RecordKind.ALERT: Alert,
    RecordKind.OBJECT: StixObject,
}


def _dump(value: object) -> object:
    if value is None or type(value) in (str, int, bool):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, PartialDate):
        return value.isoformat()
    if isinstance(value, dt.datetime):
        return _utc_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, frozenset):
        return sorted(_dump(v) for v in value)  # type: ignore[type-var]
    if isinstance(value, tuple):
        return [_dump(v) for v in value]
    return value


def _utc_text(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _dumper(kind: Any) -> Callable[[Any], object] | None:
    """How to write one annotated type, chosen once; None when the value is written as is."""
    origin = typing.get_origin(kind)
    if origin in (types.UnionType, typing.Union):
        inner = _dumper(next(a for a in typing.get_args(kind) if a is not type(None)))
        return None if inner is None else (lambda v: None if v is None else inner(v))
    if origin is tuple:
        return list if typing.get_args(kind)[0] is str else (lambda v: [_dump(x) for x in v])
    if origin is frozenset:
        return sorted if typing.get_args(kind)[0] is str else (
            lambda v: sorted(_dump(x) for x in v))  # type: ignore[type-var]
    if isinstance(kind, type) and issubclass(kind, Enum):
        return lambda v: v._value_  # the plain attribute: Enum.value is a slow descriptor
    if kind is dt.datetime:
        return _utc_text
    if kind in (dt.date, PartialDate):
        return lambda v: v.isoformat()
    return None


_DUMPERS: dict[type[Any], tuple[tuple[str, Callable[[Any], object] | None], ...]] = {}


def dataclass_to_dict(obj: object) -> dict[str, Any]:
    """Plain data for one of the domain's frozen dataclasses."""
    cls = type(obj)
    plan = _DUMPERS.get(cls)
    if plan is None:
        hints = typing.get_type_hints(cls)
        plan = _DUMPERS[cls] = tuple(
            (f.name, _dumper(hints[f.name])) for f in dataclasses.fields(obj))  # type: ignore[arg-type]
    return {name: getattr(obj, name) if dump is None else dump(getattr(obj, name))
            for name, dump in plan}


def markings_to_dict(markings: Markings) -> dict[str, Any]:
    """Plain data for a record's markings."""
    return dataclass_to_dict(markings)


def record_to_dict(record: Record) -> dict[str, Any]:
    """The canonical form of one version of a record."""
    return {
        "id": record.id,
        "kind": record.kind._value_,
        "version": record.version,
        "owner_agency": record.owner_agency,
        "created_at": _utc_text(record.created_at),
        "modified_at": _utc_text(record.modified_at),
        "created_by": record.created_by,
        "modified_by": record.modified_by,
        "markings": markings_to_dict(record.markings),
        "details": dataclass_to_dict(record.details),
        **({"extras": record.extras} if record.extras else {}),
    }


Reader = Callable[[object], object]


def _text(value: object) -> object:
    if not isinstance(value, str):
        raise ValidationFailed("must be a string")
    if _CONTROL.search(value):
        raise ValidationFailed("control characters are not allowed")
    return value


def _boolean(value: object) -> object:
    if not isinstance(value, bool):
        raise ValidationFailed("must be true or false")
    return value


def _integer(value: object) -> object:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValidationFailed("must be an integer")
    return value


def _partial_date(value: object) -> object:
    if not isinstance(value, str):
        raise InvalidDate("must be YYYY, YYYY-MM or YYYY-MM-DD")
    return PartialDate.parse(value, "")


def _timestamp(value: object) -> object:
    if not isinstance(value, str):
        raise InvalidDate("must be an ISO 8601 timestamp")
    return parse_timestamp(value, "")


def _date(value: object) -> object:
    if not isinstance(value, str):
        raise InvalidDate("must be an ISO 8601 date")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidDate(f"{value!r} is not a date YYYY-MM-DD") from None


_SCALARS: dict[Any, Reader] = {str: _text, bool: _boolean, int: _integer,
                               PartialDate: _partial_date, dt.datetime: _timestamp,
                               dt.date: _date}


def _enum_reader(kind: type[Enum]) -> Reader:
    if kind.__module__ == parse_enum.__module__:
        return lambda value: parse_enum(kind, value, "")  # a marking: InvalidMarking

    def read(value: object) -> object:
        try:
            return parse_enum(kind, value, "")
        except InvalidMarking as error:  # a choice of the details, not a marking
            raise ValidationFailed(error.detail) from None
    return read


def _optional(inner: Reader) -> Reader:
    return lambda value: None if value is None else inner(value)


def _collection(item: Reader, make: Callable[[list[object]], object]) -> Reader:
    def read(value: object) -> object:
        if not isinstance(value, list | tuple):
            raise ValidationFailed("must be a list")
        if len(value) > 1000:
            raise ValidationFailed("at most 1000 items")
        items = []
        for index, element in enumerate(value):
            try:
                items.append(item(element))
            except ValidationFailed as error:
                raise _within(error, f"[{index}]") from None
        return make(items)
    return read


def _compile(kind: Any) -> Reader:
    """A reader for one annotated type, built once: the hot path does no type introspection."""
    origin = typing.get_origin(kind)
    if origin in (types.UnionType, typing.Union):
        return _optional(_compile(next(a for a in typing.get_args(kind) if a is not type(None))))
    if origin in (tuple, frozenset):
        return _collection(_compile(typing.get_args(kind)[0]), origin)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return _enum_reader(kind)
    if kind in _SCALARS:
        return _SCALARS[kind]
    raise TypeError(f"the codec cannot read {kind!r}")


def _within(error: ValidationFailed, prefix: str) -> ValidationFailed:
    """The same error with its field placed under ``prefix``."""
    if not error.field:
        field = prefix
    elif error.field.startswith("["):
        field = prefix + error.field
    else:
        field = f"{prefix}.{error.field}"
    return type(error)(error.detail, field=field)


@dataclasses.dataclass(frozen=True, slots=True)
class _Plan:
    """How to read one dataclass: each field's reader and whether it is required."""

    fields: tuple[tuple[str, Reader, bool], ...]
    names: frozenset[str]


_PLANS: dict[type[Any], _Plan] = {}


def _plan(cls: type[Any]) -> _Plan:
    if cls not in _PLANS:
        hints = typing.get_type_hints(cls)
        fields = tuple(
            (f.name, _compile(hints[f.name]),
             f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING)
            for f in dataclasses.fields(cls))
        _PLANS[cls] = _Plan(fields, frozenset(name for name, _, _ in fields))
    return _PLANS[cls]


def read_dataclass(cls: type[Any], data: object, path: str) -> Any:
    """Build ``cls`` from plain data, naming the first offending field under ``path``."""
    if not isinstance(data, dict):
        raise ValidationFailed("must be an object", field=path)
    plan = _plan(cls)
    if not data.keys() <= plan.names:
        unknown = sorted(set(data) - plan.names)
        raise ValidationFailed("unknown property", field=f"{path}.{unknown[0]}")
    values: dict[str, object] = {}
    for name, read, required in plan.fields:
        if name in data:
            try:
                values[name] = read(data[name])
            except ValidationFailed as error:
                raise _within(error, f"{path}.{name}") from None
        elif required:
            raise ValidationFailed("is required", field=f"{path}.{name}")
    try:
        return cls(**values)
    except ValidationFailed as error:
        raise _within(error, path) from None


def read_markings(data: object, path: str = "markings") -> Markings:
    """Markings from plain data."""
    result: Markings = read_dataclass(Markings, data, path)
    return result


def read_details(kind: RecordKind, data: object, path: str = "details") -> Any:
    """The details of a record of ``kind`` from plain data."""
    return read_dataclass(DETAILS_CLASS[kind], data, path)


def record_from_dict(data: object) -> Record:
    """Read the canonical form back into a ``Record``; inverse of ``record_to_dict``."""
    if not isinstance(data, dict):
        raise ValidationFailed("a record must be an object", field="record")
    record_id = data.get("id")
    kind = check_record_id(record_id if isinstance(record_id, str) else repr(record_id))
    envelope = {
        k: data[k]
        for k in ("version", "created_at", "modified_at", "created_by", "modified_by",
                  "extras")
        if k in data
    }
    owner = data.get("owner_agency")
    if not isinstance(owner, str) or not owner:
        raise ValidationFailed("is required", field="owner_agency")
    try:
        return Record(
            id=str(record_id),
            owner_agency=owner,
            markings=read_markings(data.get("markings", {})),
            details=read_details(kind, data.get("details")),
            **_read_envelope(envelope),
        )
    except ValidationFailed as error:
        if error.field and error.field.startswith(("markings", "details")):
            raise
        raise type(error)(error.detail, field=error.field) from None


_ENVELOPE = {"version": _integer, "created_at": _timestamp, "modified_at": _timestamp,
             "created_by": _text, "modified_by": _text, "extras": _text}


def _read_envelope(envelope: dict[str, Any]) -> dict[str, Any]:
    values = {}
    for key, value in envelope.items():
        try:
            values[key] = _ENVELOPE[key](value)
        except ValidationFailed as error:
            raise _within(error, key) from None
    return values
