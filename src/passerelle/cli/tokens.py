"""``passerelle token ...``: API tokens for scripts and partner integrations.

A token's secret is printed once, when it is issued, and only its hash is stored: a lost
secret is revoked and replaced, never recovered.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from passerelle.cli.context import AS_HELP, caller_for, opened_node, out

app = typer.Typer(help="Issue, list and revoke API tokens.", no_args_is_help=True)

AsOption = Annotated[str | None, typer.Option("--as", help=AS_HELP)]


def _when(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "-"


@app.command("issue")
def issue(
    username: Annotated[str, typer.Argument(help="The user the token acts for")],
    name: Annotated[str, typer.Option(
        "--name", help="What the token is for, e.g. the script or partner using it "
        "(1-100 characters)")],
    days: Annotated[int | None, typer.Option(
        "--days", min=1, max=3650, help="Expire after this many days (default: never)")] = None,
    as_user: AsOption = None,
) -> None:
    """Issue a token for a user and print its secret, once."""
    with opened_node() as node:
        issued = node.accounts.issue_token(caller_for(node, as_user), username, name, days)
    console = out()
    console.print(f"[green]token issued[/] id {issued.token.id} for {escape(username)}, "
                  f"expires {_when(issued.token.expires_at)}")
    console.print("secret (shown once, send it as 'Authorization: Bearer <secret>'):")
    console.print(issued.secret, markup=False, soft_wrap=True)


@app.command("list")
def list_tokens(
    username: Annotated[str, typer.Argument(help="Whose tokens to list")],
    as_user: AsOption = None,
) -> None:
    """List a user's tokens (never their secrets), newest first."""
    with opened_node() as node:
        found = node.accounts.tokens(caller_for(node, as_user), username)
    table = Table("id", "name", "created", "expires", "revoked",
                  title=f"{len(found)} tokens of {escape(username)}")
    for token in found:
        table.add_row(token.id, escape(token.name), _when(token.created_at),
                      _when(token.expires_at), _when(token.revoked_at))
    out().print(table)


@app.command("revoke")
def revoke(
    token_id: Annotated[str, typer.Argument(help="The id of the token, from `token list`")],
    as_user: AsOption = None,
) -> None:
    """Revoke a token at once; requests presenting it are refused from now on."""
    with opened_node() as node:
        node.accounts.revoke_token(caller_for(node, as_user), token_id)
    out().print(f"token {escape(token_id)} [red]revoked[/]")
