"""Search by name or document number among a million stored people, on the real read path.

Target (issue): with 1,000,000 person records stored, p99 under 50 ms on SQLite and PostgreSQL.

Load (timed, reported, not part of the target): ``--people`` fictional people from
``passerelle.synthetic``, each as a person record and one travel-document record (made by
``passerelle.seeding.RecordMaker``, so markings are spread as in the sample data: TLP:RED,
compartments, partners, a few overdue reviews), written with the records repository's bulk
``add``, one transaction per chunk. On PostgreSQL the load ends with ``VACUUM ANALYZE``, which
autovacuum does by itself soon after a bulk load; SQLite keeps no statistics and gets none.

Queries (timed): ``RecordService.search(analyst, RecordQuery(...), after=None, limit=20)``, the
path the API and the web pages take: the repository's indexed search, every candidate screened by
``policy.decide`` (the analyst is in every compartment and a named TLP:RED recipient; overdue
records are filtered out), one sealed audit entry per search, committed. Query types, drawn
from random stored people, in equal shares and shuffled:

- ``given``: the given name alone (common names match tens of thousands of people);
- ``full``: given and family name;
- ``arabic``: the name in Arabic script (people of Arabic-script origins);
- ``alias``: one recorded alias (other romanisations, accent-free or family-first forms);
- ``document``: the document number written with spaces or dashes, as officers type it.

A warm-up precedes each backend's rounds; each round runs ``--queries`` queries; percentiles are
computed per round and the median over rounds is reported.

Baseline in the same run: the naive query a first version would write, ``LIKE '%text%'`` over the
stored record bodies (``ILIKE`` on PostgreSQL), ordered by id, limit 20, on the same database, for
a few queries of each type (full scans: seconds each). It finds what the text matches literally,
nothing folded (no accents, case or Arabic letter forms), so it is a speed reference only.

    .venv/bin/python bench/search.py --people 1000000 --queries 2000 --backend both
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import BindParameter, Select, Text, bindparam, cast, text

from common import (
    AGENCY,
    ANALYST,
    AUDIT_KEY,
    Backend,
    Database,
    analyst_caller,
    backends,
    figures_line,
    fresh_database,
    machine,
    median,
    note,
    percentile,
    postgres_version,
    progress,
    work_directory,
    write,
)
from passerelle.clock import SystemClock
from passerelle.domain.records import Document, Record
from passerelle.interop.stix.pipeline import collector_paused
from passerelle.ports import RecordQuery
from passerelle.seeding import RecordMaker
from passerelle.services.records import RecordService
from passerelle.storage import SqlUnitOfWorkFactory
from passerelle.storage.record_search import latest_bodies
from passerelle.storage.schema import RECORD_VERSIONS, RECORDS
from passerelle.synthetic import PeopleGenerator, SyntheticPerson

LOAD_CHUNK = 5000  # people per transaction: 10,000 records
LIMIT = 20
TYPES = ("given", "full", "arabic", "alias", "document")
WARMUP = 200


@dataclass(frozen=True)
class Query:
    """One search to run, and what it should find."""

    kind: str
    text: str
    document_number: str = ""  # the stored number, for document queries

    def record_query(self) -> RecordQuery:
        if self.kind == "document":
            return RecordQuery(document_number=self.text)
        return RecordQuery(name=self.text)


def _typed_number(number: str, rng: random.Random) -> str:
    """The number as an officer might type it: groups split by spaces or dashes."""
    separator = rng.choice((" ", "-", " - "))
    cut = sorted(rng.sample(range(1, len(number)), k=min(2, len(number) - 1)))
    parts = [number[:cut[0]], *(number[a:b] for a, b in itertools.pairwise(cut)),
             number[cut[-1]:]]
    return separator.join(parts)


def _query(kind: str, person: SyntheticPerson, rng: random.Random) -> Query | None:
    name = person.name
    if kind == "given":
        return Query(kind, name.given)
    if kind == "full":
        return Query(kind, f"{name.given} {name.family}")
    if kind == "arabic":
        return Query(kind, name.original_script) if name.original_script else None
    if kind == "alias":
        return Query(kind, rng.choice(person.aliases)) if person.aliases else None
    return Query(kind, _typed_number(person.document_number, rng), person.document_number)


def make_queries(count: int, people: int, seed: int, rng: random.Random) -> list[Query]:
    """``count`` queries in equal shares per type, each drawn from a random stored person."""
    generator = PeopleGenerator(seed)
    queries: list[Query] = []
    for index in range(count):
        kind = TYPES[index % len(TYPES)]
        query = None
        while query is None:
            query = _query(kind, generator.person(rng.randrange(people)), rng)
        queries.append(query)
    rng.shuffle(queries)
    return queries


def _records(maker: RecordMaker, people: list[SyntheticPerson]) -> Iterator[Record]:
    for synthetic in people:
        person = maker.person(synthetic)
        yield person
        yield next(iter(maker.document(person, synthetic)))


def load(db: Database, people: int, seed: int) -> tuple[int, float]:
    """Store ``people`` people and their documents; returns (records, seconds)."""
    transactions = SqlUnitOfWorkFactory(db.engine, AUDIT_KEY.encode(), SystemClock())
    maker = RecordMaker(AGENCY, seed, dt.datetime.now(dt.UTC), ANALYST.principal)
    generator = PeopleGenerator(seed)
    stored = 0
    started = time.perf_counter()
    with progress(f"{db.backend}: load people", people) as advance:
        for start in range(0, people, LOAD_CHUNK):
            batch = list(generator.people(min(LOAD_CHUNK, people - start), start))
            records = list(_records(maker, batch))
            with transactions() as tx:
                tx.records.add(records)
                tx.commit()
            stored += len(records)
            advance(len(batch))
    if db.backend == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    return stored, time.perf_counter() - started


@dataclass
class Timings:
    """Milliseconds per query type, and how many queries found what they were drawn from."""

    ms: dict[str, list[float]] = field(default_factory=lambda: {t: [] for t in TYPES})
    found: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TYPES, 0))

    def all(self) -> list[float]:
        return [value for values in self.ms.values() for value in values]


def _found(query: Query, records: list[Record]) -> bool:
    if query.kind != "document":
        return bool(records)
    return any(isinstance(r.details, Document) and r.details.number == query.document_number
               for r in records)


def run_queries(service: RecordService, queries: list[Query], label: str) -> Timings:
    """Time every query through the service."""
    caller = analyst_caller()
    timings = Timings()
    clock = time.perf_counter
    with progress(label, len(queries)) as advance:
        for query in queries:
            wanted = query.record_query()
            started = clock()
            page = service.search(caller, wanted, None, LIMIT)
            elapsed = (clock() - started) * 1000
            timings.ms[query.kind].append(elapsed)
            timings.found[query.kind] += _found(query, page.records)
            advance(1)
    return timings


def _naive_statement(backend: Backend) -> Select[tuple[dict[str, Any]]]:
    """The latest bodies whose JSON text contains ``:pattern``, first 20 by id."""
    body = RECORD_VERSIONS.c.body
    pattern: BindParameter[str] = bindparam("pattern", type_=Text())
    matches = cast(body, Text).ilike(pattern) if backend == "postgresql" else \
        cast(body, Text).like(pattern)
    return latest_bodies().where(matches).order_by(RECORDS.c.id).limit(LIMIT)


def baseline(db: Database, queries: list[Query]) -> list[float]:
    """Milliseconds of the naive ``LIKE '%text%'`` scan for each query."""
    statement = _naive_statement(db.backend)
    times: list[float] = []
    with progress(f"{db.backend}: naive LIKE baseline", len(queries)) as advance, \
            db.engine.connect() as connection:
        for query in queries:
            literal = query.document_number if query.kind == "document" else query.text
            pattern = "%" + literal.replace("%", "").replace("_", "") + "%"
            started = time.perf_counter()
            connection.execute(statement, {"pattern": pattern}).fetchall()
            times.append((time.perf_counter() - started) * 1000)
            advance(1)
    return times


def _percentiles(prefix: str, rounds: list[list[float]]) -> dict[str, float]:
    return {f"{prefix}_{name}_ms": median([percentile(r, q) for r in rounds])
            for name, q in (("p50", 50), ("p95", 95), ("p99", 99))}


def summarise(backend: Backend, rounds: list[Timings]) -> dict[str, object]:
    """Per type and overall: median over rounds of each round's percentiles."""
    figures: dict[str, object] = {}
    for kind in TYPES:
        per_round = [r.ms[kind] for r in rounds]
        stats = _percentiles(f"search_{kind}", per_round)
        found = sum(r.found[kind] for r in rounds)
        total = sum(len(r.ms[kind]) for r in rounds)
        write(f"# {backend} {kind:<8} n={total:>5}  p50 {stats[f'search_{kind}_p50_ms']:7.2f} ms"
              f"  p95 {stats[f'search_{kind}_p95_ms']:7.2f} ms"
              f"  p99 {stats[f'search_{kind}_p99_ms']:7.2f} ms"
              f"  max {max(max(r) for r in per_round):7.2f} ms  found {found / total:.1%}")
        figures[f"search_p99_ms_{kind}"] = stats[f"search_{kind}_p99_ms"]
    overall = _percentiles("search", [r.all() for r in rounds])
    p99s = ", ".join(f"{percentile(r.all(), 99):.2f}" for r in rounds)
    write(f"# {backend} overall p50 {overall['search_p50_ms']:.2f} ms, p95 "
          f"{overall['search_p95_ms']:.2f} ms, p99 {overall['search_p99_ms']:.2f} ms "
          f"(p99 per round: {p99s})")
    figures.update(overall)
    return figures


