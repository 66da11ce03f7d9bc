"""Federation between Passerelle nodes over TAXII 2.1, timed over real HTTP on loopback.

Targets (issue 4), on the 2-core machine of bench/README.md:

1. **Sync**: node ``es`` pulls 20,000 records released to it by node ``fr`` at >= 2,000
   objects/s, on SQLite and on PostgreSQL. Node ``fr`` stores fictional people's person and
   document records through the file-import path (``ImportService``, which plans the
   partners' feeds); ``es`` runs ``federation.pull.Puller`` with a real httpx client against
   ``fr``'s API served by uvicorn, every request signed (RFC 9421). Baseline in the same run:
   the same objects imported from a STIX file into ``fr`` (``import_objs_per_s``).
2. **Pages**: p50/p99 of one signed ``GET .../objects/?limit=100&added_after=<random
   position>`` on ``fr``'s TAXII server, with 10,000, 100,000 and 1,000,000 objects in the
   ``es`` collection (loaded in bulk, see ``federation_feed``); p99 < 50 ms at 1M, flat.
3. **medallion**, the OASIS reference TAXII server (memory backend), loaded with 1,000, 2,000
   and 5,000 indicators and asked for pages the same way (``federation_medallion``).
4. **Push latency** of urgent objects: fr's outbox posts one object at a time to es's inbox
   (``federation_push``); ``push_p99_ms=nan`` where the code base has no outbox.

bench/README.md says exactly what each figure is. Progress goes to stderr; stdout gets comment
lines (``#``) and, last, one line of ``key=value`` figures.

    .venv/bin/python bench/federation.py --backend both --sizes 10000,100000,1000000
    .venv/bin/python bench/federation.py --quick      # a smoke run of a minute or two
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import httpx
import orjson
from sqlalchemy import func, select

from common import (
    Backend,
    Database,
    analyst_caller,
    backends,
    figures_line,
    fresh_database,
    machine,
    median,
    note,
    postgres_version,
    progress,
    work_directory,
    write,
)
from federation_feed import (
    PAGE_LIMIT,
    PARTNER,
    FeedLoader,
    Fetch,
    FictionalRecords,
    Latency,
    time_pages,
)
from federation_medallion import Medallion, MedallionPages, installed, medallion_client, write_data
from federation_nodes import (
    JUSTIFICATION,
    BenchNode,
    TimedClient,
    make_node,
    objects_path,
    served_apart,
    signed_client,
    taxii_time,
    trust,
)
from federation_push import available, bench_push
from passerelle.bootstrap import node_caller
from passerelle.federation.keys import NodeKey
from passerelle.federation.pull import PAGE, Puller, PullReport
from passerelle.interop.stix import bundle
from passerelle.interop.stix.pipeline import read_in_chunks
from passerelle.services.imports import ImportStatus
from passerelle.storage.schema import RECORDS, RELEASES

FULL = {"records": 20_000, "sizes": "10000,100000,1000000", "medallion_sizes": "1000,2000,5000",
        "runs": 3, "queries": 500, "rounds": 3, "pushes": 300}
QUICK = {"records": 2_000, "sizes": "1000,5000", "medallion_sizes": "200,500", "runs": 1,
         "queries": 200, "rounds": 1, "pushes": 30}
TARGETS = {"sync_objs_per_s": 2000.0, "page_p99_ms_1m": 50.0}


def label(size: int) -> str:
    """``1k``, ``100k``, ``1m``: the size in a figure's key."""
    if size % 1_000_000 == 0:
        return f"{size // 1_000_000}m"
    if size % 1000 == 0:
        return f"{size // 1000}k"
    return str(size)


def _candidates(chunks: Iterator[list[Any]], advance: Callable[[int], None]
                ) -> Iterator[list[Any]]:
    for chunk in chunks:
        found = [o.record if o.record is not None else o.error for o in chunk
                 if not o.is_context]
        yield found
        advance(len(found))


def _import(fr: BenchNode, data: bytes, count: int, what: str) -> float:
    """Import the bundle into ``fr`` as ``passerelle import`` does; the seconds it took."""
    with progress(f"{what}: import {count:,} records into fr", count) as advance:
        started = time.perf_counter()
        outcomes = fr.node.imports.import_stream(
            analyst_caller(), _candidates(read_in_chunks(data, default_owner="fr"), advance),
            atomic=True)
        seconds = time.perf_counter() - started
    created = sum(o.status is ImportStatus.CREATED for o in outcomes)
    if created != count:
        raise SystemExit(f"the import created {created} records of {count}")
    return seconds


