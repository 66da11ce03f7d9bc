"""The TAXII 2.1 endpoints over any ``TaxiiBackend``: ``taxii_router(...)``.

Paths (relative to where the router is included)::

    GET    /taxii2/                                               discovery
    GET    /{api_root}/                                           API root
    GET    /{api_root}/status/{status_id}/                        status of an add request
    GET    /{api_root}/collections/                               collections
    GET    /{api_root}/collections/{collection_id}/               one collection
    GET    /{api_root}/collections/{collection_id}/manifest/      manifest
    GET    /{api_root}/collections/{collection_id}/objects/       objects (paged)
    POST   /{api_root}/collections/{collection_id}/objects/       add objects -> 202 status
    GET    /{api_root}/collections/{collection_id}/objects/{object_id}/           one object
    DELETE /{api_root}/collections/{collection_id}/objects/{object_id}/           delete it
    GET    /{api_root}/collections/{collection_id}/objects/{object_id}/versions/  its versions

Routes are thin: ``gate`` admits the request, ``parameters`` reads the filters, the backend
answers (on the thread pool: backends may block), ``documents`` shapes the JSON. Errors are
TAXII error messages (``errors``). Listings are paged by signed keyset cursors (``next``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from passerelle.api.taxii import openapi
from passerelle.api.taxii.auth import Authenticator
from passerelle.api.taxii.errors import taxii_json, taxii_route_class
from passerelle.api.taxii.gate import admit, query_params, read_json
from passerelle.errors import Forbidden, NotFound
from passerelle.interop.taxii import documents
from passerelle.interop.taxii.backend import TaxiiBackend
from passerelle.interop.taxii.cursor import CursorCodec, scope_of
from passerelle.interop.taxii.envelope import read_envelope
from passerelle.interop.taxii.model import (
    ApiRootInfo,
    CollectionInfo,
    ObjectFilter,
    Page,
    Position,
    Requester,
)
from passerelle.interop.taxii.parameters import Endpoint, read_filter, read_limit, read_next

P = ParamSpec("P")
R = TypeVar("R")
_EXISTS = ObjectFilter(versions=("all",), spec_versions=frozenset())


async def _call(function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run a backend method on the thread pool."""
    return await run_in_threadpool(function, *args, **kwargs)


