"""Bulk import of a STIX 2.1 bundle of synthetic objects, timed on the real import path.

Target (issue): 100,000 objects at >= 5,000 objects/s on SQLite and >= 3,000 objects/s on
PostgreSQL on a 2-core machine.

What is timed, per run, into a freshly created and migrated database:

1. read the bundle file (bytes) and ``interop.stix.pipeline.read_in_chunks``: JSON parsing,
   bundle and per-object checks, every object mapped to a ``Record`` by ``stix_to_record``,
   chunk by chunk, as ``passerelle import`` does;
2. ``ImportService.import_stream(..., atomic=True)``, the file-import path, storing each chunk
   as it is read: the policy screens every record, the records, their versions and search keys
   are written, one sealed audit entry per record, one transaction, one commit.

``read_s`` is the time spent reading and mapping, ``store_s`` the rest.

What is not timed: generating the people, building their records and writing the bundle file
(Passerelle's own exporter, ``interop.stix.bundle``), creating and migrating the database.

The bundle mixes what an agency's export holds, in the proportions ``passerelle.seeding`` uses:
per fictional person a person identity (with Passerelle's person extension), a travel document,
the ``holds`` relationship, and for some an organisation membership, a border-crossing event
with its ``involves`` relationships, a report, a cyber indicator.

    .venv/bin/python bench/ingest.py --objects 100000 --backend both --runs 3
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from common import (
    AGENCY,
    ANALYST,
    AUDIT_KEY,
    Backend,
    analyst_caller,
    backends,
    figures_line,
    fresh_database,
    machine,
    median,
    postgres_version,
    progress,
    work_directory,
    write,
)
from passerelle.clock import SystemClock
from passerelle.domain.agencies import DEFAULT_AGENCIES
from passerelle.domain.records import Record
from passerelle.errors import PasserelleError
from passerelle.interop.stix import ImportedObject, bundle
from passerelle.interop.stix.pipeline import collector_paused, read_in_chunks
from passerelle.ports import (
    AgencyRepository,
    AuditLog,
    FederationRepository,
    RecordRepository,
    TokenRepository,
    UnitOfWork,
    UserRepository,
)
from passerelle.seeding import RecordMaker
from passerelle.services.imports import ImportService, ImportStatus
from passerelle.storage import SqlUnitOfWorkFactory
from passerelle.synthetic import PeopleGenerator

PEOPLE_PER_CHUNK = 1000
RECORDS_PER_PERSON = 4.6  # what seeding's plan yields on average; only sizes the first guess


def synthetic_records(count: int, seed: int) -> list[Record]:
    """``count`` records of the seeding mix: organisations first, then people with theirs."""
    maker = RecordMaker(AGENCY, seed, dt.datetime.now(dt.UTC), ANALYST.principal)
    people = max(1, int(count / RECORDS_PER_PERSON))
    records = maker.organisations(max(1, people // 25))
    organisation_ids = [r.id for r in records]
    generator = PeopleGenerator(seed)
    start = 0
    with progress("generate records", count) as advance:
        advance(len(records))
        while len(records) < count:
            batch = list(generator.people(PEOPLE_PER_CHUNK, start))
            made = maker.chunk(start, batch, organisation_ids, start + len(batch))
            records += made
            advance(len(made))
            start += PEOPLE_PER_CHUNK
    return records[:count]


def write_bundle(records: Sequence[Record], path: Path) -> int:
    """Export ``records`` as one STIX bundle file; returns how many objects it holds."""
    document = bundle(records)
    path.write_text(json.dumps(document, ensure_ascii=False, separators=(",", ":")),
                    encoding="utf-8")
    return len(document["objects"])


class _CountingRecords:
    """The records repository, reporting each bulk ``add`` to the progress display."""

    def __init__(self, inner: RecordRepository, advance: Callable[[int], None]) -> None:
        self._inner = inner
        self._advance = advance

    def add(self, records: Sequence[Record]) -> None:
        self._inner.add(records)
        self._advance(len(records))

    def __getattr__(self, name: str) -> object:
        return getattr(self._inner, name)


class _CountingUnitOfWork:
    """A unit of work that reports progress; everything else is the SQL unit of work's."""

    records: RecordRepository
    users: UserRepository
    tokens: TokenRepository
    agencies: AgencyRepository
    audit: AuditLog
    federation: FederationRepository

    def __init__(self, inner: UnitOfWork, advance: Callable[[int], None]) -> None:
        self._inner = inner
        self._advance = advance

    def __enter__(self) -> _CountingUnitOfWork:
        inner = self._inner.__enter__()
        self.records = _CountingRecords(inner.records, self._advance)  # type: ignore[assignment]
        self.users, self.tokens = inner.users, inner.tokens
        self.agencies, self.audit = inner.agencies, inner.audit
        self.federation = inner.federation
        return self

    def commit(self) -> None:
        self._inner.commit()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._inner.__exit__(exc_type, exc, tb)


