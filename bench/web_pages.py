"""Web pages (docs/web.md): how fast the analysts' pages answer on a node holding many
records, against the API answering the same question in the same run.

A node of ``--people`` fictional people (about 4.7 records each), a few hundred alerts,
candidates in the review queue and hits in the inbox (``web_pages_data``) is served as
``passerelle serve`` serves it: ``web.create_site(node)`` (the API, TAXII and the pages) by
uvicorn over real HTTP on a loopback port, in a thread of this process (the screening worker
is not started: the list is screened before serving, and an idle worker's polling would only
add noise). httpx clients sign in as the analyst, the reviewer and the auditor through
``POST /login`` and state their purpose through ``POST /purpose`` (with the form token read
from the page), as a browser does.

Timed, ``--repeat`` times each after ``--warmup`` rounds, from the request sent to the whole
body read: each page, and as its baseline the API calls that answer the same question with
the same session cookie and ``Passerelle-Justification`` header (the purpose the pages pass),
asking for as many items as the page shows. Page and baseline alternate within each round
(page first in even rounds, API first in odd ones), so that a noisy moment hits both. Every
answer must be 200; the rows each one lists are counted.

Medians and p95 in milliseconds are printed as a table (``#`` lines) with the ratio page /
API of the medians, then one line of ``key=value`` figures; ``--json-out`` also writes them as
JSON (under ``bench/out/`` unless a path is given).

    .venv/bin/python bench/web_pages.py                      # SQLite, 10,000 people
    .venv/bin/python bench/web_pages.py --postgres           # PostgreSQL on 127.0.0.1:5432
    .venv/bin/python bench/web_pages.py --people 200 --repeat 3 --json-out
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import sqlite3
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import quote

import httpx
from sqlalchemy import text

from common import (
    Backend,
    Database,
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
from federation_nodes import loopback_socket, make_node, served
from passerelle.api.collector import settle
from passerelle.seeding import planned_counts
from passerelle.web import create_site
from web_pages_data import CASE, JUSTIFICATION, PASSWORD, REASON, USERS, Loaded, load

OUT = Path(__file__).resolve().parent / "out"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
LOGIN_TOKEN = re.compile(r'name="login_token" value="([^"]+)"')
TBODY = re.compile(r"<tbody>(.*?)</tbody>", re.S)
PG_NAME = "passerelle_bench_web_pages"


@dataclass(frozen=True)
class Probe:
    """One page and the API calls that answer the same question (timed together)."""

    key: str
    label: str
    role: str
    page: str
    api: tuple[str, ...]
    shown: str  # the page and the API calls, in short, for the table
    lists: bool = True  # a list, whose rows are counted


@dataclass
class Result:
    """The timings of one probe, in milliseconds, and what the last answers listed."""

    probe: Probe
    page_ms: list[float] = field(default_factory=list)
    api_ms: list[float] = field(default_factory=list)
    part_ms: dict[str, list[float]] = field(default_factory=dict)
    page_rows: int | None = None
    api_rows: int | None = None
    page_kb: float = 0.0
    api_kb: float = 0.0

    def figures(self) -> dict[str, float]:
        """Median and p95 of the page and the baseline, and their ratio."""
        page, api = median(self.page_ms), median(self.api_ms)
        return {"page_p50_ms": page, "page_p95_ms": percentile(self.page_ms, 95),
                "api_p50_ms": api, "api_p95_ms": percentile(self.api_ms, 95),
                "ratio": page / api if api > 0 else float("nan")}


def probes(loaded: Loaded) -> list[Probe]:
    """What is measured (see bench/README.md, "Web pages")."""
    analyst = loaded.users["analyst"]
    rid = loaded.record_id

    def search(key: str, label: str, name: str) -> Probe:
        return Probe(key, f"search, {label}", "analyst", f"/search?name={quote(name)}",
                     (f"/api/v1/records?name={quote(name)}&limit=50",),
                     "/search?name=  |  /records?name=&limit=50")

    username = USERS["analyst"][0]
    return [
        Probe("floor", "purpose form, no data", "analyst", "/purpose", ("/api/v1/me",),
              "/purpose  |  /me", lists=False),
        Probe("dashboard", "dashboard", "analyst", "/", ("/api/v1/hits/deadlines",),
              "/  |  /hits/deadlines (a part)", lists=False),
        search("search_name", "common name", loaded.common_name),
        search("search_spelling", "other spelling", loaded.other_spelling),
        search("search_arabic", "Arabic script", loaded.arabic),
        Probe("record", "person's record", "analyst", f"/records/{rid}",
              (f"/api/v1/records/{rid}", f"/api/v1/records/{rid}/history"),
              "/records/{id}  |  /records/{id} + /history", lists=False),
        Probe("review", "review queue", "reviewer", "/review",
              ("/api/v1/candidates?limit=200",), "/review  |  /candidates?limit=200"),
        Probe("hits", "hits inbox", "analyst", "/hits", ("/api/v1/hits?limit=200",),
              "/hits  |  /hits?limit=200"),
        Probe("audit", "audit by user", "auditor", f"/audit?actor={quote(username)}",
              (f"/api/v1/audit?actor={quote(analyst.principal)}&limit=100",),
              "/audit?actor=  |  /audit?actor=&limit=100"),
    ]


# --- sessions ---------------------------------------------------------------------------------

def _expect(response: httpx.Response, status: int, what: str) -> httpx.Response:
    if response.status_code != status:
        raise SystemExit(f"{what}: {response.status_code} {response.headers.get('location', '')}"
                         f" {response.text[:300]}")
    return response


def signed_in(base: str, username: str) -> httpx.Client:
    """A client signed in through the login form, its purpose stated through the purpose
    form, as a browser does; API calls send the same purpose as their justification."""
    client = httpx.Client(base_url=base, timeout=120.0, follow_redirects=False)
    login = LOGIN_TOKEN.search(_expect(client.get("/login"), 200, "the login form").text)
    if login is None:
        raise SystemExit("the login form carries no token")
    _expect(client.post("/login", data={"username": username, "password": PASSWORD,
                                        "next": "/", "login_token": login.group(1)}),
            303, f"sign in as {username}")
    form = _expect(client.get("/purpose", params={"next": "/"}), 200, "the purpose form")
    token = CSRF.search(form.text)
    if token is None:
        raise SystemExit("the purpose form carries no form token")
    _expect(client.post("/purpose", data={"case": CASE, "reason": REASON, "next": "/",
                                          "csrf": token.group(1)}), 303, "state the purpose")
    return client


def _rows(response: httpx.Response, page: bool) -> int | None:
    """Rows a list page shows (its first table body, placeholder rows left out), or items
    an API page holds."""
    if page:
        body = TBODY.search(response.text)
        if body is None:
            return None
        return sum("colspan" not in row for row in body.group(1).split("<tr")[1:])
    data = response.json()
    return len(data["items"]) if isinstance(data, dict) and "items" in data else None


# --- measuring --------------------------------------------------------------------------------

def _timed(client: httpx.Client, path: str, headers: dict[str, str] | None
           ) -> tuple[float, httpx.Response]:
    started = time.perf_counter()
    response = client.get(path, headers=headers)
    elapsed = (time.perf_counter() - started) * 1000
    return elapsed, _expect(response, 200, f"GET {path}")


def _page(result: Result, client: httpx.Client, keep: bool) -> None:
    elapsed, response = _timed(client, result.probe.page, None)
    if "text/html" not in response.headers.get("content-type", ""):
        raise SystemExit(f"GET {result.probe.page}: not a page")
    if keep:
        result.page_ms.append(elapsed)
        result.page_kb = len(response.content) / 1024
        if result.probe.lists:
            result.page_rows = _rows(response, True)


def _api(result: Result, client: httpx.Client, keep: bool) -> None:
    headers = {"Passerelle-Justification": JUSTIFICATION}
    total = 0.0
    for path in result.probe.api:
        elapsed, response = _timed(client, path, headers)
        total += elapsed
        if keep:
            result.part_ms.setdefault(path, []).append(elapsed)
    if keep:
        result.api_ms.append(total)
        result.api_kb = len(response.content) / 1024
        if result.probe.lists:
            result.api_rows = _rows(response, False)


def measure(base: str, loaded: Loaded, repeat: int, warmup: int) -> list[Result]:
    """Every probe, ``warmup`` rounds then ``repeat`` timed ones, page and API alternating."""
    clients = {role: signed_in(base, username) for role, (username, _, _) in USERS.items()}
    results = [Result(probe) for probe in probes(loaded)]
    try:
        with progress("requests (timed rounds)", repeat * len(results)) as advance:
            for round_number in range(warmup + repeat):
                keep = round_number >= warmup
                for result in results:
                    client = clients[result.probe.role]
                    steps = (_page, _api) if round_number % 2 == 0 else (_api, _page)
                    for step in steps:
                        step(result, client, keep)
                    if keep:
                        advance(1)
    finally:
        for client in clients.values():
            client.close()
    return results


# --- the node -----------------------------------------------------------------------------------

def settle_database(db: Database) -> None:
    """What the database would soon do on its own after a bulk load: PostgreSQL's autovacuum
    (``VACUUM ANALYZE``), SQLite's checkpointer (the write-ahead log into the file)."""
    if db.backend == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
        return
    db.engine.dispose()
    with contextlib.closing(sqlite3.connect(str(db.engine.url.database), timeout=60)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()


def run(args: argparse.Namespace, folder: Path) -> tuple[Loaded, list[Result], float]:
    """Load the node, serve it, measure; the database is dropped at the end."""
    backend: Backend = "postgresql" if args.postgres else "sqlite"
    with fresh_database(backend, PG_NAME, folder) as db:
        node = make_node(db, "fr").node
        total = sum(planned_counts(args.people).values())
        started = time.perf_counter()
        with progress("seed the node (records)", total) as advance:
            loaded = load(node, args.people, args.alerts, args.travellers, args.hits, args.seed,
                          advance)
        settle_database(db)
        load_s = time.perf_counter() - started
        note(f"{loaded.records:,} records, {loaded.alerts} alerts, {loaded.candidates} "
             f"candidates, {loaded.hits} hits in {load_s:,.1f} s; searching "
             f"{loaded.common_name} / {loaded.other_spelling} / {loaded.arabic}")
        app = create_site(node, background=False)
        settle()  # as `passerelle serve` does before serving
        with served(app, loopback_socket(), "web-pages") as base:
            results = measure(base, loaded, args.repeat, args.warmup)
    return loaded, results, load_s


# --- output ------------------------------------------------------------------------------------

def table(results: Sequence[Result]) -> list[str]:
    """The page / API table, one line per probe."""
    head = (f"{'what':<24} {'page  |  API (under /api/v1)':<46} {'page p50':>8} {'p95':>7} "
            f"{'API p50':>8} {'p95':>7} {'page/API':>8} {'rows':>8} {'KB':>11}")
    lines = [head, "-" * len(head)]
    for result in results:
        f, probe = result.figures(), result.probe
        rows = f"{_n(result.page_rows)}/{_n(result.api_rows)}" if probe.lists else "-"
        size = f"{result.page_kb:.0f}/{result.api_kb:.0f}"
        lines.append(f"{probe.label:<24} {probe.shown:<46} {f['page_p50_ms']:>8.1f} "
                     f"{f['page_p95_ms']:>7.1f} {f['api_p50_ms']:>8.1f} {f['api_p95_ms']:>7.1f} "
                     f"{f['ratio']:>7.2f}x {rows:>8} {size:>11}")
    return lines


def _n(value: int | None) -> str:
    return "-" if value is None else str(value)


def figures(args: argparse.Namespace, loaded: Loaded, results: Sequence[Result],
            load_s: float) -> dict[str, object]:
    """The closing line's figures."""
    out: dict[str, object] = {
        "backend": "postgresql" if args.postgres else "sqlite", "people": loaded.people,
        "records": loaded.records, "alerts": loaded.alerts, "candidates": loaded.candidates,
        "hits": loaded.hits, "repeat": args.repeat, "load_s": load_s}
    for result in results:
        out.update({f"{result.probe.key}_{k}": v for k, v in result.figures().items()})
    return out


def write_json(path: Path, args: argparse.Namespace, loaded: Loaded,
               results: Sequence[Result], closing: dict[str, object]) -> None:
    """Everything measured, with the queries asked and the machine."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"machine": machine(), "options": vars(args), "figures": closing,
            "names": {"common": loaded.common_name, "other_spelling": loaded.other_spelling,
                      "arabic": loaded.arabic},
            "probes": [{**asdict(r.probe), **r.figures(), "page_rows": r.page_rows,
                        "api_rows": r.api_rows, "page_kb": r.page_kb, "api_kb": r.api_kb,
                        "api_parts_p50_ms": {p: median(ms) for p, ms in r.part_ms.items()},
                        "page_ms": r.page_ms, "api_ms": r.api_ms} for r in results]}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n")
    note(f"figures written to {path}")


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10_000, help="fictional people stored "
                        "(about 4.7 records each; default 10,000)")
    parser.add_argument("--repeat", type=int, default=50, help="timed rounds (default 50)")
    parser.add_argument("--warmup", type=int, default=5, help="rounds before (default 5)")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL on "
                        f"127.0.0.1:5432 (database {PG_NAME}, dropped at the end) instead of "
                        "SQLite")
    parser.add_argument("--alerts", type=int, default=300, help="the node's alerts (300)")
    parser.add_argument("--travellers", type=int, default=200, help="travellers screened, "
                        "half of them alert subjects (200)")
    parser.add_argument("--hits", type=int, default=20, help="candidates confirmed (20)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json-out", nargs="?", const="", default=None, metavar="PATH",
                        help="also write the figures as JSON (default path: "
                        "bench/out/web_pages-<backend>-<people>.json)")
    parser.add_argument("--workdir", help="where the SQLite database goes (default: a "
                        "temporary directory)")
    args = parser.parse_args(argv)
    if min(args.people, args.repeat, args.alerts, args.travellers) < 1 or args.warmup < 0:
        parser.error("--people, --repeat, --alerts and --travellers must be positive")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; the last stdout line holds the figures."""
    args = parse(argv)
    write(f"# machine: {machine()}")
    if args.postgres:
        write(f"# PostgreSQL {postgres_version()} on 127.0.0.1:5432")
    with work_directory(args.workdir) as workdir:
        loaded, results, load_s = run(args, Path(workdir))
    write(f"# {loaded.people:,} people, {loaded.records:,} records, {loaded.alerts} alerts, "
          f"{loaded.candidates} candidates ({loaded.hits} confirmed); searched: "
          f"{loaded.common_name}, {loaded.other_spelling}, {loaded.arabic}")
    write(f"# milliseconds over {args.repeat} rounds after {args.warmup} warm-up rounds; "
          "rows and KB: the page's / the API's (last call)")
    for line in table(results):
        write(f"# {line}")
    closing = figures(args, loaded, results, load_s)
    if args.json_out is not None:
        backend = closing["backend"]
        path = Path(args.json_out) if args.json_out else \
            OUT / f"web_pages-{backend}-{args.people}.json"
        write_json(path, args, loaded, results, closing)
    write(figures_line(closing))
    return 0


if __name__ == "__main__":
    sys.exit(main())
