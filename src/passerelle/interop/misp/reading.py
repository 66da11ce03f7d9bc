"""MISP documents (core format 2.4) as Passerelle records.

A document is one event (``{"Event": {...}}`` or the bare event), or several: a list of them,
or a REST search answer ``{"response": [...]}``. Problems of the document as a whole (not
JSON, no event) raise ``InvalidMisp``; problems of single elements are reported element by
element (see ``events``). Nothing is stored here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final

import orjson

from passerelle.errors import InvalidMisp
from passerelle.interop.misp.events import read_one_event
from passerelle.interop.misp.results import MispImport
from passerelle.interop.misp.standalone import read_standalone, standalone_kind

EVENT_KEYS: Final = frozenset({
    "info", "Attribute", "Object", "date", "threat_level_id", "analysis", "published",
    "Orgc", "Org", "Tag", "ShadowAttribute", "EventReport", "publish_timestamp",
})
"""Properties only an event has at its top level (a galaxy or a sighting has none of them)."""


def read_event(data: bytes | str | Mapping[str, Any] | list[Any], *, default_owner: str,
               received_at: dt.datetime | None = None) -> MispImport:
    """Read every event of a MISP document: for each attribute, object, object reference and
    event, a record or an error naming the element and property.

    ``default_owner`` owns every record (MISP's organisations are kept as they are, not
    mapped to Passerelle's agencies). ``received_at`` dates the elements that carry no time
    at all (default: now). Raises ``InvalidMisp`` when the document is not JSON or holds no
    event.
    """
    moment = received_at or dt.datetime.now(dt.UTC)
    document: object = _parse(data) if isinstance(data, bytes | str) else data
    kind = standalone_kind(document)
    if kind is not None and isinstance(document, Mapping):
        return read_standalone(document, kind, owner=default_owner, received_at=moment)
    result = MispImport()
    for index, event in enumerate(read_document(document)):  # type: ignore[arg-type]
        read_one_event(event, index, owner=default_owner, received_at=moment, into=result)
    return result


def read_document(data: bytes | str | Mapping[str, Any] | list[Any]) -> list[dict[str, Any]]:
    """The events of a MISP document, after checking that each is one."""
    document: object = _parse(data) if isinstance(data, bytes | str) else data
    if isinstance(document, Mapping) and "response" in document:
        entries = document["response"]
        if not isinstance(entries, list):
            raise InvalidMisp("must be a list of events", field="response")
        return [_event(entry, f"response[{i}]") for i, entry in enumerate(entries)]
    if isinstance(document, list):
        return [_event(entry, f"[{i}]") for i, entry in enumerate(document)]
    return [_event(document, "")]


def _parse(data: bytes | str) -> object:
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise InvalidMisp(f"not JSON: {error}", field="Event") from None


def _event(entry: object, path: str) -> dict[str, Any]:
    at = f"{path}.Event" if path else "Event"
    event = entry.get("Event", entry) if isinstance(entry, Mapping) else entry
    if not isinstance(event, dict):
        raise InvalidMisp("a MISP event is a JSON object", field=at)
    if not EVENT_KEYS & event.keys():
        raise InvalidMisp("not a MISP event: none of info, Attribute, Object, date, Tag... "
                          "(a galaxy, a sighting or another MISP document?)", field=at)
    return event
