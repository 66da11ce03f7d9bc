"""Helpers of the CLI tests: run ``passerelle`` in-process against a SQLite file, and open
the node behind it to check outcomes through the services."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from typer.testing import CliRunner, Result

from passerelle.bootstrap import opened
from passerelle.cli.main import app
from passerelle.node import Node
from passerelle.settings import Settings

ADMIN_PASSWORD = "admin-password-for-tests"
SEEDED_PEOPLE = 40
ENV = {"PASSERELLE_ENVIRONMENT": "test", "PASSERELLE_AGENCY_ID": "fr",
       "PASSERELLE_AUDIT_KEY": "audit-key-of-the-cli-tests-0123456789", "COLUMNS": "250"}

Invoke = Callable[..., Result]


def run_cli(database: Path, *args: str, input: str | None = None) -> Result:
    """Run ``passerelle ARGS`` against ``database``."""
    env = {**ENV, "PASSERELLE_DATABASE_URL": f"sqlite:///{database}"}
    return CliRunner().invoke(app, list(args), input=input, env=env, catch_exceptions=False)


@contextmanager
def node_of(database: Path) -> Iterator[Node]:
    """The node behind ``database``, to check what a command did through the services."""
    settings = Settings(environment="test", agency_id="fr", audit_key=ENV["PASSERELLE_AUDIT_KEY"],
                        database_url=f"sqlite:///{database}")
    with opened(settings) as node:
        yield node


def port_free(port: int) -> bool:
    """Whether ``port`` can be bound on loopback now."""
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def four_free_ports() -> int | None:
    """The first of four consecutive free loopback ports (None if none was found)."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            base = int(probe.getsockname()[1])
        if base + 3 <= 65535 and all(port_free(base + i) for i in range(4)):
            return base
    return None
