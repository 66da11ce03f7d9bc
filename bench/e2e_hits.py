"""End to end: a border node screens a traveller list against 100,000 partner alerts, its
reviewer confirms hits, and the issuer's node learns of each one, through a crash of the issuer.

Four agencies, three of them issuers (fr, es, be: a third of the alerts each) and ma the node
that screens. ma and fr each run as ``passerelle serve`` runs a node (``e2e_hits_nodes``): in a
process of its own on loopback, with the screening worker and the outbox sender in threads;
every node-to-node request is signed and checked. Targets, on the 2-core machine of
bench/README.md:

1. **Setup** (not timed in ``queue_s``): ``--alerts`` alerts on as many fictional people held
   at ma, loaded through the receiving path (``e2e_hits_data``); fr holds its own.
2. ``queue_s`` < 60 s: from the upload of ``--travellers`` travellers (``--planted`` of them
   alert subjects, recorded otherwise) to the job done, every candidate in ma's review queue;
   also ``candidates`` and ``planted_recall``.
3. ``hit_p99_ms`` < 1,000 ms: ``--hits`` candidates on fr's alerts confirmed one at a time
   through ma's API, each timed from the confirm request's start until fr's node announces
   the hit on its live notices (``GET /api/v1/events``; ``e2e_hits_confirm``).
4. ``lost`` = 0: after half of them fr is killed (SIGKILL); ``--down-hits`` are confirmed while
   it is down (``delayed``, not in the percentiles); fr is started again on the same database
   and port; ``recovery_s`` is how long after fr answered again its inbox held the hits
   confirmed while it was down (ma's outbox backs off while fr is unreachable); then the rest
   are confirmed and timed as the first half. ``lost``: confirmed hits fr's inbox does not
   hold at the end (within ``--recovery-timeout``).

bench/README.md says exactly what each figure is. Progress goes to stderr; stdout gets comment
lines (``#``) and, last, one line of ``key=value`` figures.

    .venv/bin/python bench/e2e_hits.py
    .venv/bin/python bench/e2e_hits.py --alerts 3000 --travellers 1000 --planted 60 --hits 20
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import sqlite3
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import text

from common import (
    Database,
    analyst_caller,
    backends,
    figures_line,
    fresh_database,
    machine,
    note,
    postgres_version,
    progress,
    work_directory,
    write,
)
from e2e_hits_confirm import POLL_S, await_inbox, confirm_hits, describe_hits, hit_figures
from e2e_hits_data import (
    FINDER,
    ISSUERS,
    OTHERS_START,
    TIMED_ISSUER,
    Planted,
    TravellerList,
    Watched,
    deliver,
    import_own,
    make_alerts,
    make_travellers,
    matcher_baseline,
    recall,
    receive_records,
    records_of,
    to_confirm,
)
from e2e_hits_nodes import Api, EventStream, Nodes, ServedNode, user_token
from federation_nodes import (
    JUSTIFICATION,
    LOOPBACK,
    BenchNode,
    loopback_socket,
    make_node,
    trust,
)
from passerelle.bootstrap import node_caller
from passerelle.domain.transfers import BasisKind
from passerelle.domain.users import Role
from passerelle.services.screening import RECORDS_MARK
from passerelle.synthetic import PeopleGenerator

TARGETS = {"queue_s": 60.0, "hit_p99_ms": 1000.0}
SCREENING_TIMEOUT_S = 900.0  # fifteen times the target: the worker failed if it takes longer
READING = "end-to-end benchmark on synthetic, fictional travellers and alerts"
AGREEMENT = ("fictional bilateral police cooperation agreement, Art. 12",
             "counter-terrorism cooperation between the four partners")


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", default="sqlite", help="sqlite or postgresql")
    parser.add_argument("--alerts", type=int, default=100_000, help="alerts held at ma")
    parser.add_argument("--travellers", type=int, default=10_000, help="travellers screened")
    parser.add_argument("--planted", type=int, default=400, help="travellers who are alert "
                        "subjects: half on fr's alerts, a quarter each on es's and be's (400)")
    parser.add_argument("--hits", type=int, default=200, help="candidates on fr's alerts "
                        "confirmed one at a time (200)")
    parser.add_argument("--down-hits", type=int, help="of those, confirmed while fr is down "
                        "(a fifth)")
    parser.add_argument("--hit-timeout", type=float, default=30.0,
                        help="longest wait for one hit to reach fr while it is up (30 s)")
    parser.add_argument("--recovery-timeout", type=float, default=300.0,
                        help="longest wait for the hits confirmed while fr was down, after "
                        "fr is back (300 s; ma's outbox asks a partner it could not reach "
                        "again within 30 s at most)")
    parser.add_argument("--baseline-travellers", type=int,
                        help="travellers the matcher alone screens, as the baseline of "
                        "queue_s (default: the whole list; 0: none)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workdir", help="where SQLite files and node keys go (default: a "
                        "temporary directory)")
    args = parser.parse_args(argv)
    if len(backends(args.backend)) != 1:
        raise SystemExit("one backend at a time: sqlite or postgresql")
    if args.down_hits is None:
        args.down_hits = args.hits // 5
    if args.baseline_travellers is None:
        args.baseline_travellers = args.travellers
    return args


def _port() -> int:
    sock = loopback_socket()
    port = int(sock.getsockname()[1])
    sock.close()  # the node's process binds it; SO_REUSEADDR lets it be taken again at once
    return port


def _settled(db: Database) -> None:
    """What the database would soon do on its own after a bulk load: PostgreSQL's statistics
    (autovacuum), SQLite's log checkpointed into the file."""
    if db.backend == "postgresql":
        with db.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                text("VACUUM ANALYZE"))
    db.engine.dispose()
    if db.backend == "sqlite":  # outside the engine, whose connections begin a transaction
        with contextlib.closing(sqlite3.connect(str(db.engine.url.database),
                                                timeout=60)) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()