def _count(db: Database, statement: Any) -> int:
    with db.engine.connect() as connection:
        return int(connection.scalar(statement) or 0)


def _pull(es: BenchNode, count: int, page_size: int, what: str
          ) -> tuple[PullReport, float, TimedClient]:
    made: list[TimedClient] = []

    def clients(base_url: str) -> httpx.Client:
        client = TimedClient(base_url=base_url, timeout=60.0, follow_redirects=False)
        made.append(client)
        return client

    with progress(f"{what}: es pulls from fr", count) as advance:
        done = [0]

        def moved(report: PullReport) -> None:
            now = report.received + report.unchanged + len(report.rejected)
            advance(now - done[0])
            done[0] = now

        started = time.perf_counter()
        report = Puller(es.node, es.key, clients).pull("fr", page_size=page_size,
                                                      progress=moved)
        seconds = time.perf_counter() - started
    return report, seconds, made[0]


def make_bundle(count: int, seed: int) -> bytes:
    """The STIX bundle of ``count`` records releasable to es (Passerelle's exporter)."""
    with progress("generate records", count) as advance:
        records = FictionalRecords(seed).take(count)
        advance(count)
    return orjson.dumps(bundle(records))


def sync_once(backend: Backend, data: bytes, count: int, page_size: int, directory: Path,
              run: int) -> dict[str, float]:
    """Import the bundle into a fresh fr, then have a fresh es pull it over HTTP."""
    with fresh_database(backend, "passerelle_bench_federation_fr", directory) as fr_db, \
            fresh_database(backend, "passerelle_bench_federation_es", directory) as es_db:
        fr, es = make_node(fr_db, "fr"), make_node(es_db, "es")
        import_s = _import(fr, data, count, f"{backend} run {run}")
        shared = _count(fr_db, select(func.count()).select_from(RELEASES)
                        .where(RELEASES.c.partner == PARTNER))
        if shared != count:
            raise SystemExit(f"fr planned {shared} records for es, {count} expected")
        trust(fr, es, "http://es.invalid/taxii/")  # es pulls; it serves nothing here
        with served_apart(fr_db, "fr") as url:
            trust(es, fr, f"{url}taxii/")
            report, sync_s, client = _pull(es, count, page_size, f"{backend} run {run}")
        held = _count(es_db, select(func.count()).select_from(RECORDS))
    if report.received != count or report.rejected or held != count:
        raise SystemExit(f"es received {report.received} of {count} (held {held}); "
                         f"rejected: {report.rejected[:3]}")
    figures = {"sync_objs_per_s": count / sync_s, "sync_s": sync_s,
               "sync_fetch_s": client.waited_s, "sync_mb": client.received_bytes / 1e6,
               "import_objs_per_s": count / import_s, "import_s": import_s}
    write(f"# {backend} sync run {run}: {count:,} records in {sync_s:.2f} s = "
          f"{figures['sync_objs_per_s']:,.0f} objects/s, {report.pages} pages of "
          f"{page_size} ({figures['sync_mb']:.1f} MB); requests to fr (while es applies the "
          f"page before) {client.waited_s:.2f} s; baseline: the same records "
          f"imported from a file into fr in {import_s:.2f} s = "
          f"{figures['import_objs_per_s']:,.0f} objects/s")
    return figures


def bench_sync(backend: Backend, data: bytes, count: int, page_size: int, runs: int,
               directory: Path) -> dict[str, float]:
    """``runs`` syncs; each figure is the median over the runs."""
    results = [sync_once(backend, data, count, page_size, directory, run)
               for run in range(1, runs + 1)]
    figures = {key: median([r[key] for r in results]) for key in results[0]}
    rates = [r["sync_objs_per_s"] for r in results]
    figures.update(sync_objs_per_s_min=min(rates), sync_objs_per_s_max=max(rates))
    return figures


def passerelle_pages(client: httpx.Client, loader: FeedLoader) -> Fetch:
    """Signed page requests to fr's TAXII server, ``added_after`` a feed position."""
    path = objects_path("fr")

    def fetch(position: int) -> tuple[int, int]:
        response = client.get(path, params={"limit": PAGE_LIMIT,
                                            "added_after": taxii_time(loader.stamp(position))})
        if response.status_code != 200:
            raise SystemExit(f"fr answered {response.status_code}: {response.text[:300]}")
        return len(orjson.loads(response.content).get("objects") or []), len(response.content)

    return fetch


