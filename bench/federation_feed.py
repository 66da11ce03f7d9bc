"""The records a federation benchmark releases, a partner's feed loaded in bulk, and timed pages.

``FictionalRecords`` makes, for fictional people of ``passerelle.synthetic``, the person record
and the travel-document record ``passerelle.seeding.RecordMaker`` makes, with markings that let
both go to every partner: releasable to all of them, no compartment, TLP:RED turned into
TLP:AMBER (whose named recipients would otherwise have to list each partner). Handling codes,
gradings, purposes and review dates stay as the seeding mix draws them.

``FeedLoader`` grows the release feed of one partner (``es``) on a node's database straight
through the storage layer, for the page-latency measurement, where a million records through
the import path would take most of an hour per backend. Per record it writes exactly the rows
the import path writes that a TAXII page reads: the head row in ``records``, the body of
version 1 in ``record_versions`` (``domain.codec.record_to_dict``, the stored canonical
form), and one ``shared`` entry in ``releases`` for ``es``, with ``date_added`` one
microsecond after the previous entry, as the planner stamps a bulk import. Not written: the
search keys (``record_names``, ``record_documents``), the audit entries of the import and the
feed entries of the other partners; no TAXII request reads them (a partner's pages are read
from the feed index, which leads with the partner).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import random
import sqlite3
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import text

from common import AGENCY, ANALYST, Database, percentile
from passerelle.domain import markings as mk
from passerelle.domain.codec import record_to_dict
from passerelle.domain.records import Record
from passerelle.seeding import RecordMaker
from passerelle.storage.bulk import insert_rows
from passerelle.storage.schema import RECORD_VERSIONS, RECORDS, RELEASES
from passerelle.storage.search_keys import record_time
from passerelle.synthetic import PeopleGenerator

PARTNER = "es"
PARTNERS = frozenset({"es", "be", "ma"})
LOAD_CHUNK = 5000  # records per transaction of the bulk load
FEED_START = dt.datetime(2026, 1, 5, 8, 0, tzinfo=dt.UTC)
TICK = dt.timedelta(microseconds=1)
PAGE_LIMIT = 100
WARM_UP = 20


class FictionalRecords:
    """Person and travel-document records of fictional people, releasable to every partner;
    deterministic for a seed. ``take(n)`` continues where the previous call stopped."""

    def __init__(self, seed: int) -> None:
        self._maker = RecordMaker(AGENCY, seed, dt.datetime.now(dt.UTC), ANALYST.principal)
        self._people = PeopleGenerator(seed)
        self._next = 0
        self._pending: list[Record] = []

    def take(self, count: int) -> list[Record]:
        """The next ``count`` records: a person, then their document, person after person."""
        made = self._pending
        needed = (count - len(made) + 1) // 2
        for synthetic in self._people.people(max(needed, 0), self._next):
            person = self._maker.person(synthetic)
            person = dataclasses.replace(person, markings=_releasable(person.markings))
            document = next(iter(self._maker.document(person, synthetic)))
            made += (person, document)
        self._next += max(needed, 0)
        self._pending = made[count:]
        return made[:count]


def _releasable(markings: mk.Markings) -> mk.Markings:
    tlp = mk.Tlp.AMBER if markings.tlp is mk.Tlp.RED else markings.tlp
    return dataclasses.replace(markings, tlp=tlp, recipients=frozenset(), compartment=None,
                               releasable_to=PARTNERS)


class FeedLoader:
    """Grows ``PARTNER``'s feed on ``db`` by bulk inserts (see the module docstring)."""

    def __init__(self, db: Database, seed: int) -> None:
        self._db = db
        self._records = FictionalRecords(seed)
        self.size = 0

    def stamp(self, position: int) -> dt.datetime:
        """The ``date_added`` of the feed entry at ``position`` (0-based)."""
        return FEED_START + position * TICK

    def grow_to(self, size: int, advance: Callable[[int], None]) -> None:
        """Add records and feed entries until the feed holds ``size`` entries."""
        while self.size < size:
            records = self._records.take(min(LOAD_CHUNK, size - self.size))
            rows = [_rows(record, self.stamp(self.size + i)) for i, record in enumerate(records)]
            with self._db.engine.begin() as connection:
                for index, table in enumerate((RECORDS, RECORD_VERSIONS, RELEASES)):
                    insert_rows(connection, table, [row[index] for row in rows])
            self.size += len(records)
            advance(len(records))
        if self._db.backend == "postgresql":  # what autovacuum would soon do on its own
            with self._db.engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                    text("VACUUM ANALYZE"))
            return
        # What the node's checkpointer would soon do: the load's log into the file. Outside
        # the engine, whose connections begin a transaction, in which SQLite refuses it.
        with contextlib.closing(sqlite3.connect(str(self._db.engine.url.database),
                                                timeout=60)) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()


def _rows(record: Record, date_added: dt.datetime) -> tuple[dict[str, Any], ...]:
    return (
        {"id": record.id, "kind": record.kind.value, "owner_agency": record.owner_agency,
         "version": record.version, "record_time": record_time(record),
         "modified_at": record.modified_at},
        {"record_id": record.id, "version": record.version, "body": record_to_dict(record),
         "modified_at": record.modified_at, "modified_by": record.modified_by},
        {"partner": PARTNER, "date_added": date_added, "record_id": record.id,
         "version": record.version, "change": "shared"})


@dataclasses.dataclass(frozen=True)
class Latency:
    """Timed pages at one collection size: milliseconds per request, and bytes per page."""

    times_ms: list[float]
    page_bytes: float

    @property
    def p50(self) -> float:
        return percentile(self.times_ms, 50)

    @property
    def p99(self) -> float:
        return percentile(self.times_ms, 99)


#: Fetches the page that follows feed position ``n``; returns (objects in it, bytes).
Fetch = Callable[[int], tuple[int, int]]


def time_pages(fetch: Fetch, size: int, queries: int, rng: random.Random,
               advance: Callable[[int], None], *, warm_up: int = WARM_UP,
               budget_s: float | None = None) -> Latency:
    """Time ``queries`` page requests at random positions of a collection of ``size``
    entries, after ``warm_up`` untimed ones. Every page must be full. With ``budget_s``, stop
    once that much time is spent (after one timed request at least).

    The benchmark's own objects (the records generated for the load, the loader) are moved out
    of the cyclic collector's sight first: a partner's puller does not hold them, and a
    collection walking them paused this client for 100 ms now and then, in the timings of a
    server that had nothing to do with it.
    """
    gc.collect()
    gc.freeze()
    last = max(size - PAGE_LIMIT - 1, 0)
    for _ in range(warm_up):
        fetch(rng.randint(0, last))
    times: list[float] = []
    sizes: list[int] = []
    started = time.perf_counter()
    while len(times) < queries:
        if budget_s is not None and times and time.perf_counter() - started > budget_s:
            break
        position = rng.randint(0, last)
        before = time.perf_counter()
        count, body = fetch(position)
        times.append((time.perf_counter() - before) * 1000)
        sizes.append(body)
        expected = min(PAGE_LIMIT, size - position - 1)
        if count != expected:
            raise SystemExit(f"the page after position {position} of {size} held {count} "
                             f"objects, {expected} expected")
        advance(1)
    return Latency(times, sum(sizes) / len(sizes))