def wire(ma: BenchNode, fr: BenchNode, ma_base: str, fr_base: str) -> None:
    """Each trusts the other's key and URL; the legal bases a partner outside the EU needs
    (ma: for fr, es and be; fr: for ma), recorded before anything is stored, as at set-up."""
    trust(ma, fr, f"{fr_base}taxii/")
    trust(fr, ma, f"{ma_base}taxii/")
    for node, partners in ((ma, ISSUERS), (fr, (FINDER,))):
        for partner in partners:
            node.node.federation.record_basis(node_caller(node.agency, JUSTIFICATION),
                                              partner, BasisKind.AGREEMENT, *AGREEMENT)


def load(ma: BenchNode, fr: BenchNode, count: int, seed: int
         ) -> tuple[list[Watched], float]:
    """The alerts, held at ma and fr's at fr (see ``e2e_hits_data``); the seconds it took."""
    started = time.perf_counter()
    alerts = make_alerts(count, seed, dt.datetime.now(dt.UTC))
    own = records_of(alerts, TIMED_ISSUER)
    with progress("fr stores its alerts", len(own)) as advance:
        import_own(fr.node, analyst_caller(), own, advance)
    for issuer in ISSUERS:
        if issuer == TIMED_ISSUER:
            with progress("fr's outbox to ma", len(own)) as advance:
                deliver(fr.node, ma.node, advance)
            continue
        theirs = records_of(alerts, issuer)
        with progress(f"{issuer}'s alerts to ma", len(theirs)) as advance:
            receive_records(ma.node, issuer, theirs, advance)
    # In the field these subjects were screened as they arrived, over months; here they
    # arrive in a minute, so ma's worker starts after them (see bench/README.md).
    with ma.node.transactions() as tx:
        head = tx.audit.head()
        tx.screening.set_mark(RECORDS_MARK, head.seq if head is not None else 0)
        tx.commit()
    return alerts, time.perf_counter() - started


