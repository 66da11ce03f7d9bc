"""``FixtureBackend``: a TAXII backend that serves a fixture file from memory.

It serves the file as written — its API roots, collections with their ``can_read`` and
``can_write``, object versions with the ``date_added`` the manifest gives them, and its status
resources — to any authenticated requester (the fixture server has one account). Objects
posted to a writable collection are kept in memory until the process ends, each version
with a ``date_added`` assigned on arrival, later than any already in the collection. It
exists to test TAXII clients and the protocol layer against known content; it has no policy.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from passerelle.clock import SystemClock
from passerelle.errors import NotFound
from passerelle.interop.taxii.envelope import problem_with, spec_version_of, version_of
from passerelle.interop.taxii.fixture_file import FixtureData, FixtureRoot, load_fixture
from passerelle.interop.taxii.model import (
    STIX_MEDIA_TYPE,
    ApiRootInfo,
    CollectionInfo,
    Discovery,
    ManifestEntry,
    ObjectFilter,
    ObjectsPage,
    Page,
    Position,
    Requester,
    StatusDetail,
    StatusResource,
)
from passerelle.interop.taxii.selection import StoredVersion
from passerelle.interop.taxii.store import MemoryCollection, StoredObject
from passerelle.interop.taxii.timestamps import format_timestamp
from passerelle.ports import Clock

ONE_MICROSECOND = dt.timedelta(microseconds=1)


class _Root:
    """An API root held in memory."""

    def __init__(self, root: FixtureRoot) -> None:
        self.info = root.info
        self.collections: dict[str, tuple[CollectionInfo, MemoryCollection]] = {}
        for collection in root.collections:
            held = MemoryCollection()
            for row in collection.objects:
                held.add(row)
            self.collections[collection.info.id] = (collection.info, held)
        self.statuses = {status.id: status for status in root.statuses}


class FixtureBackend:
    """Serves fixture data (see the module docstring). Thread-safe: one lock."""

    def __init__(self, data: FixtureData, clock: Clock | None = None) -> None:
        self._discovery = data.discovery
        self._roots = {root.info.name: _Root(root) for root in data.roots}
        self._clock = clock or SystemClock()
        self._lock = threading.Lock()

    @classmethod
    def from_file(cls, path: Path, clock: Clock | None = None) -> FixtureBackend:
        """Load ``path`` (``ValidationFailed`` names the file and the JSON path at fault)."""
        return cls(load_fixture(path), clock)

    def discovery(self, requester: Requester) -> Discovery:
        """The file's discovery resource."""
        return self._discovery

    def api_root(self, name: str, requester: Requester) -> ApiRootInfo | None:
        """The root's ``information``."""
        root = self._roots.get(name)
        return root.info if root else None

    def collections(self, root: str, requester: Requester) -> Sequence[CollectionInfo]:
        """Every collection of the root, with the rights the file gives."""
        held = self._roots.get(root)
        return [info for info, _ in held.collections.values()] if held else []

    def collection(self, root: str, collection_id: str,
                   requester: Requester) -> CollectionInfo | None:
        """One collection, or None."""
        held = self._roots.get(root)
        found = held.collections.get(collection_id) if held else None
        return found[0] if found else None

    def _held(self, root: str, collection_id: str) -> tuple[CollectionInfo, MemoryCollection]:
        held = self._roots.get(root)
        found = held.collections.get(collection_id) if held else None
        if found is None:
            raise NotFound(f"no collection {collection_id} in {root}", field="collection_id")
        return found

    def _page(self, root: str, collection_id: str, query: ObjectFilter, limit: int,
              after: Position | None) -> Page[StoredObject]:
        with self._lock:
            return self._held(root, collection_id)[1].page(query, limit, after)

    def objects(self, root: str, collection_id: str, requester: Requester,
                query: ObjectFilter, limit: int, after: Position | None) -> ObjectsPage:
        """The selected object versions, as the file (or the poster) wrote them."""
        page = self._page(root, collection_id, query, limit, after)
        return Page(tuple(row.obj for row in page.items), page.more, page.first, page.last)

    def manifest(self, root: str, collection_id: str, requester: Requester,
                 query: ObjectFilter, limit: int,
                 after: Position | None) -> Page[ManifestEntry]:
        """The manifest entries of the selected versions."""
        page = self._page(root, collection_id, query, limit, after)
        entries = tuple(ManifestEntry(row.meta.object_id, row.meta.date_added,
                                      row.meta.version_text, row.media_type)
                        for row in page.items)
        return Page(entries, page.more, page.first, page.last)

    def versions(self, root: str, collection_id: str, requester: Requester,
                 object_id: str, query: ObjectFilter, limit: int,
                 after: Position | None) -> Page[str] | None:
        """The selected versions of one object, or None when it has none at all."""
        with self._lock:
            held = self._held(root, collection_id)[1]
            if not held.knows(object_id):
                return None
            query = dataclasses.replace(query, ids=frozenset({object_id}), versions=("all",))
            page = held.page(query, limit, after)
        return Page(tuple(row.meta.version_text for row in page.items),
                    page.more, page.first, page.last)

    def add_objects(self, root: str, collection_id: str, requester: Requester,
                    objects: Sequence[Mapping[str, Any]]) -> StatusResource:
        """Store each acceptable object; every outcome is in the (complete) status."""
        with self._lock:
            info, held = self._held(root, collection_id)
            requested_at = self._clock.now()
            successes: list[StatusDetail] = []
            failures: list[StatusDetail] = []
            for obj in objects:
                outcome, ok = self._add_one(info, held, obj)
                (successes if ok else failures).append(outcome)
            status = StatusResource.complete(str(uuid.uuid4()), requested_at,
                                             successes, failures)
            self._roots[root].statuses[status.id] = status
        return status

    def _add_one(self, info: CollectionInfo, held: MemoryCollection,
                 obj: Mapping[str, Any]) -> tuple[StatusDetail, bool]:
        claimed = obj.get("modified", obj.get("created"))
        claimed_text = claimed if isinstance(claimed, str) else ""
        problem = problem_with(obj)
        media_type = STIX_MEDIA_TYPE.format(spec_version=spec_version_of(obj))
        if problem is None and media_type not in info.media_types:
            problem = f"this collection does not accept {media_type}"
        if problem is not None:
            return StatusDetail(obj["id"], claimed_text, problem), False
        date_added = self._next_date_added(held)
        version_text, version = version_of(obj) or (format_timestamp(date_added), date_added)
        if held.find(obj["id"], version) is not None:
            return StatusDetail(obj["id"], version_text, "already stored; unchanged"), True
        held.add(StoredObject(
            StoredVersion(obj["id"], version, version_text, spec_version_of(obj), date_added),
            dict(obj), media_type))
        return StatusDetail(obj["id"], version_text, "added"), True

    def _next_date_added(self, held: MemoryCollection) -> dt.datetime:
        """Now, or one microsecond after the latest ``date_added`` of the collection when
        the clock has not moved past it: clients resuming with ``added_after`` must never
        find a new version dated at or before one they have seen."""
        now = self._clock.now()
        latest = held.last_date_added()
        if latest is not None and now <= latest:
            return latest + ONE_MICROSECOND
        return now

    def delete_object(self, root: str, collection_id: str, requester: Requester,
                      object_id: str, query: ObjectFilter) -> bool:
        """Forget the selected versions; False when none."""
        with self._lock:
            held = self._held(root, collection_id)[1]
            rows = held.selected_versions(object_id, query)
            held.remove(rows)
        return bool(rows)

    def status(self, root: str, status_id: str, requester: Requester) -> StatusResource | None:
        """A status of the file or of a request made since the server started."""
        held = self._roots.get(root)
        with self._lock:
            return held.statuses.get(status_id) if held else None