def bench_backend(backend: Backend, args: argparse.Namespace,
                  directory: Path) -> dict[str, object]:
    """Load (or reuse) the people, then warm up, time the rounds and the baseline."""
    name = f"passerelle_bench_search_{args.people}"
    with fresh_database(backend, name, directory, keep=args.keep, reuse=args.reuse) as db:
        transactions = SqlUnitOfWorkFactory(db.engine, AUDIT_KEY.encode(), SystemClock())
        with transactions() as tx:
            existing = tx.records.count()
        figures: dict[str, object] = {"backend": backend, "people": args.people}
        if args.reuse and existing == 2 * args.people:
            note(f"{backend}: reusing {existing:,} stored records")
            figures["records"] = existing
        else:
            if existing:
                raise SystemExit(f"{name} holds {existing:,} records; drop it or use --reuse")
            with collector_paused():  # loading is not what is measured
                records, seconds = load(db, args.people, args.seed)
            write(f"# {backend} load: {records:,} records in {seconds:,.1f} s = "
                  f"{records / seconds:,.0f} records/s")
            figures.update(records=records, load_s=seconds, load_records_per_s=records / seconds)
        service = RecordService(transactions, SystemClock(), AGENCY)
        rng = random.Random(args.seed + 1)
        run_queries(service, make_queries(WARMUP, args.people, args.seed, rng),
                    f"{backend}: warm-up")
        rounds = [run_queries(service, make_queries(args.queries, args.people, args.seed, rng),
                              f"{backend}: round {i + 1}/{args.rounds}")
                  for i in range(args.rounds)]
        figures.update(queries=args.queries, rounds=args.rounds)
        figures.update(summarise(backend, rounds))
        if args.baseline_queries:
            naive = baseline(db, make_queries(args.baseline_queries, args.people, args.seed, rng))
            figures["baseline_like_p50_ms"] = percentile(naive, 50)
            figures["baseline_like_max_ms"] = max(naive)
            write(f"# {backend} naive LIKE baseline, {len(naive)} queries: p50 "
                  f"{percentile(naive, 50):,.1f} ms, max {max(naive):,.1f} ms "
                  f"(indexed search p50 {figures['search_p50_ms']:.2f} ms)")
    return figures


