"""The ``passerelle`` command line: the root Typer app and the console-script entry point.

Each command group lives in its own module and registers itself here. Errors of the
``PasserelleError`` tree are caught once, by the root group, so that every command (and the
test runner, which calls the app directly) shows them the same way: code, field and detail in
red on stderr, exit status 2. Exit status 1 is kept for "the command ran and found a problem"
(objects rejected by an import, rows rejected by a screening, a broken audit chain).
"""

from __future__ import annotations

from typing import Any

import typer
from rich.markup import escape
from typer.core import TyperGroup

from passerelle.cli import (
    audit,
    federation,
    init,
    node_key,
    partners,
    peers,
    screen,
    screening,
    seed,
    serve,
    taxii,
    tokens,
    transfer,
    users,
)
from passerelle.cli.context import err
from passerelle.errors import PasserelleError

ERROR_EXIT = 2


def render_error(error: PasserelleError) -> None:
    """Print an error the way an operator can act on it."""
    console = err()
    console.print(f"[bold red]error[/] [red]{escape(error.code)}[/] (status {error.status})")
    if error.field:
        console.print(f"  [red]field:[/]  {escape(error.field)}")
    console.print(f"  [red]detail:[/] {escape(error.detail)}")


class PasserelleGroup(TyperGroup):
    """The root group: turns a ``PasserelleError`` raised by any subcommand into exit 2."""

    def invoke(self, ctx: Any) -> Any:
        """Run the subcommand; render domain errors instead of a traceback."""
        try:
            return super().invoke(ctx)
        except PasserelleError as error:
            render_error(error)
            raise typer.Exit(ERROR_EXIT) from None


app = typer.Typer(
    name="passerelle",
    cls=PasserelleGroup,
    help="Passerelle: lawful exchange of counter-terrorism records between partner agencies. "
         "Configure with PASSERELLE_* environment variables (see docs/settings.md).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

init.register(app)
seed.register(app)
serve.register(app)
transfer.register(app)
screen.register(app)
node_key.register(app)
app.add_typer(users.app, name="user")
app.add_typer(tokens.app, name="token")
app.add_typer(audit.app, name="audit")
app.add_typer(partners.app, name="partner")
app.add_typer(peers.app, name="peer")
app.add_typer(taxii.app, name="taxii")
app.add_typer(federation.app, name="federation")
app.add_typer(screening.app, name="screening")


def run() -> None:
    """Console-script entry point (``passerelle``)."""
    try:
        app(prog_name="passerelle")
    except PasserelleError as error:  # raised outside a subcommand, e.g. while parsing
        render_error(error)
        raise SystemExit(ERROR_EXIT) from None
