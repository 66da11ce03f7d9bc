"""``passerelle node-key``: print this node's public key, for partners to register.

Reads the key file only (``bootstrap.load_node_key``), not the database. The private key is
never printed.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from passerelle.bootstrap import load_node_key
from passerelle.cli.context import load_settings, out


def node_key_command(
    pem: Annotated[bool, typer.Option(
        "--pem", help="Print the public key alone, as a PEM block (to save in a file)")] = False,
) -> None:
    """Print this node's key id and public key (raw base64, or PEM with --pem)."""
    key = load_node_key(load_settings())
    if pem:
        sys.stdout.write(key.public_pem())
        return
    console = out()
    console.print(f"key id: {key.key_id}")
    console.print(f"public key: {key.public_raw_b64()}")


def register(app: typer.Typer) -> None:
    """Add ``node-key`` to the root app."""
    app.command("node-key")(node_key_command)
