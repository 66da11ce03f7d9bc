"""What ``passerelle import`` reads: a STIX bundle, MISP events, or a CSV of persons or documents.

Each source turns its file into chunks of candidates for ``ImportService.import_stream`` (a
record, or the error that reading it raised) and remembers, for each candidate, where it came
from in the file (``objects[3]``, ``Event[0].Attribute[12]``, ``line 7``), so that a rejection
names the place an operator can find. STIX bundles stream (two passes, one object at a time):
a 1 GB bundle imports in memory bounded by a chunk.
"""

from __future__ import annotations

import datetime as dt
import re
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from passerelle.domain.records import Record, RecordKind
from passerelle.errors import PasserelleError, ValidationFailed
from passerelle.interop.misp import read_event
from passerelle.interop.misp.standalone import SIGHTING_KEYS
from passerelle.interop.records_csv import RowError, open_records
from passerelle.interop.stix.stream import passes_size, stream_bundle_file, top_level

CHUNK = 2000
UNREAD_KEPT = 10_000  # ids of unreadable objects remembered for the report (the rest counted)
STIX_ID = re.compile(r"^[a-z][a-z0-9-]*--[0-9a-fA-F-]{36}$")
Progress = Callable[[int], None]
Candidates = list[Record | PasserelleError]


class ImportFormat(str, Enum):
    """File formats ``passerelle import`` reads."""

    AUTO = "auto"
    STIX = "stix"
    MISP = "misp"
    CSV = "csv"


MISP_KEYS = frozenset({"Event", "response", "Attribute", "Object", "info", "GalaxyCluster"})


def detect(path: Path) -> ImportFormat:
    """The format of ``path``: CSV by its name; MISP when the JSON document is a list, or an
    object with MISP's keys (an event, a search answer, a galaxy, a sighting); STIX otherwise
    (a bundle or one object, whose errors then say what is wrong)."""
    if path.suffix.lower() == ".csv":
        return ImportFormat.CSV
    shape, keys = top_level(path)
    if shape == "list" or MISP_KEYS & keys.keys():
        return ImportFormat.MISP
    if keys.get("type") == "bundle" or STIX_ID.match(keys.get("id", "")):
        return ImportFormat.STIX
    if "value" in keys and keys.keys() <= SIGHTING_KEYS:
        return ImportFormat.MISP
    return ImportFormat.STIX


@dataclass
class Source:
    """Candidates read from a file, with where each came from and what the reader noted."""

    total: int  # units of progress (bytes or rows)
    chunks: Iterator[Candidates]
    label: str = "objects[{}]"  # how a position in the file is written
    positions: array[int] = field(default_factory=lambda: array("q"))  # by candidate index
    labels: list[str] = field(default_factory=list)  # by candidate index, when not positions
    unread: dict[int, str] = field(default_factory=dict)  # ids of objects that did not read
    notes: list[str] = field(default_factory=list)
    context: int = 0  # objects that only describe others (markings, definitions, identities)

    def place(self, index: int, record_id: str | None) -> str:
        """Where candidate ``index`` (the record ``record_id``) came from. Positions are kept
        as 8-byte integers: a file of millions of objects costs megabytes, not its labels."""
        if index < len(self.labels):
            return self.labels[index]
        if index < len(self.positions):
            named = record_id or self.unread.get(index, "")
            return f"{self.label.format(self.positions[index])} {named}".rstrip()
        return "-"


def stix_source(path: Path, owner: str, *, restrict_unknown: bool,
                progress: Progress) -> Source:
    """A STIX 2.1 bundle file (or one STIX object), streamed."""
    source = Source(passes_size(path), iter(()))

    def chunks() -> Iterator[Candidates]:
        for chunk in stream_bundle_file(path, default_owner=owner, chunk=CHUNK,
                                        restrict_unknown=restrict_unknown, progress=progress):
            candidates: Candidates = []
            for item in chunk:
                if item.record is not None:
                    candidates.append(item.record)
                elif item.error is not None:
                    if item.stix_id is not None and len(source.unread) < UNREAD_KEPT:
                        source.unread[len(source.positions)] = item.stix_id
                    candidates.append(item.error)
                else:
                    source.context += 1
                    continue
                source.positions.append(item.index)
            yield candidates

    source.chunks = chunks()
    return source


def misp_source(path: Path, owner: str, now: dt.datetime) -> Source:
    """MISP events (one event, a list, or a search response)."""
    found = read_event(path.read_bytes(), default_owner=owner, received_at=now)
    candidates: Candidates = []
    labels: list[str] = []
    for item in found.items:
        if item.record is not None:
            candidates.append(item.record)
        elif item.error is not None:
            candidates.append(item.error)
        else:
            continue
        labels.append(item.where)
    chunks = (candidates[i:i + CHUNK] for i in range(0, len(candidates), CHUNK))
    return Source(len(candidates), chunks, labels=labels, notes=list(found.notes))


def csv_source(path: Path, kind: RecordKind | None, owner: str, created_by: str,
               now: dt.datetime) -> Source:
    """Persons or documents, one per row (docs/csv-records.md)."""
    if kind not in (RecordKind.PERSON, RecordKind.DOCUMENT):
        raise ValidationFailed("a CSV file holds persons or documents: say which with --kind "
                               "person or --kind document", field="kind")
    rows = open_records(path, kind, owner_agency=owner, created_by=created_by, now=now)
    source = Source(rows.lines, iter(()), label="line {}")

    def chunks() -> Iterator[Candidates]:
        batch: Candidates = []
        with rows:
            for result in rows:
                if isinstance(result, RowError):
                    batch.append(result.as_error())
                else:
                    batch.append(result.record)
                source.positions.append(result.line)
                if len(batch) >= CHUNK:
                    yield batch
                    batch = []
        if batch:
            yield batch

    source.chunks = chunks()
    return source