class _Endpoints:
    """The endpoint functions, sharing one backend, authenticator and cursor codec."""

    def __init__(self, backend: TaxiiBackend, authenticate: Authenticator,
                 page_size_max: int, body_limit: int, cursors: CursorCodec) -> None:
        self.backend = backend
        self.authenticate = authenticate
        self.page_size_max = page_size_max
        self.body_limit = body_limit
        self.cursors = cursors

    async def _root(self, name: str, requester: Requester) -> ApiRootInfo:
        root = await _call(self.backend.api_root, name, requester)
        if root is None:
            raise NotFound(f"no API root {name}", field="api_root")
        return root

    async def _collection(self, root: str, collection_id: str, requester: Requester, *,
                          read: bool = False, write: bool = False
                          ) -> tuple[ApiRootInfo, CollectionInfo]:
        root_info = await self._root(root, requester)
        found = await _call(self.backend.collection, root, collection_id, requester)
        if found is None:
            raise NotFound(f"no collection {collection_id} in {root}", field="collection_id")
        if read and not found.can_read:
            raise Forbidden("this collection may not be read by you", field="collection_id")
        if write and not found.can_write:
            raise Forbidden("this collection may not be written by you",
                            field="collection_id")
        return root_info, found

    def _paging(self, request: Request, requester: Requester, query: ObjectFilter,
                *scope_parts: str) -> tuple[int, Position | None, bytes]:
        params = query_params(request)
        scope = scope_of(*scope_parts, query.key(), requester.identity)
        cursor = read_next(params)
        after = self.cursors.decode(cursor, scope) if cursor is not None else None
        return read_limit(params, self.page_size_max), after, scope

    def _paged(self, page: Page[Any], scope: bytes,
               render: Callable[[Any, str | None], dict[str, Any]]) -> Response:
        cursor = self.cursors.encode(page.last, scope) if page.more and page.last else None
        return taxii_json(render(page, cursor), headers=documents.date_added_headers(page))

    async def discovery(self, request: Request) -> Response:
        requester = await admit(request, self.authenticate, self.body_limit)
        found = await _call(self.backend.discovery, requester)
        return taxii_json(documents.discovery_document(
            found, lambda name: str(request.url_for("taxii_api_root", api_root=name))))

    async def api_root(self, request: Request, api_root: str) -> Response:
        requester = await admit(request, self.authenticate, self.body_limit)
        root = await self._root(api_root, requester)
        return taxii_json(documents.api_root_document(root, self.body_limit))

    async def status(self, request: Request, api_root: str, status_id: str) -> Response:
        requester = await admit(request, self.authenticate, self.body_limit)
        await self._root(api_root, requester)
        found = await _call(self.backend.status, api_root, status_id, requester)
        if found is None:
            raise NotFound(f"no status {status_id} in {api_root}", field="status_id")
        return taxii_json(documents.status_document(found))

    async def collections(self, request: Request, api_root: str) -> Response:
        requester = await admit(request, self.authenticate, self.body_limit)
        await self._root(api_root, requester)
        found = await _call(self.backend.collections, api_root, requester)
        return taxii_json(documents.collections_document(list(found)))

    async def collection(self, request: Request, api_root: str,
                         collection_id: str) -> Response:
        requester = await admit(request, self.authenticate, self.body_limit)
        _, found = await self._collection(api_root, collection_id, requester)
        return taxii_json(documents.collection_document(found))

    async def objects(self, request: Request, api_root: str, collection_id: str) -> Response:
        requester = await admit(request, self.authenticate, self.body_limit)
        await self._collection(api_root, collection_id, requester, read=True)
        query = read_filter(query_params(request), Endpoint.OBJECTS)
        limit, after, scope = self._paging(request, requester, query, "objects", api_root,
                                           collection_id)
        page = await _call(self.backend.objects, api_root, collection_id, requester,
                           query, limit, after)
        return self._paged(page, scope, documents.envelope_document)

    async def manifest(self, request: Request, api_root: str, collection_id: str) -> Response:
        requester = await admit(request, self.authenticate, self.body_limit)
        await self._collection(api_root, collection_id, requester, read=True)
        query = read_filter(query_params(request), Endpoint.MANIFEST)
        limit, after, scope = self._paging(request, requester, query, "manifest", api_root,
                                           collection_id)
        page = await _call(self.backend.manifest, api_root, collection_id, requester,
                           query, limit, after)
        return self._paged(page, scope, documents.manifest_document)

    async def add_objects(self, request: Request, api_root: str,
                          collection_id: str) -> Response:
        requester = await admit(request, self.authenticate, self.body_limit, with_body=True)
        root, _ = await self._collection(api_root, collection_id, requester, write=True)
        data = await read_json(request, min(self.body_limit, root.max_content_length))
        objects = read_envelope(data)
        status = await _call(self.backend.add_objects, api_root, collection_id, requester,
                             objects)
        return taxii_json(documents.status_document(status), status=202)

    async def get_object(self, request: Request, api_root: str, collection_id: str,
                         object_id: str) -> Response:
        requester = await admit(request, self.authenticate, self.body_limit)
        await self._collection(api_root, collection_id, requester, read=True)
        query = dataclasses.replace(read_filter(query_params(request), Endpoint.OBJECT),
                                    ids=frozenset({object_id}))
        limit, after, scope = self._paging(request, requester, query, "object", api_root,
                                           collection_id, object_id)
        page = await _call(self.backend.objects, api_root, collection_id, requester,
                           query, limit, after)
        if not page.items and after is None:
            await self._object_exists(api_root, collection_id, requester, object_id)
        return self._paged(page, scope, documents.envelope_document)

    async def _object_exists(self, api_root: str, collection_id: str, requester: Requester,
                             object_id: str) -> None:
        known = await _call(self.backend.versions, api_root, collection_id, requester,
                            object_id, _EXISTS, 1, None)
        if known is None:
            raise NotFound(f"no object {object_id} in this collection", field="object_id")

    async def delete_object(self, request: Request, api_root: str, collection_id: str,
                            object_id: str) -> Response:
        requester = await admit(request, self.authenticate, self.body_limit)
        await self._collection(api_root, collection_id, requester, read=True, write=True)
        query = read_filter(query_params(request), Endpoint.DELETE)
        deleted = await _call(self.backend.delete_object, api_root, collection_id,
                              requester, object_id, query)
        if not deleted:
            raise NotFound(f"no object {object_id} matches in this collection",
                           field="object_id")
        return Response(status_code=200, headers={"Cache-Control": "no-store"})

    async def versions(self, request: Request, api_root: str, collection_id: str,
                       object_id: str) -> Response:
        requester = await admit(request, self.authenticate, self.body_limit)
        await self._collection(api_root, collection_id, requester, read=True)
        query = dataclasses.replace(read_filter(query_params(request), Endpoint.VERSIONS),
                                    ids=frozenset({object_id}))
        limit, after, scope = self._paging(request, requester, query, "versions", api_root,
                                           collection_id, object_id)
        page = await _call(self.backend.versions, api_root, collection_id, requester,
                           object_id, query, limit, after)
        if page is None:
            raise NotFound(f"no object {object_id} in this collection", field="object_id")
        return self._paged(page, scope, documents.versions_document)


def taxii_router(backend: TaxiiBackend, authenticate: Authenticator, *, challenge: str,
                 page_size_max: int, body_limit: int, cursor_key: bytes) -> APIRouter:
    """The TAXII 2.1 endpoints (see the module docstring) over ``backend``.

    ``authenticate`` turns a request into a ``Requester`` or raises ``AuthenticationRequired``;
    ``challenge`` is the ``WWW-Authenticate`` value of its 401s. ``page_size_max`` caps
    ``limit``; ``body_limit`` caps a posted body (each API root may lower it); ``cursor_key``
    (16 bytes or more, secret) signs ``next`` cursors: cursors live as long as the key.
    """
    if page_size_max < 1 or body_limit < 1:
        raise ValueError("page_size_max and body_limit must be positive")
    endpoints = _Endpoints(backend, authenticate, page_size_max, body_limit,
                           CursorCodec(cursor_key))
    router = APIRouter(route_class=taxii_route_class(challenge), tags=["taxii"])
    for route in openapi.ROUTES:
        router.add_api_route(route.path, getattr(endpoints, route.endpoint),
                             methods=[route.method], name=route.name, summary=route.summary,
                             description=route.description, status_code=route.status,
                             response_class=Response, responses=route.responses(),
                             openapi_extra=route.extra())
    return router
