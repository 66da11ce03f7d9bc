"""``passerelle federation``: keeping this node in sync with its partners (``sync``), and a
local federation to try (``up``).

``sync`` pulls the partners' feeds (``federation.pull``) and pushes the outbox
(``federation.outbox``) once, and prints what each partner sent and was sent; exit status 1
when a partner could not be reached, refused something or sent something refused.

``up``: four nodes (fr, es, be, ma) on this machine, trusting each other, with fictional data:
a whole federation to try in one command.

The work is ``local_federation.Federation``'s; this module reserves the ports first (a port in
use is refused before anything is written), shows the seeding's progress, prints the URLs and
the demo logins once the four nodes answer, and turns Ctrl+C (SIGINT) and SIGTERM into a clean
stop: servers stopped, databases closed, exit status 0. Refused when PASSERELLE_ENVIRONMENT is
production, like ``serve --demo``: the demo password is published.
"""

from __future__ import annotations

import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from passerelle.api.federation_taxii import PAGE_SIZE_MAX
from passerelle.bootstrap import load_node_key
from passerelle.cli.alert_story import AlertStory
from passerelle.cli.context import err, load_settings, opened_node, out
from passerelle.cli.local_federation import (
    ADMIN,
    PULL_INTERVAL_S,
    Federation,
    FederationOptions,
    Seeder,
)
from passerelle.errors import Forbidden, NotFound, PasserelleError
from passerelle.federation.keys import NodeKey
from passerelle.federation.outbox import OutboxSender, PushReport
from passerelle.federation.pull import PAGE, PullReport, pull_each
from passerelle.node import Node
from passerelle.seeding import DEMO_PASSWORD, DEMO_USERS, SeedSummary, seed

API_DOCS = "/api/v1/docs"  # passerelle.api.app serves its interactive docs here
TAXII_DISCOVERY = "taxii2/"  # below a node's TAXII base URL
STORY_PEOPLE = 20  # sample people per node in the story: the story brings its own

app = typer.Typer(help="Sync with partner nodes; a local federation of four nodes (fr, es, "
                  "be, ma) for development and demonstrations.", no_args_is_help=True)

PullResult = PullReport | PasserelleError


def _pulls(node: Node, key: NodeKey, partner: str | None, page_size: int
           ) -> dict[str, PullResult]:
    """Every partner's pull, or ``partner``'s only (``NotFound`` without an active key)."""
    if partner is not None:
        result = pull_each(node, key, [partner], page_size=page_size)[partner]
        if isinstance(result, NotFound):
            raise result
        return {partner: result}
    return pull_each(node, key, sorted({p.agency_id for p in node.peers.list() if p.active}),
                     page_size=page_size)


def _pull_cell(result: PullResult | None) -> str:
    if result is None:
        return "-"
    if isinstance(result, PasserelleError):
        return f"[red]{escape(result.detail)}[/]"
    cell = f"{result.received} new, {result.unchanged} unchanged, {result.erased} erased"
    return cell + (f", [red]{len(result.rejected)} refused[/]" if result.rejected else "")


def _push_cell(report: PushReport, partner: str) -> str:
    delivered, failed = report.delivered.get(partner, 0), report.failed.get(partner, 0)
    cell = f"{delivered} delivered" + (f", [red]{failed} failed[/]" if failed else "")
    error = report.errors.get(partner)
    return cell + (f"\n[red]{escape(error)}[/]" if error else "")


@app.command("sync")
def sync_command(
    partner: Annotated[str | None, typer.Option(
        "--partner", help="Only this partner agency (default: every partner with an active "
        "peer key, and every partner with objects waiting in the outbox)")] = None,
    page_size: Annotated[int, typer.Option(
        "--page-size", min=1, max=PAGE_SIZE_MAX,
        help="Objects asked for in each request to a partner")] = PAGE,
) -> None:
    """Pull the partners' feeds and push the outbox once, then print what was done."""
    settings = load_settings()
    with opened_node(settings) as node:
        key = load_node_key(settings)
        pulled = _pulls(node, key, partner, page_size)
        with OutboxSender(node, key) as sender:
            pushed = sender.run_once(partner)
        waiting = node.outbox.pending_counts()
    partners = sorted({*pulled, *pushed.delivered, *pushed.failed, *waiting})
    table = Table("partner", "pulled", "pushed", "waiting in the outbox",
                  title=f"sync of {escape(node.settings.agency_id)}")
    for name in partners:
        table.add_row(name, _pull_cell(pulled.get(name)), _push_cell(pushed, name),
                      str(waiting.get(name, 0)))
    out().print(table)
    troubled = pushed.failed or any(
        isinstance(r, PasserelleError) or r.rejected for r in pulled.values())
    if troubled:
        raise typer.Exit(1)


def _seeder(progress: Progress) -> Seeder:
    """Seeds a node behind a progress bar named after its agency."""
    def run(node: Node, people: int, seed_value: int) -> SeedSummary:
        task = progress.add_task(f"seeding {node.settings.agency_id}", total=people)
        return seed(node, people, seed_value,
                    lambda done: progress.update(task, completed=done))
    return run


