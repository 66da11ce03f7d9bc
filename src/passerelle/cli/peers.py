"""``passerelle peer ...``: the partner nodes this node trusts, by the keys they sign with.

``add`` registers a partner node's public key (as the partner's ``passerelle init`` or
``passerelle node-key`` printed it) and where that node serves TAXII; ``revoke`` stops trusting
a key at once; ``list`` shows every key, revoked ones included. Adding and revoking need the
administrator role and are audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from passerelle.cli.context import AS_HELP, caller_for, opened_node, out

app = typer.Typer(help="Partner nodes' public keys: register, list, revoke.",
                  no_args_is_help=True)

AsOption = Annotated[str | None, typer.Option("--as", help=AS_HELP)]


def _when(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


@app.command("add")
def add_peer(
    agency: Annotated[str, typer.Argument(help="The partner agency's id, e.g. es")],
    public_key: Annotated[str, typer.Option(
        "--public-key", help="The partner node's public key: the raw key in base64 (44 "
        "characters) or a PEM block")],
    url: Annotated[str, typer.Option(
        "--url", help="The partner node's TAXII base URL, e.g. "
        "https://es.passerelle.example/taxii2/")],
    key_id: Annotated[str | None, typer.Option(
        "--key-id", help="The key id the partner signs with (default: derived from the key, "
        "as Passerelle nodes do)")] = None,
    as_user: AsOption = None,
) -> None:
    """Trust a partner node's public key (administrators)."""
    with opened_node() as node:
        peer = node.peers.register(caller_for(node, as_user), agency, public_key, url, key_id)
    out().print(f"[green]registered:[/] key {peer.key_id} of {peer.agency_id}, TAXII at "
                f"{escape(peer.base_url)}")


@app.command("list")
def list_peers() -> None:
    """Every registered key, revoked ones included."""
    with opened_node() as node:
        peers = node.peers.list()
    table = Table("agency", "key id", "public key", "TAXII base URL", "added", "added by",
                  "status")
    for peer in peers:
        status = "active" if peer.revoked_at is None else f"revoked {_when(peer.revoked_at)}"
        table.add_row(peer.agency_id, peer.key_id, peer.public_key_b64, escape(peer.base_url),
                      _when(peer.added_at), escape(peer.added_by), status)
    out().print(table if peers else "no peer keys registered")


@app.command("revoke")
def revoke_peer(
    key_id: Annotated[str, typer.Argument(help="The key id, as `passerelle peer list` shows it")],
    as_user: AsOption = None,
) -> None:
    """Stop trusting a partner node's key at once (administrators)."""
    with opened_node() as node:
        peer = node.peers.revoke(caller_for(node, as_user), key_id)
    out().print(f"[green]revoked:[/] key {peer.key_id} of {peer.agency_id}; its requests are "
                "refused from now on")
