"""A bundle file read as a stream: a 1 GB bundle imports in memory bounded by a chunk.

The file is read twice, object by object (``ijson``, its C parser): first to learn what every
object may refer to (the marking-definitions the bundle defines, the kind of each identity),
then to read each object into a record, chunk by chunk. Neither pass holds more than one object
of the file; the bundle's own properties (``type``, ``id``, ``spec_version``) are checked before
the first object is read. Malformed JSON anywhere is found by the first pass, before anything is
stored. Progress is reported in bytes read, over both passes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, Final

import ijson

from passerelle.domain.records import RecordKind
from passerelle.errors import InvalidStix
from passerelle.interop.stix.bundles import (
    ImportedObject,
    ObjectReader,
    identity_kinds,
    read_bundle,
)
from passerelle.interop.stix.extensions import RECORD
from passerelle.interop.stix.pipeline import CHUNK, read_in_chunks
from passerelle.interop.stix.tlp import TLP_OF_MARKING

Progress = Callable[[int], None]
_HEAD: Final = ("type", "id", "spec_version")


class _Counted:
    """A binary file that reports the bytes read."""

    def __init__(self, stream: IO[bytes], progress: Progress | None) -> None:
        self._stream = stream
        self._progress = progress

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        if self._progress is not None and data:
            self._progress(len(data))
        return data


def passes_size(path: Path) -> int:
    """The bytes a progress bar should expect: the file is read twice."""
    return 2 * path.stat().st_size


def stream_bundle_file(path: Path, *, default_owner: str, chunk: int = CHUNK,
                       restrict_unknown: bool = False, progress: Progress | None = None
                       ) -> Iterator[list[ImportedObject]]:
    """Every object of the bundle file ``path``, in order, in lists of at most ``chunk``.

    Bundle-level problems (not JSON, not a bundle, STIX 2.0, ``objects`` not a list) raise
    ``InvalidStix`` before the first chunk. A file holding one STIX object rather than a bundle
    is read as a bundle of one.
    """
    head = _head(path)
    if head.get("type") != "bundle":
        if progress is not None:
            progress(passes_size(path))
        yield from read_in_chunks(path.read_bytes(), default_owner=default_owner, chunk=chunk,
                                  restrict_unknown=restrict_unknown)
        return
    read_bundle({**head, "objects": []})  # the bundle's own checks
    markings, kinds = _survey(path, progress)
    reader = ObjectReader(markings, kinds, default_owner, restrict_unknown=restrict_unknown)
    batch: list[ImportedObject] = []
    with path.open("rb") as raw:
        for index, obj in enumerate(_objects(_Counted(raw, progress))):
            if isinstance(obj, dict):
                batch.append(reader.read_one(index, obj))
            else:
                batch.append(ImportedObject(index, None, error=InvalidStix(
                    "a STIX object is a JSON object", field=f"objects[{index}]")))
            if len(batch) >= chunk:
                yield batch
                batch = []
    if batch:
        yield batch


def _objects(stream: _Counted) -> Iterator[Any]:
    try:
        yield from ijson.items(stream, "objects.item", use_float=True)
    except ijson.JSONError as error:
        raise InvalidStix(f"not JSON: {error}", field="bundle") from None


def _head(path: Path) -> dict[str, Any]:
    """The bundle's top-level scalars (or a lone object's), without reading its objects."""
    head: dict[str, Any] = {}
    with path.open("rb") as stream:
        try:
            events = ijson.parse(stream)
            prefix, event, value = next(events)
            if event != "start_map":
                raise InvalidStix("a STIX bundle is a JSON object", field="bundle")
            for prefix, event, value in events:
                if prefix in _HEAD and event in ("string", "number", "boolean", "null"):
                    head[prefix] = value
                elif prefix == "objects" and event in ("start_map", "string", "number",
                                                       "boolean", "null"):
                    raise InvalidStix("must be a list of STIX objects", field="objects")
                elif prefix == "objects" and event == "start_array" and \
                        {"type", "id"} <= head.keys():
                    break  # what follows the objects is read in the same pass as them
                if len(head) == len(_HEAD) or (head.get("type") not in (None, "bundle")
                                               and "id" in head):
                    break
        except StopIteration:
            raise InvalidStix("not JSON: the file is empty", field="bundle") from None
        except ijson.JSONError as error:
            raise InvalidStix(f"not JSON: {error}", field="bundle") from None
    if head.get("type") is None:
        raise InvalidStix("type None: expected a bundle", field="type")
    return head


def _survey(path: Path, progress: Progress | None
            ) -> tuple[frozenset[str], dict[str, RecordKind]]:
    """First pass: the markings the bundle defines and the kind of its identities."""
    defined: set[str] = set()
    identities: list[dict[str, Any]] = []
    with path.open("rb") as raw:
        for obj in _objects(_Counted(raw, progress)):
            if not isinstance(obj, dict):
                continue
            if obj.get("type") == "marking-definition" and isinstance(obj.get("id"), str):
                defined.add(obj["id"])
            elif obj.get("type") == "identity" and not _declares_itself(obj):
                identities.append({k: obj[k] for k in ("type", "id", "identity_class",
                                                        "extensions") if k in obj})
    return frozenset(TLP_OF_MARKING) | defined, identity_kinds(identities)


def _declares_itself(obj: dict[str, Any]) -> bool:
    """Passerelle's identities say what they are, and objects that refer to them say so too
    (``record_refs``): no need to remember them (a bundle may hold millions)."""
    extensions = obj.get("extensions")
    return isinstance(extensions, dict) and RECORD.id in extensions


def top_level(path: Path, *, budget: int = 200_000) -> tuple[str, dict[str, str]]:
    """What a format guess needs of the JSON document in ``path``: ``"list"``, ``"object"`` or
    ``""`` (not JSON), and the top-level keys of an object with their string values (``""``
    for other values), read until ``budget`` parser events have passed. Nothing is raised for
    a file that is not JSON."""
    shape, keys = "", {}
    with path.open("rb") as stream:
        try:
            for count, (prefix, event, value) in enumerate(ijson.parse(stream)):
                if not shape:
                    shape = {"start_map": "object", "start_array": "list"}.get(event, "scalar")
                elif prefix == "" and event == "map_key":
                    keys[value] = ""
                elif prefix in keys and event == "string":
                    keys[prefix] = value
                if count >= budget:
                    break
        except ijson.JSONError:
            pass
    return shape, keys