@contextmanager
def stopped_by_signals(federation: Federation) -> Iterator[None]:
    """While inside, SIGINT (Ctrl+C) and SIGTERM ask ``federation`` to stop instead of
    interrupting whatever runs; the previous handlers come back at the end. Main thread only
    (``signal.signal``'s rule)."""
    def handler(_signal: int, _frame: FrameType | None) -> None:
        federation.request_stop()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def print_members(federation: Federation) -> None:
    """The table of the running nodes: URLs, demo logins and database files."""
    console = out()
    logins = "\n".join([ADMIN, *(demo.username for demo in DEMO_USERS)])
    table = Table("agency", "URL", "demo logins", "database",
                  title="Passerelle local federation (fictional data only)")
    for current in federation.members:
        base = escape(current.url.rstrip("/"))
        table.add_row(current.agency_id,
                      f"web pages: {base}/\nAPI docs: {base}{API_DOCS}\n"
                      f"TAXII: {escape(current.taxii_url)}{TAXII_DISCOVERY}",
                      logins, escape(str(federation.options.folder / current.database.name)))
    console.print(table)
    console.print(f"password of every demo login: [bold]{DEMO_PASSWORD}[/] (development only)")
    console.print("each node trusts the three others' keys; legal bases: the Directive between "
                  "fr, es and be, a fictional cooperation agreement between them and ma")
    console.print(f"each node pulls the others' feeds every {PULL_INTERVAL_S:g} s and pushes "
                  "withdrawals and erasures to them at once")
    sample = escape(str(federation.options.folder / "fr.env"))
    console.print(f"other commands on one node: (set -a; . {sample}; set +a; passerelle "
                  "partner list)", soft_wrap=True)
    console.print("serving the four nodes (Ctrl+C to stop)")


@app.command("up")
def up_command(
    directory: Annotated[Path, typer.Option(
        "--dir", file_okay=False, help="Folder of the four nodes' SQLite databases, signing "
        "keys and settings files (created if missing; reused when it holds them already)")
    ] = Path("federation"),
    base_port: Annotated[int, typer.Option(
        "--base-port", min=1, max=65532,
        help="Port of the fr node; es, be and ma listen on the next three")] = 8100,
    people: Annotated[int, typer.Option(
        "--people", min=1, max=1_000_000,
        help="Fictional people generated per node (with their documents, crossings, reports, "
        "indicators and relationships)")] = 200,
    seed_value: Annotated[int, typer.Option(
        "--seed", help="Random seed of the sample data: the same seed adds nothing on a "
        "second run")] = 0,
    host: Annotated[str, typer.Option(
        "--host", help="Address the four nodes listen on")] = "127.0.0.1",
    fresh: Annotated[bool, typer.Option(
        "--fresh", help="Delete the four nodes' databases, keys and settings files in the "
        "folder first, and start over")] = False,
) -> None:
    """Start four nodes (fr, es, be, ma) on this machine with fictional data, each trusting
    the others' keys, print their URLs and the demo logins, and serve them until Ctrl+C
    (development only)."""
    if load_settings().environment == "production":
        raise Forbidden("the local federation publishes its passwords: never in production")
    federation = Federation(FederationOptions(directory, base_port, people, seed_value, host,
                                              fresh))
    federation.bind()  # before anything is written: a port in use is refused at once
    try:
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn())
        with Progress(*columns, console=err()) as progress:
            federation.prepare(_seeder(progress))
        with stopped_by_signals(federation):
            federation.run(on_started=print_members)
    finally:
        federation.stop()
    out().print(f"stopped; the databases stay in {escape(str(directory))} (--fresh starts "
                "over)")


@app.command("story")
def story_command(
    directory: Annotated[Path | None, typer.Option(
        "--dir", file_okay=False, help="Folder of the four nodes' files (default: a new "
        "temporary folder); its nodes are made afresh")] = None,
    base_port: Annotated[int, typer.Option(
        "--base-port", min=1, max=65532,
        help="Port of the fr node; es, be and ma listen on the next three")] = 8200,
    passengers: Annotated[int, typer.Option(
        "--passengers", min=1, max=100_000,
        help="Fictional passengers on the list ma screens")] = 2000,
) -> None:
    """Start a local federation and play the alert story over HTTP: fr's discreet check is
    found at ma's border and the hit reported back to fr (docs/alerts.md). Exit 1 if a step
    does not hold (development only)."""
    if load_settings().environment == "production":
        raise Forbidden("the local federation publishes its passwords: never in production")
    folder = directory or Path(tempfile.mkdtemp(prefix="passerelle-story-"))
    federation = Federation(FederationOptions(folder, base_port, STORY_PEOPLE, 0,
                                              "127.0.0.1", fresh=True))
    federation.bind()
    try:
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn())
        with Progress(*columns, console=err()) as progress:
            federation.prepare(_seeder(progress))
        federation.start()
        urls = {m.agency_id: m.url for m in federation.members}
        report = AlertStory(urls, out().print, passengers).run()
    finally:
        federation.stop()
    out().print(f"the four nodes' files stay in {escape(str(folder))}")
    if not report.ok:
        raise typer.Exit(1)
