"""Reading a TAXII fixture file in the reference server's (medallion's) data format.

The file is one JSON object: ``"/discovery"`` (title, description, contact, default,
api_roots as URLs) and one member per API root, named by the last path segment of its URL,
holding ``information`` (title, description, versions, max_content_length), ``status`` (status
resources) and ``collections`` (each with its rights, media types, ``objects`` and a
``manifest`` giving the ``date_added`` and media type of every object version).

Everything is checked before anything is served: a problem raises ``ValidationFailed`` whose
detail names the file and whose field is the JSON path at fault
(``trustgroup1.collections[2].manifest[4].date_added``).

What the file does not say is derived, never invented: a status without ``total_count`` (the
reference file's second status writes ``total_objects``) is counted from its outcome counts;
an object's STIX version is its manifest entry's media type version.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlparse

import orjson

from passerelle.errors import ValidationFailed
from passerelle.interop.taxii.model import (
    ApiRootInfo,
    CollectionInfo,
    Discovery,
    StatusDetail,
    StatusResource,
)
from passerelle.interop.taxii.selection import StoredVersion
from passerelle.interop.taxii.store import StoredObject
from passerelle.interop.taxii.timestamps import parse_timestamp

DISCOVERY_KEY = "/discovery"
_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_MEDIA_VERSION = re.compile(r";\s*version=([0-9.]+)\s*$")


@dataclass
class FixtureCollection:
    """A collection of the file: its description and its object versions."""

    info: CollectionInfo
    objects: list[StoredObject]


@dataclass
class FixtureRoot:
    """An API root of the file."""

    info: ApiRootInfo
    collections: list[FixtureCollection] = field(default_factory=list)
    statuses: list[StatusResource] = field(default_factory=list)


@dataclass
class FixtureData:
    """Everything a fixture file holds, checked."""

    discovery: Discovery
    roots: list[FixtureRoot]


class _At:
    """A place in the file: reads values there and fails naming it."""

    def __init__(self, file: Path, path: str = "") -> None:
        self.file = file
        self.path = path

    def __truediv__(self, step: str | int) -> _At:
        if isinstance(step, int):
            return _At(self.file, f"{self.path}[{step}]")
        if _PLAIN_KEY.match(step):
            return _At(self.file, f"{self.path}.{step}" if self.path else step)
        return _At(self.file, f"{self.path}[{orjson.dumps(step).decode()}]")

    def fail(self, message: str) -> NoReturn:
        raise ValidationFailed(f"{self.file}: {message}", field=self.path or "$")

    def mapping(self, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail("expected a JSON object")
        return value

    def listing(self, data: dict[str, Any], key: str) -> list[Any]:
        value = data.get(key, [])
        if not isinstance(value, list):
            (self / key).fail("expected a list")
        return value

    def text(self, data: dict[str, Any], key: str) -> str:
        value = data.get(key)
        if not isinstance(value, str) or not value:
            (self / key).fail("expected a non-empty string")
        return value

    def optional_text(self, data: dict[str, Any], key: str) -> str | None:
        return None if data.get(key) is None else self.text(data, key)

    def flag(self, data: dict[str, Any], key: str) -> bool:
        value = data.get(key)
        if not isinstance(value, bool):
            (self / key).fail("expected true or false")
        return value

    def count(self, data: dict[str, Any], key: str) -> int:
        value = data.get(key, 0)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            (self / key).fail("expected a non-negative integer")
        return value

    def texts(self, data: dict[str, Any], key: str) -> tuple[str, ...]:
        values = self.listing(data, key)
        for index, value in enumerate(values):
            if not isinstance(value, str) or not value:
                (self / key / index).fail("expected a non-empty string")
        return tuple(values)


def load_fixture(file: Path) -> FixtureData:
    """Read and check a fixture file (see the module docstring)."""
    try:
        data = orjson.loads(file.read_bytes())
    except OSError as error:
        raise ValidationFailed(f"{file}: cannot be read ({error.strerror})") from None
    except orjson.JSONDecodeError as error:
        raise ValidationFailed(f"{file}: not JSON ({error})", field="$") from None
    top = _At(file)
    document = top.mapping(data)
    if DISCOVERY_KEY not in document:
        (top / DISCOVERY_KEY).fail("the discovery resource is missing")
    discovery = _discovery(top / DISCOVERY_KEY, document[DISCOVERY_KEY], document)
    roots = [_root(top / name, name, document[name]) for name in discovery.api_roots]
    return FixtureData(discovery, roots)


def _root_name(at: _At, url: str, document: dict[str, Any]) -> str:
    name = urlparse(url).path.strip("/").rsplit("/", 1)[-1]
    if not name or name == DISCOVERY_KEY or name not in document:
        at.fail(f"no member {name!r} of the file describes the API root {url}")
    if name == "taxii2":
        at.fail("an API root may not be called taxii2 (the discovery path)")
    return name


def _discovery(at: _At, value: Any, document: dict[str, Any]) -> Discovery:
    data = at.mapping(value)
    urls = at.texts(data, "api_roots")
    names = tuple(_root_name(at / "api_roots" / i, url, document)
                  for i, url in enumerate(urls))
    default = at.optional_text(data, "default")
    if default is not None and default not in urls:
        (at / "default").fail("the default API root must be one of api_roots")
    return Discovery(title=at.text(data, "title"), api_roots=names,
                     description=at.optional_text(data, "description"),
                     contact=at.optional_text(data, "contact"),
                     default=names[urls.index(default)] if default is not None else None)


def _root(at: _At, name: str, value: Any) -> FixtureRoot:
    data = at.mapping(value)
    info_at = at / "information"
    info = info_at.mapping(data.get("information"))
    length = info_at.count(info, "max_content_length")
    if length < 1:
        (info_at / "max_content_length").fail("expected a positive integer")
    root = FixtureRoot(ApiRootInfo(
        name=name, title=info_at.text(info, "title"),
        description=info_at.optional_text(info, "description"),
        versions=info_at.texts(info, "versions"), max_content_length=length))
    root.statuses = [_status(at / "status" / i, s)
                     for i, s in enumerate(at.listing(data, "status"))]
    root.collections = [_collection(at / "collections" / i, c)
                        for i, c in enumerate(at.listing(data, "collections"))]
    _unique(at / "collections", [c.info.id for c in root.collections], "collection id")
    _unique(at / "status", [s.id for s in root.statuses], "status id")
    return root


def _unique(at: _At, values: list[str], what: str) -> None:
    seen: set[str] = set()
    for index, value in enumerate(values):
        if value in seen:
            (at / index).fail(f"{what} {value} appears twice")
        seen.add(value)


def _details(at: _At, data: dict[str, Any], key: str) -> tuple[StatusDetail, ...]:
    details = []
    for index, value in enumerate(at.listing(data, key)):
        here = at / key / index
        item = here.mapping(value)
        details.append(StatusDetail(here.text(item, "id"), here.text(item, "version"),
                                    here.optional_text(item, "message")))
    return tuple(details)


def _status(at: _At, value: Any) -> StatusResource:
    data = at.mapping(value)
    state = at.text(data, "status")
    if state not in ("complete", "pending"):
        (at / "status").fail("expected complete or pending")
    counts = {k: at.count(data, k) for k in ("success_count", "failure_count", "pending_count")}
    total = at.count(data, "total_count") if "total_count" in data else sum(counts.values())
    if total != sum(counts.values()):
        (at / "total_count").fail("does not equal success, failure and pending counts")
    stamp = at.optional_text(data, "request_timestamp")
    requested = parse_timestamp(stamp) if stamp is not None else None
    if stamp is not None and requested is None:
        (at / "request_timestamp").fail("expected a timestamp")
    return StatusResource(
        id=at.text(data, "id"), status="complete" if state == "complete" else "pending",
        total_count=total, request_timestamp=requested,
        successes=_details(at, data, "successes"), failures=_details(at, data, "failures"),
        pendings=_details(at, data, "pendings"), **counts)


def _collection(at: _At, value: Any) -> FixtureCollection:
    data = at.mapping(value)
    info = CollectionInfo(
        id=at.text(data, "id"), title=at.text(data, "title"),
        description=at.optional_text(data, "description"),
        alias=at.optional_text(data, "alias"),
        can_read=at.flag(data, "can_read"), can_write=at.flag(data, "can_write"),
        media_types=at.texts(data, "media_types"))
    return FixtureCollection(info, _objects(at, data))


def _objects(at: _At, data: dict[str, Any]) -> list[StoredObject]:
    manifest = _manifest(at, data)
    stored: list[StoredObject] = []
    for index, value in enumerate(at.listing(data, "objects")):
        here = at / "objects" / index
        obj = here.mapping(value)
        object_id = here.text(obj, "id")
        version_text = obj.get("modified", obj.get("created"))
        version = parse_timestamp(version_text)
        if not isinstance(version_text, str) or version is None:
            here.fail("the object needs a modified or created timestamp")
        entry = manifest.pop((object_id, version), None)
        if entry is None:
            here.fail(f"no manifest entry for {object_id} version {version_text}")
        date_added, media_type, _ = entry
        spec = _media_version(media_type) or obj.get("spec_version") or "2.1"
        stored.append(StoredObject(
            StoredVersion(object_id, version, version_text, str(spec), date_added),
            obj, media_type))
    for (object_id, _), (_, _, index) in manifest.items():
        (at / "manifest" / index).fail(f"no object of {object_id} has this version")
    return stored


_Manifest = dict[tuple[str, dt.datetime], tuple[dt.datetime, str, int]]


def _manifest(at: _At, data: dict[str, Any]) -> _Manifest:
    """Each entry's date_added, media type and index, by (object id, version)."""
    entries: _Manifest = {}
    for index, value in enumerate(at.listing(data, "manifest")):
        here = at / "manifest" / index
        entry = here.mapping(value)
        object_id = here.text(entry, "id")
        version = parse_timestamp(entry.get("version"))
        if version is None:
            (here / "version").fail("expected a timestamp")
        date_added = parse_timestamp(entry.get("date_added"))
        if date_added is None:
            (here / "date_added").fail("expected a timestamp")
        if (object_id, version) in entries:
            here.fail(f"{object_id} version {entry['version']} is listed twice")
        entries[(object_id, version)] = (date_added, here.text(entry, "media_type"), index)
    return entries


def _media_version(media_type: str) -> str | None:
    match = _MEDIA_VERSION.search(media_type)
    return match.group(1) if match else None
