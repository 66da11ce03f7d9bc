"""The node's TAXII 2.1 backend: each partner node reads the records released to it, and
posts urgent objects to the node's inbox.

One API root (``passerelle``) holds two collections per node. In *Records released by
<agency>* (read-only) a requesting partner node (``agency:<id>``, established by its request
signature) sees exactly its own feed (:mod:`passerelle.domain.releases`): the versions the
policy and the transfer law let go to that partner, in the order they became available, each
served with its feed ``date_added``. Every version served is decided again at that moment and
recorded as a transfer (:meth:`passerelle.services.federation.FederationService.partner_page`).

A version withdrawn from a partner (its markings no longer allow it, the legal basis lapsed)
or erased at the originator is served as a revoked version of the object (``revoked: true``,
no content), so the receiving node removes its copy (LED Art. 7(3) and 16).

The *Inbox of <agency>* is write-only for partners (:mod:`passerelle.api.federation_inbox`):
what they post is applied as theirs, the way pulled objects are.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

import orjson
from fastapi import FastAPI, Request

from passerelle.api.federation_inbox import Inbox
from passerelle.api.peer_auth import Admission, peer_authenticator
from passerelle.api.taxii.errors import install_taxii_errors
from passerelle.api.taxii.routes import taxii_router
from passerelle.domain.audit import AuditAction, AuditEvent
from passerelle.domain.records import Record
from passerelle.domain.releases import Change, Release, Which
from passerelle.errors import Forbidden, RejectReason
from passerelle.interop.stix.export import record_object
from passerelle.interop.stix.identifiers import derived_uuid, stix_id
from passerelle.interop.stix.revocation import revocation
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
    StatusResource,
)
from passerelle.interop.taxii.timestamps import format_timestamp
from passerelle.node import Node
from passerelle.services.federation import PartnerPage, SentEntry

ROOT = "passerelle"
MEDIA_TYPE = STIX_MEDIA_TYPE.format(spec_version="2.1")


def collection_id(agency_id: str) -> str:
    """The id of the collection of records a node releases: the same on every run."""
    return derived_uuid(f"taxii-collection:{agency_id}:released")


def partner_of(requester: Requester) -> str | None:
    """The agency id of a requesting partner node, or None for anyone else."""
    kind, _, agency = requester.identity.partition(":")
    return agency if kind == "agency" and agency else None


def _position(page: PartnerPage) -> Position | None:
    if page.last is None:
        return None
    return Position(page.last[0], f"{page.last[1]:020d}")


def _after(position: Position | None) -> tuple[dt.datetime, int] | None:
    return None if position is None else (position.date_added, int(position.key))


def _serialize(record: Record) -> bytes:
    return orjson.dumps(record_object(record))


def _tombstone(entry: SentEntry) -> dict[str, Any]:
    """A revoked version of an object the partner may no longer hold (the one the outbox
    pushes for the same feed entry)."""
    release = entry.release
    return revocation(release.record_id, release.date_added,
                      entry.record.created_at if entry.record else None)


def _version_of(entry: SentEntry) -> str:
    """The ``modified`` of the object version served for this entry."""
    if entry.release.change is Change.SHARED and entry.record is not None:
        return str(record_object(entry.record)["modified"])
    return format_timestamp(entry.release.date_added)


def _accept(query: ObjectFilter, object_id: str | None = None
            ) -> tuple[Which, Any]:
    """``which`` and a predicate for what ``query`` selects (exact versions, ids, types)."""
    keywords = [v for v in query.versions if isinstance(v, str)]
    exact = {format_timestamp(v) for v in query.versions if isinstance(v, dt.datetime)}
    which: Which = "all" if "all" in keywords or exact or len(keywords) > 1 else (
        "first" if keywords == ["first"] else "last")
    ids = set(query.ids) | ({object_id} if object_id else set())
    types = set(query.types)
    spec_ok = query.spec_versions is None or not query.spec_versions \
        or "2.1" in query.spec_versions

    def accept(release: Release, record: Record | None) -> bool:
        if not spec_ok:
            return False
        sid = stix_id(release.record_id)
        if ids and sid not in ids:
            return False
        if types and sid.partition("--")[0] not in types:
            return False
        if exact:
            entry = SentEntry(release, None, record)
            return _version_of(entry) in exact
        return True

    return which, accept


class NodeTaxiiBackend:
    """``TaxiiBackend`` of a node, for its partner nodes."""

    def __init__(self, node: Node) -> None:
        self._node = node
        self._agency = node.settings.agency_id
        self._collection = collection_id(self._agency)
        self._inbox = Inbox(node)

    def _partner(self, requester: Requester) -> str:
        partner = partner_of(requester)
        if partner is None or partner == self._agency:
            raise Forbidden("only partner nodes read this node's collections")
        return partner

    def _readable(self, collection_id: str) -> None:
        if collection_id != self._collection:
            raise Forbidden("this collection is write-only")

    def discovery(self, requester: Requester) -> Discovery:
        """One API root, for the partners."""
        return Discovery(title=f"Passerelle node {self._agency}",
                         description="Records this node releases to partner nodes",
                         api_roots=(ROOT,), default=ROOT)

    def api_root(self, name: str, requester: Requester) -> ApiRootInfo | None:
        """The partners' root."""
        if name != ROOT:
            return None
        return ApiRootInfo(name=ROOT, title=f"Passerelle {self._agency}: partner exchange")

    def collections(self, root: str, requester: Requester) -> Sequence[CollectionInfo]:
        """The collection of released records, readable by partner nodes, and the inbox they
        write to."""
        found = (self.collection(root, c, requester) for c in (self._collection, self._inbox.id))
        return [c for c in found if c is not None]

    def collection(self, root: str, collection_id: str,
                   requester: Requester) -> CollectionInfo | None:
        """The collection of released records or the inbox (None for anyone but a partner
        node)."""
        partner = partner_of(requester)
        if root != ROOT or partner is None or partner == self._agency:
            return None
        if collection_id == self._inbox.id:
            return self._inbox.info(partner)
        if collection_id != self._collection:
            return None
        return CollectionInfo(id=self._collection,
                              title=f"Records released by {self._agency}",
                              description=f"What {self._agency} releases to {partner}",
                              can_read=True, can_write=False, media_types=(MEDIA_TYPE,))

    def objects(self, root: str, collection_id: str, requester: Requester,
                query: ObjectFilter, limit: int, after: Position | None) -> ObjectsPage:
        """The partner's feed as STIX objects; every version sent is a recorded transfer."""
        self._readable(collection_id)
        which, accept = _accept(query)
        page = self._node.federation.partner_page(
            self._partner(requester), _after(after), query.added_after, limit, _serialize,
            which=which, accept=accept)
        items = tuple(orjson.Fragment(e.payload) if e.payload is not None else _tombstone(e)
                      for e in page.entries)
        return Page(items, page.more, self._first(page), _position(page))

    @staticmethod
    def _first(page: PartnerPage) -> Position | None:
        if not page.entries:
            return None
        first = page.entries[0].release
        return Position(first.date_added, f"{first.seq:020d}")

    def manifest(self, root: str, collection_id: str, requester: Requester,
                 query: ObjectFilter, limit: int, after: Position | None) -> Page[ManifestEntry]:
        """What ``objects`` would return, described; nothing is sent."""
        self._readable(collection_id)
        which, accept = _accept(query)
        page = self._node.federation.partner_page(
            self._partner(requester), _after(after), query.added_after, limit, None,
            which=which, accept=accept)
        items = tuple(ManifestEntry(stix_id(e.release.record_id), e.release.date_added,
                                    _version_of(e), MEDIA_TYPE) for e in page.entries)
        return Page(items, page.more, self._first(page), _position(page))

    def versions(self, root: str, collection_id: str, requester: Requester,
                 object_id: str, query: ObjectFilter, limit: int,
                 after: Position | None) -> Page[str] | None:
        """The versions of one object in the partner's feed."""
        self._readable(collection_id)
        which, accept = _accept(query, object_id)
        partner = self._partner(requester)
        page = self._node.federation.partner_page(
            partner, _after(after), query.added_after, limit, None, which="all",
            accept=accept)
        if not page.entries and after is None:
            probe = self._node.federation.partner_page(
                partner, None, None, 1, None, which="all",
                accept=_accept(ObjectFilter(versions=("all",)), object_id)[1])
            if not probe.entries:
                return None
        del which
        items = tuple(_version_of(e) for e in page.entries)
        return Page(items, page.more, self._first(page), _position(page))

    def add_objects(self, root: str, collection_id: str, requester: Requester,
                    objects: Sequence[Mapping[str, Any]]) -> StatusResource:
        """Into the inbox: applied as the partner's. The released records are read-only."""
        partner = self._partner(requester)
        if collection_id != self._inbox.id:
            raise Forbidden("this collection is read-only; partners post to the inbox")
        return self._inbox.add(partner, objects)

    def delete_object(self, root: str, collection_id: str, requester: Requester,
                      object_id: str, query: ObjectFilter) -> bool:
        """Partners delete nothing (a revocation posted to the inbox erases a copy)."""
        raise Forbidden("partners do not delete objects from this node")

    def status(self, root: str, status_id: str, requester: Requester) -> StatusResource | None:
        """The status of an add request to the inbox, for the partner that posted it."""
        partner = partner_of(requester)
        if root != ROOT or partner is None:
            return None
        return self._inbox.status(status_id, partner)