def _final(lines: list[dict[str, object]], chosen: tuple[Backend, ...], people: int) -> None:
    for figures in lines:
        write(figures_line(figures))
    if len(lines) == 1:
        return
    combined: dict[str, object] = {"backend": ",".join(chosen), "people": people}
    p99: Callable[[dict[str, object]], float] = lambda f: float(f["search_p99_ms"])  # type: ignore[arg-type]  # noqa: E731
    combined.update({f"search_p99_ms_{f['backend']}": p99(f) for f in lines})
    combined["search_p99_ms"] = max(p99(f) for f in lines)
    write(figures_line(combined))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=2000, help="queries per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--backend", default="both", help="sqlite, postgresql or both")
    parser.add_argument("--baseline-queries", type=int, default=10,
                        help="naive LIKE scans to time (0: none)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workdir", default=None, help="where SQLite files go")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument("--reuse", action="store_true",
                        help="use the databases a --keep run left, if they hold --people")
    args = parser.parse_args()
    if (args.keep or args.reuse) and args.workdir is None:
        args.workdir = "/tmp/passerelle-bench"
    chosen = backends(args.backend)
    write(f"# machine: {machine()}")
    if "postgresql" in chosen:
        write(f"# PostgreSQL {postgres_version()} on 127.0.0.1:5432")
    with work_directory(args.workdir) as workdir:
        lines = [bench_backend(b, args, Path(workdir)) for b in chosen]
    _final(lines, chosen, args.people)


if __name__ == "__main__":
    main()
