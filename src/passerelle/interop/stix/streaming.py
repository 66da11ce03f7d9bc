"""A bundle written as its records are read: an export of any size never sits in memory whole.

Records come in batches; each batch's objects are written as they come, and the objects they
refer to (TLP marking-definitions, extension-definitions, Passerelle's and the agencies'
identities) once, the first time they appear. STIX forbids empty lists, so ``objects`` is only
opened once there is something to put in it, as ``export.bundle`` does. The API streams the
pieces as its answer; ``passerelle export`` writes them to a file.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator, Mapping

from passerelle.domain.records import Record
from passerelle.interop.stix.bundles import is_context
from passerelle.interop.stix.export import bundle

BATCH = 500


def _batches(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    batch: list[Record] = []
    for record in records:
        batch.append(record)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def bundle_pieces(records: Iterable[Record], *, agency_names: Mapping[str, str] | None = None,
                  batch: int = BATCH) -> Iterator[str]:
    """The bundle of ``records`` as pieces of JSON text, batch by batch."""
    yield f'{{"type":"bundle","id":"bundle--{uuid.uuid4()}"'
    written: set[str] = set()
    opened = False
    for chunk in _batches(records, batch):
        parts: list[str] = []
        for obj in bundle(chunk, agency_names=agency_names).get("objects", []):
            if is_context(obj):
                if obj["id"] in written:
                    continue
                written.add(obj["id"])
            parts.append(json.dumps(obj, ensure_ascii=False, separators=(",", ":")))
        if parts:
            yield ("," if opened else ',"objects":[\n') + ",\n".join(parts)
            opened = True
    yield "\n]}\n" if opened else "}\n"