def bench_pages(backend: Backend, sizes: Sequence[int], queries: int, rounds: int,
                directory: Path, seed: int) -> dict[int, list[Latency]]:
    """Grow es's collection on fr through ``sizes``; ``rounds`` rounds of timed pages at each
    size."""
    rng = random.Random(f"pages:{backend}:{seed}")
    found: dict[int, list[Latency]] = {}
    with fresh_database(backend, "passerelle_bench_federation_feed", directory) as db:
        fr, es_key = make_node(db, "fr"), NodeKey.generate()
        fr.node.peers.register(node_caller("fr", JUSTIFICATION), PARTNER,
                               es_key.public_raw_b64(), "http://es.invalid/taxii/")
        loader = FeedLoader(db, seed)
        with served_apart(db, "fr") as url, signed_client(f"{url}taxii/", es_key) as client:
            fetch = passerelle_pages(client, loader)
            for size in sizes:
                with progress(f"{backend}: feed to {size:,}", size - loader.size) as advance:
                    loader.grow_to(size, advance)
                with progress(f"{backend}: pages at {size:,}", queries * rounds) as advance:
                    found[size] = [time_pages(fetch, size, queries, rng, advance)
                                   for _ in range(rounds)]
                _describe_rounds(backend, size, found[size])
    return found


def _describe_rounds(backend: Backend, size: int, rounds: list[Latency]) -> None:
    p50s = ", ".join(f"{r.p50:.1f}" for r in rounds)
    p99s = ", ".join(f"{r.p99:.1f}" for r in rounds)
    write(f"# {backend} pages at {size:,} objects: p50 {median([r.p50 for r in rounds]):.1f} "
          f"ms ({p50s}), p99 {median([r.p99 for r in rounds]):.1f} ms ({p99s}), max "
          f"{max(max(r.times_ms) for r in rounds):.1f} ms; {len(rounds)} rounds of "
          f"{len(rounds[0].times_ms)} requests, {rounds[0].page_bytes / 1000:.0f} kB a page")


def bench_medallion(sizes: Sequence[int], queries: int, budget_s: float, directory: Path,
                    seed: int) -> dict[int, tuple[Latency, list[float]]]:
    """medallion's page times at each size (random positions), and of the ``next`` pages."""
    medallion = Medallion()
    rng = random.Random(f"medallion:{seed}")
    found: dict[int, tuple[Latency, list[float]]] = {}
    for size in sizes:
        data = directory / f"medallion-{size}.json"
        write_data(data, size, seed)
        medallion.load(data)
        with medallion.served() as url, medallion_client(url) as client:
            pages = MedallionPages(client)
            with progress(f"medallion: pages at {size:,}", queries) as advance:
                latency = time_pages(pages, size, queries, rng, advance, warm_up=0,
                                     budget_s=budget_s)
        found[size] = (latency, pages.next_ms)
        write(f"# medallion pages at {size:,} objects: p50 {latency.p50:.1f} ms, max "
              f"{max(latency.times_ms):.1f} ms over {len(latency.times_ms)} requests, "
              f"{latency.page_bytes / 1000:.0f} kB a page; a page after a next token: p50 "
              f"{median(pages.next_ms):.1f} ms")
    return found


def push_figures(backend: Backend, count: int, directory: Path, seed: int
                 ) -> dict[str, float]:
    """p50/p99 of pushing one urgent object from fr to es; nothing without an outbox."""
    latency = bench_push(backend, count, directory, seed)
    if latency is None:
        return {}
    write(f"# {backend} push: p50 {latency.p50:.1f} ms, p99 {latency.p99:.1f} ms, max "
          f"{max(latency.times_ms):.1f} ms over {len(latency.times_ms)} urgent objects, one "
          "at a time, from enqueue to es's 202")
    return {"push_p50_ms": latency.p50, "push_p99_ms": latency.p99}


def _sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise SystemExit(f"sizes are whole numbers separated by commas, not {text!r}") from None
    if any(size <= PAGE_LIMIT for size in sizes):
        raise SystemExit(f"every size must exceed a page ({PAGE_LIMIT} objects)")
    return sizes


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The options; ``--quick`` changes the defaults of those not given."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", default="both", help="sqlite, postgresql or both")
    parser.add_argument("--records", type=int, help="records es pulls from fr (20,000)")
    parser.add_argument("--page-size", type=int, default=PAGE,
                        help=f"objects per page of the pull (the Puller's default, {PAGE})")
    parser.add_argument("--sizes", help="collection sizes for the page latency "
                        "(10000,100000,1000000)")
    parser.add_argument("--medallion-sizes", help="collection sizes for medallion and "
                        "Passerelle side by side (1000,2000,5000; empty: skip medallion)")
    parser.add_argument("--runs", type=int, help="syncs per backend, each into fresh "
                        "databases (3)")
    parser.add_argument("--queries", type=int, help="timed pages per size and round (500)")
    parser.add_argument("--rounds", type=int, help="rounds of timed pages per size (3)")
    parser.add_argument("--pushes", type=int, help="urgent objects pushed one at a time, "
                        "timed, per backend (300)")
    parser.add_argument("--medallion-queries", type=int, default=5,
                        help="timed medallion pages per size, at most (5)")
    parser.add_argument("--medallion-budget-s", type=float, default=60.0,
                        help="stop timing medallion at a size after this long (60 s; one "
                        "page at least)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workdir", help="where SQLite files and medallion data go "
                        "(default: a temporary directory)")
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 2,000 records, sizes 1000,5000, medallion 200,500")
    args = parser.parse_args(argv)
    for name, value in (QUICK if args.quick else FULL).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    return args


