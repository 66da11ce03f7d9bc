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
from enum import Enum
from typing import Any

from passerelle.domain.dates import PartialDate, parse_timestamp
from passerelle.domain.markings import Markings, parse_enum
from passerelle.domain.records import (
    Document,
    Event,
    Indicator,
    Organisation,
    Person,
    Record,
    RecordKind,
    Relationship,
    Report,
    check_record_id,
)
from passerelle.errors import InvalidDate, ValidationFailed

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")

DETAILS_CLASS: dict[RecordKind, type[Any]] = {
    RecordKind.PERSON: Person,
    RecordKind.DOCUMENT: Document,
    RecordKind.ORGANISATION: Organisation,
    RecordKind.EVENT: Event,
    RecordKind.REPORT: Report,
    RecordKind.INDICATOR: Indicator,
    RecordKind.RELATIONSHIP: Relationship,
}


def _dump(value: object) -> object:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, PartialDate):
        return value.isoformat()
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, frozenset):
        return sorted(_dump(v) for v in value)  # type: ignore[type-var]
    if isinstance(value, tuple):
        return [_dump(v) for v in value]
    return value


def dataclass_to_dict(obj: object) -> dict[str, Any]:
    """Plain data for one of the domain's frozen dataclasses."""
    return {f.name: _dump(getattr(obj, f.name)) for f in dataclasses.fields(obj)}  # type: ignore[arg-type]


def markings_to_dict(markings: Markings) -> dict[str, Any]:
    """Plain data for a record's markings."""
    return dataclass_to_dict(markings)


def record_to_dict(record: Record) -> dict[str, Any]:
    """The canonical form of one version of a record."""
    return {
        "id": record.id,
        "kind": record.kind.value,
        "version": record.version,
        "owner_agency": record.owner_agency,
        "created_at": _dump(record.created_at),
        "modified_at": _dump(record.modified_at),
        "created_by": record.created_by,
        "modified_by": record.modified_by,
        "markings": markings_to_dict(record.markings),
        "details": dataclass_to_dict(record.details),
    }


def _read_scalar(kind: Any, value: object, path: str) -> object:
    if kind is str:
        if not isinstance(value, str):
            raise ValidationFailed("must be a string", field=path)
        if _CONTROL.search(value):
            raise ValidationFailed("control characters are not allowed", field=path)
        return value
    if kind is bool:
        if not isinstance(value, bool):
            raise ValidationFailed("must be true or false", field=path)
        return value
    if kind is int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValidationFailed("must be an integer", field=path)
        return value
    if isinstance(kind, type) and issubclass(kind, Enum):
        return parse_enum(kind, value, path)
    if kind is PartialDate:
        if not isinstance(value, str):
            raise InvalidDate("must be YYYY, YYYY-MM or YYYY-MM-DD", field=path)
        return PartialDate.parse(value, path)
    if kind is dt.datetime:
        if not isinstance(value, str):
            raise InvalidDate("must be an ISO 8601 timestamp", field=path)
        return parse_timestamp(value, path)
    if kind is dt.date:
        if not isinstance(value, str):
            raise InvalidDate("must be an ISO 8601 date", field=path)
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise InvalidDate(f"{value!r} is not a date YYYY-MM-DD", field=path) from None
    raise ValidationFailed(f"unsupported type {kind!r}", field=path)


def _read(kind: Any, value: object, path: str) -> object:
    origin = typing.get_origin(kind)
    if origin in (types.UnionType, typing.Union):
        options = [a for a in typing.get_args(kind) if a is not type(None)]
        if value is None:
            return None
        return _read(options[0], value, path)
    if origin in (tuple, frozenset):
        if not isinstance(value, list | tuple):
            raise ValidationFailed("must be a list", field=path)
        if len(value) > 1000:
            raise ValidationFailed("at most 1000 items", field=path)
        item = typing.get_args(kind)[0]
        items = [_read(item, v, f"{path}[{i}]") for i, v in enumerate(value)]
        return tuple(items) if origin is tuple else frozenset(items)
    return _read_scalar(kind, value, path)


_HINTS: dict[type[Any], dict[str, Any]] = {}


def _hints(cls: type[Any]) -> dict[str, Any]:
    """Resolved annotations of a dataclass, computed once (resolution is slow)."""
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _field_names(cls: type[Any]) -> frozenset[str]:
    return frozenset(_hints(cls)) & frozenset(f.name for f in dataclasses.fields(cls))


def read_dataclass(cls: type[Any], data: object, path: str) -> Any:
    """Build ``cls`` from plain data, naming the first offending field under ``path``."""
    if not isinstance(data, dict):
        raise ValidationFailed("must be an object", field=path)
    hints = _hints(cls)
    names = _field_names(cls)
    unknown = sorted(set(data) - names)
    if unknown:
        raise ValidationFailed("unknown property", field=f"{path}.{unknown[0]}")
    values: dict[str, object] = {}
    for f in dataclasses.fields(cls):
        if f.name in data:
            values[f.name] = _read(hints[f.name], data[f.name], f"{path}.{f.name}")
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise ValidationFailed("is required", field=f"{path}.{f.name}")
    try:
        return cls(**values)
    except ValidationFailed as error:
        field = f"{path}.{error.field}" if error.field else path
        raise type(error)(error.detail, field=field) from None


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
        for k in ("version", "created_at", "modified_at", "created_by", "modified_by")
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


def _read_envelope(envelope: dict[str, Any]) -> dict[str, Any]:
    hints = _hints(Record)
    return {k: _read(hints[k], v, k) for k, v in envelope.items()}
