"""MISP core format 2.4 for Passerelle: events to records and back, and MISP feeds.

Public surface (the mapping itself is in docs/misp-mapping.md)::

    read_event(data, default_owner=...) -> MispImport      every element: a record or an error
    events_from_records(records, ...) -> [{"Event": ...}]  one event per report, and the rest
    write_feed(events, directory) -> FeedSummary          manifest.json, <uuid>.json, hashes.csv

What Passerelle does not model is kept in each record's extras (``{"misp": {...}}``), so that
an event read here is written back as it came. Nothing here stores or decides: whether a
record may leave the node is the policy's call, made before ``events_from_records``.
"""

from passerelle.interop.misp.feed import FeedSummary, write_feed
from passerelle.interop.misp.reading import read_document, read_event
from passerelle.interop.misp.results import MispImport, MispItem
from passerelle.interop.misp.standalone import standalone_documents
from passerelle.interop.misp.writing import events_from_records

__all__ = [
    "FeedSummary",
    "MispImport",
    "MispItem",
    "events_from_records",
    "read_document",
    "read_event",
    "standalone_documents",
    "write_feed",
]
