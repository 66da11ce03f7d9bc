"""``TaxiiBackend``: what the TAXII 2.1 server needs from whoever holds the objects.

The HTTP layer (``passerelle.api.taxii``) speaks the protocol — authentication, media types,
parameters, cursors, error documents — and asks a backend only questions about data. The
fixture backend (``fixture.py``) serves a file from memory; the node's backend serves the
records a partner may receive under the policy. Both answer the same protocol.

What the HTTP layer guarantees before calling a method:

- the requester is authenticated;
- for the collection methods, ``api_root(root, requester)`` and
  ``collection(root, collection_id, requester)`` returned something, and the requester's
  ``can_read`` (reads) or ``can_write`` (``add_objects``) or both (``delete_object``) hold;
- ``query`` is well formed (see ``ObjectFilter`` for its meaning and defaults), ``limit`` is
  between 1 and the server's page size, and ``after`` is a position this backend handed out
  for the same query and requester (cursors are signed).

What a backend must do:

- Filter per requester. ``can_read`` only opens the collection; which objects a requester
  may receive inside it is the backend's decision, on every method (including ``versions``
  and ``delete_object``). An object the requester may not see does not exist for them.
- Page by keyset: every listing is ordered by ``(date_added, key)`` (see ``Position``) and a
  page starts strictly after ``after``. Never count or skip rows (no offsets): a page must
  cost the same at the end of a collection as at its start.
- Give each version a ``date_added`` when it is stored, with microsecond precision, later
  than every ``date_added`` already in the collection, and never change it: clients resume
  with ``added_after`` and would otherwise miss objects.
- Raise errors of ``passerelle.errors`` (``NotFound``, ``Forbidden``, ``ValidationFailed``,
  ``BadRequest``...) for what the caller did wrong; they become TAXII error messages with the
  error's status. Anything else is logged and answered as a 500.

Methods are synchronous: the HTTP layer runs them in a worker thread, so they may block on a
database. They may be called concurrently.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from passerelle.interop.taxii.model import (
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


class TaxiiBackend(Protocol):
    """The data side of a TAXII 2.1 server (see the module docstring for the contract)."""

    def discovery(self, requester: Requester) -> Discovery:
        """The discovery resource; ``api_roots`` may be narrowed to what ``requester`` uses."""
        ...

    def api_root(self, name: str, requester: Requester) -> ApiRootInfo | None:
        """The API root called ``name``, or None when there is none for this requester."""
        ...

    def collections(self, root: str, requester: Requester) -> Sequence[CollectionInfo]:
        """The collections of ``root`` the requester may know of, with their rights."""
        ...

    def collection(self, root: str, collection_id: str,
                   requester: Requester) -> CollectionInfo | None:
        """One collection with the requester's rights, or None (404) when the requester may
        not know of it."""
        ...

    def objects(self, root: str, collection_id: str, requester: Requester,
                query: ObjectFilter, limit: int, after: Position | None) -> ObjectsPage:
        """Up to ``limit`` object versions selected by ``query``, after ``after``. The objects
        are returned as stored, one dict per version, and are not modified afterwards."""
        ...

    def manifest(self, root: str, collection_id: str, requester: Requester,
                 query: ObjectFilter, limit: int,
                 after: Position | None) -> Page[ManifestEntry]:
        """The manifest entries of exactly the versions ``objects`` would return."""
        ...

    def versions(self, root: str, collection_id: str, requester: Requester,
                 object_id: str, query: ObjectFilter, limit: int,
                 after: Position | None) -> Page[str] | None:
        """The versions of one object selected by ``query`` (its ``added_after`` and
        ``spec_versions``; ``versions`` is ``("all",)``), or None when the requester knows no
        version of that object in the collection at all (404). The HTTP layer also calls it
        with an empty filter and ``limit=1`` to tell "no such object" (404) from "no version
        matches the filter" (an empty page) for the object endpoint."""
        ...

    def add_objects(self, root: str, collection_id: str, requester: Requester,
                    objects: Sequence[Mapping[str, Any]]) -> StatusResource:
        """Store the objects of a posted envelope and say what became of each.

        Every element is a JSON object with a string ``id`` (the HTTP layer answers 422
        otherwise); anything else wrong with an object is a failure in the status, not an
        exception. Adding a version that is already stored is a success and changes nothing
        (partners re-send after a failure). The status must be retrievable by ``status``.
        """
        ...

    def delete_object(self, root: str, collection_id: str, requester: Requester,
                      object_id: str, query: ObjectFilter) -> bool:
        """Delete the versions of ``object_id`` that ``query`` selects (its ``versions``,
        default ``("all",)``, and ``spec_versions``, default any); False (404) when none."""
        ...

    def status(self, root: str, status_id: str, requester: Requester) -> StatusResource | None:
        """The status of an add request, or None when the requester may not see it."""
        ...
