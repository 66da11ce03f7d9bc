"""The TAXII 2.1 resources as plain data, independent of HTTP and of where objects come from.

A ``TaxiiBackend`` (``backend.py``) answers in these types; the HTTP layer
(``passerelle.api.taxii``) turns them into TAXII JSON. Timestamps are timezone-aware UTC
``datetime`` values, except the ``version`` of an object, which is kept as the object itself
writes it (``modified``, else ``created``) so that what a client reads matches the object
byte for byte.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

import orjson

from passerelle.errors import PasserelleError
from passerelle.interop.taxii.timestamps import format_timestamp

TAXII_MEDIA_TYPE = "application/taxii+json;version=2.1"
STIX_MEDIA_TYPE = "application/stix+json;version={spec_version}"

VersionKeyword = Literal["first", "last", "all"]
VersionMatch = VersionKeyword | dt.datetime
"""One value of ``match[version]``: a keyword or the exact version (timestamp) wanted."""

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Requester:
    """Who is asking, as the authentication layer established it.

    ``identity`` is what a backend authorises on and never changes for the same principal
    (``user:fixture``, ``agency:es``); ``display`` is for logs and messages only — never
    authorise on it.
    """

    identity: str
    display: str


@dataclass(frozen=True, slots=True)
class Discovery:
    """The server's discovery resource; ``api_roots`` and ``default`` are API root *names*
    (the path segment), which the HTTP layer turns into URLs of the server being asked."""

    title: str
    api_roots: tuple[str, ...] = ()
    description: str | None = None
    contact: str | None = None
    default: str | None = None


@dataclass(frozen=True, slots=True)
class ApiRootInfo:
    """One API root: ``versions`` lists the TAXII media types it speaks; ``max_content_length``
    is the largest request body it accepts, in bytes."""

    name: str
    title: str
    versions: tuple[str, ...] = (TAXII_MEDIA_TYPE,)
    max_content_length: int = 10 * 1024 * 1024
    description: str | None = None


@dataclass(frozen=True, slots=True)
class CollectionInfo:
    """A collection *as the requester sees it*: ``can_read`` and ``can_write`` are that
    requester's rights, which the HTTP layer enforces (403) before calling the backend."""

    id: str
    title: str
    can_read: bool
    can_write: bool
    media_types: tuple[str, ...] = (STIX_MEDIA_TYPE.format(spec_version="2.1"),)
    description: str | None = None
    alias: str | None = None


@dataclass(frozen=True, slots=True)
class ObjectFilter:
    """What a request selects, already parsed and checked (the HTTP layer answers 400 for a
    malformed parameter, so a backend never sees one).

    - ``added_after``: only versions added strictly after this instant.
    - ``ids`` / ``types``: only these objects / object types; empty means any.
    - ``versions``: which versions of each object: ``"last"`` (the newest), ``"first"``,
      ``"all"``, or exact versions; several values are a union. Never empty: the HTTP layer
      fills in the endpoint's default (``("last",)`` to read, ``("all",)`` to list versions or
      to delete).
    - ``spec_versions``: ``None`` means *the latest STIX version each object exists in* (the
      TAXII default when reading); an empty set means any; otherwise only those (``"2.1"``).

    Order of evaluation, per object: ``added_after`` first, then ``spec_versions``, then
    ``versions`` among what is left (as the reference server does), so ``"last"`` with
    ``added_after`` is the newest version added after that instant.
    """

    added_after: dt.datetime | None = None
    ids: frozenset[str] = frozenset()
    types: frozenset[str] = frozenset()
    versions: tuple[VersionMatch, ...] = ("last",)
    spec_versions: frozenset[str] | None = None

    def key(self) -> str:
        """A canonical text of the filter: equal filters give equal keys (cursor scopes)."""
        return json.dumps([
            format_timestamp(self.added_after) if self.added_after else None,
            sorted(self.ids), sorted(self.types),
            sorted(v if isinstance(v, str) else format_timestamp(v) for v in self.versions),
            None if self.spec_versions is None else sorted(self.spec_versions),
        ], separators=(",", ":"))


@dataclass(frozen=True, slots=True, order=True)
class Position:
    """Where a page ended, in the order every listing follows: ``date_added``, then a
    tie-breaker ``key`` chosen by the backend (unique within a listing, totally ordered with
    the date, e.g. ``"<object id> <version>"`` or a row number rendered to sort as text).

    The HTTP layer signs positions into ``next`` cursors and hands them back unread; a
    backend resumes strictly after the position, so a page costs the same wherever it is.
    """

    date_added: dt.datetime
    key: str


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    """One version of one object in a collection, without the object itself."""

    id: str
    date_added: dt.datetime
    version: str
    media_type: str


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """A page of a listing, in ``(date_added, key)`` order.

    ``more`` says whether anything follows ``last`` under the same filter. ``first`` and
    ``last`` are the positions of the first and last items (None when the page is empty):
    their dates become the ``X-TAXII-Date-Added-First``/``-Last`` headers and ``last``
    becomes the ``next`` cursor.
    """

    items: tuple[T, ...]
    more: bool = False
    first: Position | None = None
    last: Position | None = None


ObjectsPage = Page[dict[str, Any] | orjson.Fragment]
"""A page of STIX objects, each as a dict or as its JSON already serialised (a backend that
stores or makes the JSON hands it over as it is, not parsed to be serialised again)."""


@dataclass(frozen=True, slots=True)
class StatusDetail:
    """The outcome for one object of an add request."""

    id: str
    version: str
    message: str | None = None


@dataclass(frozen=True, slots=True)
class StatusResource:
    """The state of an add request. Counts are given explicitly because a backend may count
    more outcomes than it lists (the lists are optional in TAXII); they must add up:
    ``total_count == success_count + failure_count + pending_count``."""

    id: str
    status: Literal["complete", "pending"]
    total_count: int
    success_count: int = 0
    failure_count: int = 0
    pending_count: int = 0
    successes: tuple[StatusDetail, ...] = ()
    failures: tuple[StatusDetail, ...] = ()
    pendings: tuple[StatusDetail, ...] = ()
    request_timestamp: dt.datetime | None = None

    def __post_init__(self) -> None:
        counted = self.success_count + self.failure_count + self.pending_count
        if counted != self.total_count:
            raise PasserelleError(
                f"status {self.id}: {counted} outcomes counted for {self.total_count} objects")

    @classmethod
    def complete(cls, status_id: str, requested_at: dt.datetime,
                 successes: list[StatusDetail], failures: list[StatusDetail]
                 ) -> StatusResource:
        """The status of a request processed at once, every outcome listed."""
        return cls(id=status_id, status="complete", request_timestamp=requested_at,
                   total_count=len(successes) + len(failures),
                   success_count=len(successes), failure_count=len(failures),
                   successes=tuple(successes), failures=tuple(failures))