def _headline(per_backend: dict[str, dict[str, float]], key: str, worst: Callable[..., float]
              ) -> dict[str, float]:
    values = {backend: figures[key] for backend, figures in per_backend.items()
              if key in figures}
    found = {f"{key}_{backend}": value for backend, value in values.items()}
    if values:
        found[key] = worst(values.values())
    return found


def run(args: argparse.Namespace) -> dict[str, object]:
    """Every part of the benchmark; the figures of the last line."""
    chosen = backends(args.backend)
    sizes, side = _sizes(args.sizes), _sizes(args.medallion_sizes)
    with_medallion = bool(side) and installed()
    if side and not with_medallion:
        note("medallion is not installed (pip install -e '.[bench]'): skipped")
    series = sorted(set(sizes) | set(side if with_medallion else []))
    per_backend: dict[str, dict[str, float]] = {}
    medallion: dict[int, tuple[Latency, list[float]]] = {}
    with work_directory(args.workdir) as workdir:
        directory = Path(workdir)
        data = make_bundle(args.records, args.seed)
        for backend in chosen:
            figures = bench_sync(backend, data, args.records, args.page_size, args.runs,
                                 directory)
            for size, rounds in bench_pages(backend, series, args.queries, args.rounds,
                                            directory, args.seed).items():
                figures[f"page_p50_ms_{label(size)}"] = median([r.p50 for r in rounds])
                figures[f"page_p99_ms_{label(size)}"] = median([r.p99 for r in rounds])
            figures.update(push_figures(backend, args.pushes, directory, args.seed))
            per_backend[backend] = figures
        if with_medallion:
            medallion = bench_medallion(side, args.medallion_queries, args.medallion_budget_s,
                                        directory, args.seed)
    result: dict[str, object] = {"backend": ",".join(chosen), "records": args.records,
                                 "page_size": args.page_size, "runs": args.runs,
                                 "queries": args.queries, "rounds": args.rounds}
    for key in ("import_objs_per_s", "sync_objs_per_s_min", "sync_objs_per_s_max",
                "sync_objs_per_s", "sync_s", "sync_fetch_s"):
        result.update(_headline(per_backend, key, min if "per_s" in key else max))
    for size in series:
        for quantile in ("p50", "p99"):
            result.update(_headline(per_backend, f"page_{quantile}_ms_{label(size)}", max))
    for size, (latency, following) in medallion.items():
        result[f"medallion_page_ms_{label(size)}"] = latency.p50
        result[f"medallion_pages_{label(size)}"] = len(latency.times_ms)
        result[f"medallion_next_page_ms_{label(size)}"] = median(following)
        result[f"passerelle_page_ms_{label(size)}"] = result[f"page_p50_ms_{label(size)}"]
    if available():
        for key in ("push_p50_ms", "push_p99_ms"):
            result.update(_headline(per_backend, key, max))
    else:
        note("push latency not measured yet: there is no outbox (passerelle.federation.outbox)")
        result["push_p99_ms"] = float("nan")
    return result


def report_targets(figures: dict[str, object]) -> None:
    """One comment line per target: met or missed."""
    for key, target in TARGETS.items():
        value = figures.get(key)
        if not isinstance(value, float):
            continue
        met = value >= target if key.endswith("per_s") else value < target
        write(f"# target {key}: {value:,.1f} against {target:,.0f}: "
              f"{'met' if met else 'MISSED'}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; the last stdout line holds the figures."""
    args = parse(argv)
    write(f"# machine: {machine()}")
    if "postgresql" in backends(args.backend):
        write(f"# PostgreSQL {postgres_version()} on 127.0.0.1:5432")
    figures = run(args)
    report_targets(figures)
    write(figures_line(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
