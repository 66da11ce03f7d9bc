"""``passerelle user ...``: accounts of this node.

Every change goes through ``AccountService``, which audits it; without ``--as`` the node itself
acts ("system"), with ``--as`` the named user must be an administrator. Roles are separate
duties (see ``domain.users.Role``), so they are given one by one with repeated ``--role``.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from passerelle.cli.context import AS_HELP, caller_for, opened_node, out
from passerelle.cli.passwords import choose_password
from passerelle.domain.users import Role, User

app = typer.Typer(help="Manage the accounts of this node (administrators only).",
                  no_args_is_help=True)

AsOption = Annotated[str | None, typer.Option("--as", help=AS_HELP)]
Username = Annotated[str, typer.Argument(help="The account's username")]
RolesOption = Annotated[list[Role], typer.Option(
    "--role", help="A role to hold; repeat for several (analyst, reviewer, releaser, auditor, "
    "administrator)")]
PasswordOption = Annotated[str | None, typer.Option(
    "--password", envvar="PASSERELLE_USER_PASSWORD", show_envvar=True,
    help="The password, at least 12 characters; prefer the prompt or the environment variable")]
GenerateOption = Annotated[bool, typer.Option(
    "--generate-password", help="Generate the password and print it once")]
NoInputOption = Annotated[bool, typer.Option(
    "--no-input", help="Never prompt: fail instead when no password was given")]


def _roles(user: User) -> str:
    return ", ".join(sorted(r.value for r in user.roles))


@app.command("add")
def add(
    username: Username,
    roles: RolesOption,
    display_name: Annotated[str, typer.Option(
        "--display-name", help="The person's name as colleagues know it")] = "",
    compartments: Annotated[list[str] | None, typer.Option(
        "--compartment", help="A need-to-know compartment the user belongs to; repeat for "
        "several")] = None,
    password: PasswordOption = None,
    generate_password: GenerateOption = False,
    no_password: Annotated[bool, typer.Option(
        "--no-password", help="Create the account without a password (API tokens only)")
    ] = False,
    no_input: NoInputOption = False,
    as_user: AsOption = None,
) -> None:
    """Create an account of this node's agency."""
    chosen = None if no_password else choose_password(
        password, generate_password, no_input, field="password",
        prompt=f"Password for {username}")
    with opened_node() as node:
        user = node.accounts.create_user(
            caller_for(node, as_user), username, frozenset(roles),
            chosen.value if chosen else None, display_name, frozenset(compartments or ()))
    console = out()
    console.print(f"[green]created[/] {escape(user.username)} ({_roles(user)}) id {user.id}")
    if chosen and chosen.generated:
        console.print(f"generated password (shown once): [bold]{escape(chosen.value)}[/]")


@app.command("list")
def list_users(as_user: AsOption = None) -> None:
    """List every account: roles, compartments and whether it is active."""
    with opened_node() as node:
        users = node.accounts.list_users(caller_for(node, as_user))
    table = Table("username", "display name", "roles", "compartments", "active", "id",
                  title=f"{len(users)} accounts")
    for user in users:
        table.add_row(escape(user.username), escape(user.display_name), _roles(user),
                      escape(", ".join(sorted(user.compartments))),
                      "yes" if user.active else "[red]no[/]", user.id)
    out().print(table)


@app.command("set-roles")
def set_roles(username: Username, roles: RolesOption, as_user: AsOption = None) -> None:
    """Replace the roles of an account with exactly the roles given."""
    with opened_node() as node:
        user = node.accounts.update_user(caller_for(node, as_user), username,
                                         roles=frozenset(roles))
    out().print(f"{escape(user.username)} now holds: {_roles(user) or 'no role'}")


@app.command("disable")
def disable(username: Username, as_user: AsOption = None) -> None:
    """Disable an account: it can no longer log in nor use its API tokens."""
    with opened_node() as node:
        node.accounts.update_user(caller_for(node, as_user), username, active=False)
    out().print(f"{escape(username)} is [red]disabled[/]")


@app.command("enable")
def enable(username: Username, as_user: AsOption = None) -> None:
    """Enable a disabled account again."""
    with opened_node() as node:
        node.accounts.update_user(caller_for(node, as_user), username, active=True)
    out().print(f"{escape(username)} is [green]enabled[/]")


@app.command("password")
def set_password(
    username: Username,
    password: PasswordOption = None,
    generate_password: GenerateOption = False,
    no_input: NoInputOption = False,
    as_user: AsOption = None,
) -> None:
    """Replace the password of an account."""
    chosen = choose_password(password, generate_password, no_input, field="password",
                             prompt=f"New password for {username}")
    with opened_node() as node:
        node.accounts.set_password(caller_for(node, as_user), username, chosen.value)
    console = out()
    console.print(f"password of {escape(username)} changed")
    if chosen.generated:
        console.print(f"generated password (shown once): [bold]{escape(chosen.value)}[/]")