TAXII_PREFIX = "/taxii"
SIGNATURE_CHALLENGE = 'Signature realm="passerelle"'
PAGE_SIZE_MAX = 1000


def taxii_app(node: Node, admit: Admission) -> FastAPI:
    """The TAXII 2.1 server partner nodes read, mounted at ``TAXII_PREFIX``.

    Every request must be signed by a registered partner node (RFC 9421); a refused
    signature is answered 401 and written to the audit log (``access_denied``).
    """

    def on_reject(reason: RejectReason, key_id: str | None, remote: str | None) -> None:
        with node.transactions() as tx:
            tx.audit.append([AuditEvent(
                AuditAction.ACCESS_DENIED, f"node-key:{key_id or 'none'}", "", None, "",
                {"taxii": True, "reason": reason.value, "remote": remote})])
            tx.commit()

    verify = peer_authenticator(admit, node.clock, on_reject=on_reject)

    async def authenticate(request: Request) -> Requester:
        peer = await verify(request)
        return Requester(f"agency:{peer.agency_id}",
                         f"node of {peer.agency_id} (key {peer.key_id})")

    app = FastAPI(title=f"Passerelle {node.settings.agency_id} TAXII 2.1", version="2.1",
                  openapi_url=None, docs_url=None, redoc_url=None)
    app.include_router(taxii_router(
        NodeTaxiiBackend(node), authenticate, challenge=SIGNATURE_CHALLENGE,
        page_size_max=PAGE_SIZE_MAX, body_limit=node.settings.max_body_bytes,
        cursor_key=hashlib.sha256(b"taxii-cursor:" + node.settings.secret_key.encode()).digest()))
    install_taxii_errors(app, SIGNATURE_CHALLENGE)
    return app