class _Waited:
    """Passes chunks on as candidates, timing the reading and mapping."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.count = 0

    def candidates(self, chunks: Iterator[list[ImportedObject]]
                   ) -> Iterator[list[Record | PasserelleError]]:
        while True:
            started = time.perf_counter()
            chunk = next(chunks, None)
            self.seconds += time.perf_counter() - started
            if chunk is None:
                return
            found: list[Record | PasserelleError] = [
                o.record if o.record is not None else o.error  # type: ignore[misc]
                for o in chunk if not o.is_context]
            self.count += len(found)
            yield found


@dataclass(frozen=True)
class Run:
    """The figures of one timed import."""

    objects: int
    records: int
    read_map_s: float
    store_s: float
    audit_entries: int

    @property
    def total_s(self) -> float:
        return self.read_map_s + self.store_s

    @property
    def objs_per_s(self) -> float:
        return self.objects / self.total_s


def import_once(backend: Backend, path: Path, objects: int, directory: Path, index: int) -> Run:
    """Import the bundle at ``path`` into a fresh database; time the import path only."""
    with fresh_database(backend, "passerelle_bench_ingest", directory) as db:
        sql = SqlUnitOfWorkFactory(db.engine, AUDIT_KEY.encode(), SystemClock())
        with sql() as tx:  # the partners, as `passerelle init` registers them: every record
            for agency in DEFAULT_AGENCIES:  # is planned for their feeds as it is stored
                tx.agencies.upsert(agency)
            tx.commit()
        with progress(f"{backend} run {index}: store", objects) as advance:
            service = ImportService(lambda: _CountingUnitOfWork(sql(), advance), SystemClock(),
                                    AGENCY)
            started = time.perf_counter()
            waited = _Waited()
            with collector_paused():  # as `passerelle import` does
                chunks = read_in_chunks(path.read_bytes(), default_owner=AGENCY)
                outcomes = service.import_stream(analyst_caller(), waited.candidates(chunks),
                                                 atomic=True)
            stored = time.perf_counter()
        candidates = waited.count
        statuses = Counter(o.status for o in outcomes)
        if statuses[ImportStatus.CREATED] != candidates:
            bad = next(o for o in outcomes if o.status is not ImportStatus.CREATED)
            raise SystemExit(f"the import did not create every record: {dict(statuses)}; "
                             f"first: {bad}")
        with sql() as tx:
            audit = tx.audit.head()
            count = tx.records.count()
        if count != candidates:
            raise SystemExit(f"{count} records stored, {candidates} expected")
    return Run(objects, candidates, waited.seconds, stored - started - waited.seconds,
               audit.seq if audit else 0)


def bench_backend(backend: Backend, path: Path, objects: int, runs: int,
                  directory: Path) -> dict[str, object]:
    """Import ``runs`` times; the figures are medians over the runs."""
    results = []
    for index in range(1, runs + 1):
        run = import_once(backend, path, objects, directory, index)
        results.append(run)
        _describe(backend, index, run)
    rates = [r.objs_per_s for r in results]
    return {
        "backend": backend,
        "objects": objects,
        "runs": runs,
        "import_s": median([r.total_s for r in results]),
        "read_s": median([r.read_map_s for r in results]),
        "store_s": median([r.store_s for r in results]),
        "import_objs_per_s_min": min(rates),
        "import_objs_per_s_max": max(rates),
        "import_objs_per_s": median(rates),
    }


def _describe(backend: Backend, index: int, run: Run) -> None:
    write(f"# {backend} run {index}: {run.records:,} records from {run.objects:,} objects "
          f"in {run.total_s:.2f} s = {run.objs_per_s:,.0f} objects/s "
          f"(read+map {run.read_map_s:.2f} s, store {run.store_s:.2f} s, "
          f"{run.audit_entries:,} audit entries)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--objects", type=int, default=100_000,
                        help="STIX objects in the bundle (default 100,000)")
    parser.add_argument("--backend", default="both", help="sqlite, postgresql or both")
    parser.add_argument("--runs", type=int, default=3, help="timed imports per backend")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workdir", default=None,
                        help="where the bundle and SQLite files go (default: a temporary dir)")
    args = parser.parse_args()
    chosen = backends(args.backend)
    write(f"# machine: {machine()}")
    if "postgresql" in chosen:
        write(f"# PostgreSQL {postgres_version()} on 127.0.0.1:5432")
    with work_directory(args.workdir) as workdir:
        directory = Path(workdir)
        path = directory / "bundle.json"
        records = synthetic_records(args.objects, args.seed)
        kinds = Counter(r.kind.value for r in records)
        size = write_bundle(records, path)
        del records
        write(f"# bundle: {args.objects:,} record objects + {size - args.objects} context "
              f"objects, {path.stat().st_size / 1e6:,.1f} MB; "
              + ", ".join(f"{k} {v:,}" for k, v in kinds.most_common()))
        lines = [bench_backend(b, path, args.objects, args.runs, directory) for b in chosen]
    if len(lines) == 1:
        write(figures_line(lines[0]))
        return
    for figures in lines:
        write(figures_line(figures))
    combined: dict[str, object] = {"backend": ",".join(chosen), "objects": args.objects}
    rates = {str(f["backend"]): float(f["import_objs_per_s"]) for f in lines}  # type: ignore[arg-type]
    combined.update({f"import_objs_per_s_{b}": rate for b, rate in rates.items()})
    combined["import_objs_per_s"] = min(rates.values())
    write(figures_line(combined))

if __name__ == "__main__":
    main()
