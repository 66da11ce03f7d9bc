"""Reading a large bundle chunk by chunk, so that each chunk is stored before the next is read.

A 100,000-object bundle mapped to records all at once holds every record in memory before the
first is stored; read in chunks, only the parsed bundle and one chunk of records are held, and a
progress bar can follow the import. (Reading in a second process was measured on the two-core
machines Passerelle targets and was slower: both halves compete for the same cores.)
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from passerelle.interop.stix.bundles import BundleReader, ImportedObject, read_bundle

CHUNK = 2000


def read_in_chunks(data: bytes | Mapping[str, Any], *, default_owner: str, chunk: int = CHUNK,
                   restrict_unknown: bool = False) -> Iterator[list[ImportedObject]]:
    """Every object of the bundle ``data`` (its bytes, or the bundle already parsed), in
    order, in lists of at most ``chunk``.

    Bundle-level problems raise ``InvalidStix`` before the first chunk, as ``read_bundle``
    does; ``restrict_unknown`` is ``BundleReader``'s.
    """
    reader = BundleReader(read_bundle(data), default_owner, restrict_unknown=restrict_unknown)
    for start in range(0, len(reader), chunk):
        yield reader.read(start, start + chunk)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a bulk import.

    A parsed bundle and the records made from it are millions of small objects that hold no
    reference cycles; the collector would walk them again and again (a quarter of an import's
    time, measured) and free nothing. Reference counting still frees everything as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def sweep_young() -> None:
    """Free the reference cycles made since the last sweep, while the collector is paused.

    Call it once per chunk of a bulk import: a library may make short-lived cycles (SQLAlchemy
    statements do), which only the cyclic collector frees; paused for the whole import, they
    would pile up with everything they hold. Only the youngest generation is walked: the
    objects made since the last sweep, not the millions that came before.
    """
    gc.collect(0)
