"""``passerelle federation up``: four nodes (fr, es, be, ma) on this machine, trusting each
other, with fictional data: a whole federation to try in one command.

The work is ``local_federation.Federation``'s; this module reserves the ports first (a port in
use is refused before anything is written), shows the seeding's progress, prints the URLs and
the demo logins once the four nodes answer, and turns Ctrl+C (SIGINT) and SIGTERM into a clean
stop: servers stopped, databases closed, exit status 0. Refused when PASSERELLE_ENVIRONMENT is
production, like ``serve --demo``: the demo password is published.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from passerelle.cli.context import err, load_settings, out
from passerelle.cli.local_federation import (
    ADMIN,
    Federation,
    FederationOptions,
    Seeder,
)
from passerelle.errors import Forbidden
from passerelle.node import Node
from passerelle.seeding import DEMO_PASSWORD, DEMO_USERS, SeedSummary, seed

API_DOCS = "/api/v1/docs"  # passerelle.api.app serves its interactive docs here
TAXII_DISCOVERY = "taxii2/"  # below a node's TAXII base URL

app = typer.Typer(help="A local federation of four nodes (fr, es, be, ma), for development "
                  "and demonstrations.", no_args_is_help=True)


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
                      f"{base}/\nAPI docs: {base}{API_DOCS}\n"
                      f"TAXII: {escape(current.taxii_url)}{TAXII_DISCOVERY}",
                      logins, escape(str(federation.options.folder / current.database.name)))
    console.print(table)
    console.print(f"password of every demo login: [bold]{DEMO_PASSWORD}[/] (development only)")
    console.print("each node trusts the three others' keys; legal bases: the Directive between "
                  "fr, es and be, a fictional cooperation agreement between them and ma")
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
