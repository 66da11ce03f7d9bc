"""TAXII 2.1 resources as JSON documents (plain dicts, ready to serialise).

Optional properties are left out rather than sent as null, and empty lists are left out where
TAXII makes the list optional (an empty result is ``{"more": false}``). ``next`` is written on
envelopes, manifests and version lists alike whenever ``more`` is true, so that a client can
page all three the same way (the specification names it on the envelope; clients such as
taxii2-client look for it on the manifest too).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from passerelle.interop.taxii.model import (
    ApiRootInfo,
    CollectionInfo,
    Discovery,
    ManifestEntry,
    ObjectsPage,
    Page,
    StatusDetail,
    StatusResource,
)
from passerelle.interop.taxii.timestamps import format_timestamp

Json = dict[str, Any]


def _without_none(document: Json) -> Json:
    return {key: value for key, value in document.items() if value is not None}


def discovery_document(discovery: Discovery, url_of: Callable[[str], str]) -> Json:
    """The discovery resource; ``url_of(name)`` is the URL of the API root ``name``."""
    return _without_none({
        "title": discovery.title,
        "description": discovery.description,
        "contact": discovery.contact,
        "default": url_of(discovery.default) if discovery.default else None,
        "api_roots": [url_of(name) for name in discovery.api_roots] or None,
    })


def api_root_document(root: ApiRootInfo, body_limit: int) -> Json:
    """The API root resource; ``max_content_length`` is what the server will really accept:
    the smaller of the root's own limit and the server's."""
    return _without_none({
        "title": root.title,
        "description": root.description,
        "versions": list(root.versions),
        "max_content_length": min(root.max_content_length, body_limit),
    })


def collection_document(collection: CollectionInfo) -> Json:
    """The collection resource."""
    return _without_none({
        "id": collection.id,
        "title": collection.title,
        "description": collection.description,
        "alias": collection.alias,
        "can_read": collection.can_read,
        "can_write": collection.can_write,
        "media_types": list(collection.media_types),
    })


def collections_document(collections: list[CollectionInfo]) -> Json:
    """The collections resource (``{}`` when there is none)."""
    return {"collections": [collection_document(c) for c in collections]} if collections else {}


def _details(details: tuple[StatusDetail, ...]) -> list[Json] | None:
    return [_without_none({"id": d.id, "version": d.version, "message": d.message})
            for d in details] or None


def status_document(status: StatusResource) -> Json:
    """The status resource."""
    return _without_none({
        "id": status.id,
        "status": status.status,
        "request_timestamp": (format_timestamp(status.request_timestamp)
                              if status.request_timestamp else None),
        "total_count": status.total_count,
        "success_count": status.success_count,
        "successes": _details(status.successes),
        "failure_count": status.failure_count,
        "failures": _details(status.failures),
        "pending_count": status.pending_count,
        "pendings": _details(status.pendings),
    })


def _paged(page: Page[Any], next_cursor: str | None, key: str, items: list[Any]) -> Json:
    return _without_none({
        "more": page.more,
        "next": next_cursor if page.more else None,
        key: items or None,
    })


def envelope_document(page: ObjectsPage, next_cursor: str | None) -> Json:
    """The envelope of a page of objects."""
    return _paged(page, next_cursor, "objects", list(page.items))


def manifest_document(page: Page[ManifestEntry], next_cursor: str | None) -> Json:
    """The manifest resource of a page of entries."""
    return _paged(page, next_cursor, "objects", [
        {"id": e.id, "date_added": format_timestamp(e.date_added), "version": e.version,
         "media_type": e.media_type} for e in page.items])


def versions_document(page: Page[str], next_cursor: str | None) -> Json:
    """The versions resource of a page of versions."""
    return _paged(page, next_cursor, "versions", list(page.items))


def date_added_headers(page: Page[Any]) -> dict[str, str]:
    """``X-TAXII-Date-Added-First`` / ``-Last`` of a page (none when it is empty)."""
    if page.first is None or page.last is None:
        return {}
    return {"X-TAXII-Date-Added-First": format_timestamp(page.first.date_added),
            "X-TAXII-Date-Added-Last": format_timestamp(page.last.date_added)}
