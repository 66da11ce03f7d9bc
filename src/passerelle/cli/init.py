"""``passerelle init``: create or upgrade the database, register the partner agencies, make
sure the node has an administrator and a signing key, and print the key for partners.

Safe to run again at every upgrade: migrations only move forward, agencies are upserted, an
administrator is created only while the node has none (so a rerun never asks for a password),
and the node key is created only while there is none (it is never replaced: partners trust it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from passerelle.bootstrap import migrate, node_key_path, opened, safe_url
from passerelle.cli.context import load_settings, out
from passerelle.cli.passwords import choose_password
from passerelle.domain.agencies import DEFAULT_AGENCIES
from passerelle.domain.users import Role
from passerelle.federation.keys import NodeKey, ensure_node_key
from passerelle.settings import Settings


@dataclass(frozen=True, slots=True)
class InitReport:
    """What ``initialise`` did."""

    revision_before: str | None
    revision_after: str
    agencies: tuple[str, ...]
    admin_created: str | None
    key: NodeKey
    key_file: Path
    key_created: bool


def initialise(settings: Settings, admin_username: str,
               admin_password: Callable[[], str]) -> InitReport:
    """Migrate, register the default agencies, create the first administrator and the node
    key if there are none. ``admin_password`` is only called when an administrator is about
    to be created."""
    before, after = migrate(settings)
    created = None
    with opened(settings) as node:
        node.accounts.register_agencies(list(DEFAULT_AGENCIES))
        admins = [u for u in node.accounts.list_users(None) if Role.ADMINISTRATOR in u.roles]
        if not admins:
            node.accounts.create_user(None, admin_username, frozenset({Role.ADMINISTRATOR}),
                                      admin_password(), display_name="Administrator")
            created = admin_username
    key_file = node_key_path(settings)
    key, key_created = ensure_node_key(key_file)
    return InitReport(before, after, tuple(a.id for a in DEFAULT_AGENCIES), created, key,
                      key_file, key_created)


def init_command(
    admin_username: Annotated[str, typer.Option(
        "--admin-username", help="Username of the first administrator (created only when the "
        "node has no administrator yet)")] = "admin",
    admin_password: Annotated[str | None, typer.Option(
        "--admin-password", envvar="PASSERELLE_ADMIN_PASSWORD", show_envvar=True,
        help="Password of the first administrator, at least 12 characters; prefer the prompt "
        "or the environment variable to a literal on the command line")] = None,
    generate_password: Annotated[bool, typer.Option(
        "--generate-password", help="Generate the administrator's password and print it "
        "once")] = False,
    no_input: Annotated[bool, typer.Option(
        "--no-input", help="Never prompt: fail instead when a password is needed and none "
        "was given (for scripts)")] = False,
) -> None:
    """Create or upgrade the database, register the agencies fr, es, be and ma, create the
    first administrator and the node's signing key if there are none, and print the key for
    partners to register. Safe to run again."""
    settings = load_settings()
    shown: list[str] = []

    def password() -> str:
        chosen = choose_password(admin_password, generate_password, no_input,
                                 field="admin_password",
                                 prompt=f"Password for the administrator {admin_username}")
        if chosen.generated:
            shown.append(chosen.value)
        return chosen.value

    report = initialise(settings, admin_username, password)
    _print(settings, report, shown)


def _print(settings: Settings, report: InitReport, generated: list[str]) -> None:
    console = out()
    where = escape(safe_url(settings.database_url))
    if report.revision_before is None:
        console.print(f"[green]created[/] the database {where} (schema {report.revision_after})")
    elif report.revision_before != report.revision_after:
        console.print(f"[green]upgraded[/] {where} from schema {report.revision_before} "
                      f"to {report.revision_after}")
    else:
        console.print(f"{where} is up to date (schema {report.revision_after})")
    console.print("agencies: " + ", ".join(report.agencies))
    if settings.agency_id not in report.agencies:
        console.print(f"[yellow]note:[/] this node's agency {settings.agency_id!r} is not one "
                      "of the default agencies")
    if report.admin_created:
        console.print(f"[green]administrator created:[/] {escape(report.admin_created)}")
        for value in generated:
            console.print(f"generated password (shown once): [bold]{escape(value)}[/]")
    else:
        console.print("an administrator already exists: none created")
    _print_key(settings, report)


def _print_key(settings: Settings, report: InitReport) -> None:
    console = out()
    where = escape(str(report.key_file))
    if report.key_created:
        console.print(f"[green]node key created:[/] {where} (mode 0600; back it up like any "
                      "secret)")
    else:
        console.print(f"node key kept: {where}")
    console.print(f"key id: {report.key.key_id}")
    console.print(f"public key: {report.key.public_raw_b64()}")
    console.print("partners register it with: passerelle peer add "
                  f"{escape(settings.agency_id)} --public-key {report.key.public_raw_b64()} "
                  "--url <this node's TAXII base URL>", soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add ``init`` to the root app."""
    app.command("init")(init_command)
