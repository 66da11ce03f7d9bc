"""``passerelle seed``: fill a development node with FICTIONAL sample data and demo accounts.

The data and the accounts come from ``passerelle.seeding``; this module only shows progress and
prints what was made, including the demo logins (their password is published on purpose, which
is why seeding refuses a production node).
"""

from __future__ import annotations

import time
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from passerelle.cli.context import err, opened_node, out
from passerelle.node import Node
from passerelle.seeding import DEMO_PASSWORD, DEMO_USERS, SeedSummary, seed


def seed_with_progress(node: Node, people: int, seed_value: int) -> SeedSummary:
    """Run ``seeding.seed`` behind a progress bar on stderr."""
    columns = (TextColumn("seeding people"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=err()) as progress:
        task = progress.add_task("seed", total=people)
        return seed(node, people, seed_value,
                    lambda done: progress.update(task, completed=done))


def print_logins(console: Console, admin: str | None = None) -> None:
    """The demo accounts and their shared development-only password."""
    table = Table("username", "role", "password", title="demo logins (development only)")
    if admin:
        table.add_row(admin, "administrator", DEMO_PASSWORD)
    for demo in DEMO_USERS:
        table.add_row(demo.username, demo.role.value, DEMO_PASSWORD)
    console.print(table)


def print_summary(console: Console, summary: SeedSummary, seconds: float) -> None:
    """Records created per kind, and how long it took."""
    table = Table("kind", "created", title="sample data")
    for kind, count in sorted(summary.created.items()):
        table.add_row(kind, str(count))
    table.add_row("[bold]total[/]", f"[bold]{sum(summary.created.values())}[/]")
    console.print(table)
    console.print(f"stored in {seconds:.1f} s")
    if summary.unchanged:
        console.print(f"{summary.unchanged} records were already there (same seed): unchanged")


def seed_command(
    people: Annotated[int, typer.Option(
        "--people", min=1, max=1_000_000,
        help="How many fictional people to generate (each with a travel document, plus "
        "organisations, border crossings, reports, indicators and relationships)")],
    seed_value: Annotated[int, typer.Option(
        "--seed", help="Random seed: the same seed gives the same people and identifiers, so "
        "seeding twice adds nothing")] = 0,
) -> None:
    """Load FICTIONAL sample data and the demo accounts into a development node
    (refused when PASSERELLE_ENVIRONMENT is production)."""
    started = time.perf_counter()
    with opened_node() as node:
        summary = seed_with_progress(node, people, seed_value)
    console = out()
    print_summary(console, summary, time.perf_counter() - started)
    if summary.users_created:
        console.print("demo accounts created: " + ", ".join(summary.users_created))
    print_logins(console)


def register(app: typer.Typer) -> None:
    """Add ``seed`` to the root app."""
    app.command("seed")(seed_command)
