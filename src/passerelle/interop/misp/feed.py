"""A MISP feed: the directory a MISP instance subscribes to (Sync actions > Feeds, input
source "network" or "local", format "MISP Feed").

The layout is the one MISP's own feed generator (PyMISP's ``feed-generator``) writes:

- ``<event uuid>.json``: one event, ``{"Event": {...}}``;
- ``manifest.json``: event uuid -> ``{Orgc {name, uuid}, Tag [{name, colour}], info, date,
  analysis, threat_level_id, timestamp}``, which MISP reads to list the feed's events and
  fetch only the changed ones (numbers are integers there, as the generator writes them;
  tags marked ``exportable: false`` are left out);
- ``hashes.csv``: ``<md5 of an attribute value>,<event uuid>`` per attribute of the events and
  of their objects, which MISP uses to correlate without fetching events; the value of a
  composite attribute (a type with ``|``, and malware-sample) is hashed part by part.

Every file is written under a temporary name and renamed, so that a subscriber never reads a
half-written file. Writing into a directory that already holds a feed adds the events to it
(an event written again replaces its previous version).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from passerelle.errors import InvalidMisp


@dataclass(frozen=True, slots=True)
class FeedSummary:
    """What a feed write did: the events written (their uuids) and the hashes listed."""

    directory: Path
    events: tuple[str, ...]
    attributes: int
    hashes: int


def write_feed(events: Iterable[dict[str, Any]], directory: Path) -> FeedSummary:
    """Write ``events`` (as ``events_from_records`` gives them) as a MISP feed."""
    directory.mkdir(parents=True, exist_ok=True)
    manifest = _load_manifest(directory / "manifest.json")
    lines: dict[str, list[str]] = {}
    written: list[str] = []
    attributes = 0
    for index, wrapped in enumerate(events):
        event = _event(wrapped, index)
        uuid = event["uuid"]
        _write(directory / f"{uuid}.json", orjson.dumps({"Event": event}))
        manifest[uuid] = manifest_entry(event)
        values = list(_attributes(event))
        attributes += len(values)
        lines[uuid] = [f"{digest},{uuid}" for digest in _hashes(values)]
        written.append(uuid)
    kept = [line for line in _load_lines(directory / "hashes.csv")
            if line.rsplit(",", 1)[-1] not in lines]
    new_lines = [line for uuid in written for line in lines[uuid]]
    _write(directory / "hashes.csv", "".join(f"{line}\n" for line in kept + new_lines).encode())
    _write(directory / "manifest.json", orjson.dumps(manifest, option=orjson.OPT_SORT_KEYS))
    return FeedSummary(directory, tuple(written), attributes, len(new_lines))


def manifest_entry(event: dict[str, Any]) -> dict[str, Any]:
    """An event's entry in ``manifest.json``."""
    entry: dict[str, Any] = {
        "info": event.get("info", ""),
        "date": event.get("date", ""),
        "analysis": _number(event.get("analysis"), 2),
        "threat_level_id": _number(event.get("threat_level_id"), 4),
        "timestamp": _number(event.get("timestamp"), 0),
        "Tag": [{key: tag[key] for key in ("name", "colour") if key in tag}
                for tag in event.get("Tag", []) if tag.get("exportable", True) is not False],
    }
    org = event.get("Orgc")
    if isinstance(org, dict):
        entry["Orgc"] = {key: org[key] for key in ("name", "uuid") if key in org}
    return entry


def _event(wrapped: object, index: int) -> dict[str, Any]:
    event = wrapped.get("Event") if isinstance(wrapped, dict) else None
    if not isinstance(event, dict) or not isinstance(event.get("uuid"), str):
        raise InvalidMisp("a feed holds events with a uuid", field=f"[{index}].Event.uuid")
    return event


def _number(value: object, default: int) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return int(value) if isinstance(value, str) and value.isdigit() else default


def _attributes(event: dict[str, Any]) -> Iterable[dict[str, Any]]:
    yield from event.get("Attribute", [])
    for obj in event.get("Object", []):
        yield from obj.get("Attribute", [])


def _hashes(attributes: Iterable[dict[str, Any]]) -> Iterable[str]:
    for attribute in attributes:
        value = attribute.get("value")
        if not isinstance(value, str):
            continue
        composite = "|" in str(attribute.get("type", "")) or \
            attribute.get("type") == "malware-sample"
        for part in value.split("|") if composite else [value]:
            yield hashlib.md5(part.encode(), usedforsecurity=False).hexdigest()


def _load_manifest(path: Path) -> dict[str, Any]:
    try:
        manifest = orjson.loads(path.read_bytes())
    except (FileNotFoundError, orjson.JSONDecodeError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def _load_lines(path: Path) -> list[str]:
    try:
        return [line for line in path.read_text(encoding="utf-8").splitlines() if line]
    except FileNotFoundError:
        return []


def _write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically: a temporary file beside it, then a rename."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                         suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
