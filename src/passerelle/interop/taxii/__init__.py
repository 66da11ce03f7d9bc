"""TAXII 2.1 without HTTP: the resources, the backend protocol, cursors and a fixture backend.

``passerelle.api.taxii`` serves the protocol over HTTP; this package holds what does not
depend on the web framework, so that backends (the fixture here, the node's elsewhere) can be
written and tested without it::

    model.py        resources as dataclasses: Requester, Discovery, ApiRootInfo,
                    CollectionInfo, ObjectFilter, Position, Page, ManifestEntry, StatusResource
    backend.py      TaxiiBackend: the Protocol a data source implements, and its contract
    selection.py    what an ObjectFilter selects among the versions of one object
    cursor.py       signed keyset cursors for ``next``
    timestamps.py   RFC 3339 UTC timestamps; date_added to the microsecond
    media.py        TAXII media types and Accept / Content-Type matching
    parameters.py   URL parameters: filters per endpoint, limit, next
    envelope.py     reading a posted envelope
    documents.py    the resources as TAXII JSON documents
    store.py        one collection in memory, listed by keyset
    fixture_file.py reading a fixture file in the reference server's data format
    fixture.py      FixtureBackend, serving such a file from memory
"""

from passerelle.interop.taxii.backend import TaxiiBackend
from passerelle.interop.taxii.cursor import CursorCodec
from passerelle.interop.taxii.fixture import FixtureBackend
from passerelle.interop.taxii.model import (
    TAXII_MEDIA_TYPE,
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

__all__ = [
    "TAXII_MEDIA_TYPE",
    "ApiRootInfo",
    "CollectionInfo",
    "CursorCodec",
    "Discovery",
    "FixtureBackend",
    "ManifestEntry",
    "ObjectFilter",
    "ObjectsPage",
    "Page",
    "Position",
    "Requester",
    "StatusDetail",
    "StatusResource",
    "TaxiiBackend",
]