def _wait_job(api: Api, events: EventStream | None, job_id: str, timeout: float) -> float:
    """When the job was done: its ``screening`` notice's arrival, else the poll that saw it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if events is not None:
            seen = events.wait_for("screening", job_id, 1.0)
            if seen is not None and seen[1].get("status") == "done":
                return seen[0]
        else:
            time.sleep(POLL_S)
        job = api.ok("GET", f"/screenings/{job_id}").json()
        if job["status"] == "done":
            return time.perf_counter()
        if job["status"] == "failed":
            raise SystemExit(f"screening job {job_id} failed: {job['error']}")
    raise SystemExit(f"screening job {job_id} not done within {timeout:.0f} s")


def _submit(api: Api, name: str, rows: list[dict[str, Any]]) -> str:
    response = api.ok("POST", "/screenings", 202, json={"name": name, "travellers": rows})
    return str(response.json()["id"])


def warm_up(nodes: Nodes, seed: int) -> float:
    """One-traveller lists on fr and ma, waited for: both workers have built their
    watchlists; the seconds it took."""
    started = time.perf_counter()
    person = PeopleGenerator(seed).person(OTHERS_START - 1)
    row = {"id": "WARM-UP", "full_name": f"{person.name.given} {person.name.family}"}
    fr_job = _submit(nodes.fr_analyst, "warm-up", [row])
    ma_job = _submit(nodes.ma_analyst, "warm-up", [row])
    _wait_job(nodes.fr_analyst, None, fr_job, SCREENING_TIMEOUT_S)
    _wait_job(nodes.ma_reviewer, nodes.ma_events, ma_job, SCREENING_TIMEOUT_S)
    return time.perf_counter() - started


def screen(nodes: Nodes, rows: list[dict[str, Any]], planted: dict[str, Planted]
           ) -> tuple[dict[str, float], list[dict[str, Any]]]:
    """Upload the list to ma and wait for its job; its figures and candidates."""
    note(f"ma screens {len(rows):,} travellers")
    started = time.perf_counter()
    job_id = _submit(nodes.ma_analyst, "AT 0981 Paris-Casablanca (benchmark)", rows)
    uploaded = time.perf_counter()
    done = _wait_job(nodes.ma_reviewer, nodes.ma_events, job_id, SCREENING_TIMEOUT_S)
    job = nodes.ma_analyst.ok("GET", f"/screenings/{job_id}").json()
    queue = [c for c in nodes.ma_reviewer.every("/candidates") if c["job_id"] == job_id]
    if len(queue) != job["candidates"] or job["done"] != len(rows):
        raise SystemExit(f"the job screened {job['done']} of {len(rows)} travellers and "
                         f"counts {job['candidates']} candidates; the queue holds {len(queue)}")
    figures = {"queue_s": done - started, "upload_s": uploaded - started,
               "candidates": float(len(queue)), **recall(queue, planted)}
    write(f"# ma screened {len(rows):,} travellers against the alerts in "
          f"{figures['queue_s']:.1f} s (upload {figures['upload_s']:.2f} s): "
          f"{len(queue)} candidates; planted travellers found: "
          f"{figures['planted_recall']:.1%} of {len(planted)} "
          f"(Arabic script {figures['planted_recall_arabic']:.1%} of "
          f"{figures['planted_arabic']:.0f}, day and month swapped "
          f"{figures['planted_recall_swapped']:.1%} of {figures['planted_swapped']:.0f})")
    return figures, queue


def serve_and_measure(args: argparse.Namespace, ma: BenchNode, fr: BenchNode,
                      ports: dict[str, int], dbs: dict[str, Database], directory: Path,
                      travellers: TravellerList) -> dict[str, float]:
    """Serve fr and ma, screen, confirm, crash fr; the figures."""
    tokens = {("ma", Role.ANALYST): user_token(ma.node, "analyst.ma", Role.ANALYST),
              ("ma", Role.REVIEWER): user_token(ma.node, "reviewer.ma", Role.REVIEWER),
              ("fr", Role.ANALYST): user_token(fr.node, "analyst.fr", Role.ANALYST)}
    for db in dbs.values():
        _settled(db)
    figures: dict[str, float] = {}
    with ServedNode(dbs["fr"], "fr", ports["fr"], directory / "fr.key") as fr_served, \
            ServedNode(dbs["ma"], "ma", ports["ma"], directory / "ma.key") as ma_served, \
            Api(ma_served.base, tokens[("ma", Role.ANALYST)], READING) as ma_analyst, \
            Api(ma_served.base, tokens[("ma", Role.REVIEWER)], READING) as ma_reviewer, \
            Api(fr_served.base, tokens[("fr", Role.ANALYST)], READING) as fr_analyst, \
            EventStream(ma_served.base, tokens[("ma", Role.REVIEWER)], "ma-events") as ma_ev, \
            EventStream(fr_served.base, tokens[("fr", Role.ANALYST)], "fr-events") as fr_ev:
        nodes = Nodes(ma_served, fr_served, ma_analyst, ma_reviewer, fr_analyst, ma_ev, fr_ev)
        figures["warmup_s"] = warm_up(nodes, args.seed)
        note(f"both workers ready after {figures['warmup_s']:.1f} s")
        screened, queue = screen(nodes, travellers.rows, travellers.planted)
        figures.update(screened)
        chosen = to_confirm(queue, travellers.planted, args.hits)
        if len(chosen) < args.hits:
            note(f"only {len(chosen)} candidates on fr's alerts to confirm ({args.hits} asked)")
        run = confirm_hits(nodes, chosen, args.down_hits,
                           (args.hit_timeout, args.recovery_timeout))
        held = await_inbox(nodes, run.hits, time.perf_counter() + args.hit_timeout)
        figures.update(hit_figures(run, held))
        pending = ma.node.outbox.pending_counts()
        figures["outbox_pending"] = float(sum(pending.values()))
        describe_hits(figures, pending)
    return figures


def baseline(alerts: list[Watched], travellers: TravellerList, sample: int,
             queue_s: float) -> dict[str, float]:
    """The matcher alone on the same alerts and the first ``sample`` travellers, in this
    process, the nodes stopped (see ``e2e_hits_data.matcher_baseline``)."""
    if sample <= 0:
        return {}
    note(f"baseline: the matcher alone, {len(alerts):,} alerts, {sample:,} travellers")
    index_s, per_traveller_s = matcher_baseline(alerts, travellers.rows[:sample])
    figures = {"matcher_index_s": index_s, "matcher_ms": per_traveller_s * 1000,
               "queue_ms": queue_s * 1000 / len(travellers.rows)}
    write(f"# baseline: the matcher alone in one process indexes the {len(alerts):,} alerts' "
          f"subjects in {index_s:.1f} s and screens a traveller in "
          f"{figures['matcher_ms']:.2f} ms ({sample:,} travellers); through ma's API, worker "
          f"and database: {figures['queue_ms']:.2f} ms a traveller")
    return figures


def run(args: argparse.Namespace) -> dict[str, object]:
    """Set up, serve, measure; the figures of the last line."""
    backend = backends(args.backend)[0]
    result: dict[str, object] = {"backend": backend, "alerts": args.alerts,
                                 "travellers": args.travellers, "planted": args.planted}
    with work_directory(args.workdir) as workdir:
        directory = Path(workdir)
        with fresh_database(backend, "passerelle_bench_e2e_ma", directory) as ma_db, \
                fresh_database(backend, "passerelle_bench_e2e_fr", directory) as fr_db:
            ma = make_node(ma_db, "ma", directory / "ma.key")
            fr = make_node(fr_db, "fr", directory / "fr.key")
            ports = {"ma": _port(), "fr": _port()}
            wire(ma, fr, f"http://{LOOPBACK}:{ports['ma']}/", f"http://{LOOPBACK}:{ports['fr']}/")
            alerts, load_s = load(ma, fr, args.alerts, args.seed)
            write(f"# set-up: {args.alerts:,} alerts and their subjects stored at ma "
                  f"({len(records_of(alerts, TIMED_ISSUER)):,} records of fr's also at fr) "
                  f"in {load_s:.1f} s")
            travellers = make_travellers(alerts, args.travellers, args.planted, args.seed)
            figures = serve_and_measure(args, ma, fr, ports, {"ma": ma_db, "fr": fr_db},
                                        directory, travellers)
    result["load_s"] = load_s
    result.update(figures)
    result.update(baseline(alerts, travellers, min(args.baseline_travellers, args.travellers),
                           figures["queue_s"]))
    for key in ("candidates", "hits", "delayed", "lost", "planted_arabic", "planted_swapped",
                "outbox_pending"):
        if key in result:
            result[key] = int(float(str(result[key])))
    return result


def report_targets(figures: dict[str, object]) -> None:
    """One comment line per target: met or missed."""
    for key, target in TARGETS.items():
        value = figures.get(key)
        if isinstance(value, float):
            write(f"# target {key}: {value:,.1f} against {target:,.0f}: "
                  f"{'met' if value < target else 'MISSED'}")
    write(f"# target lost: {figures.get('lost')} against 0: "
          f"{'met' if figures.get('lost') == 0 else 'MISSED'}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; the last stdout line holds the figures."""
    args = parse(argv)
    write(f"# machine: {machine()}")
    if args.backend == "postgresql":
        write(f"# PostgreSQL {postgres_version()} on 127.0.0.1:5432")
    figures = run(args)
    report_targets(figures)
    write(figures_line(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
