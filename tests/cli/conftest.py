"""Fixtures of the CLI tests: the ``passerelle`` app run in-process by Typer's CliRunner on a
fresh SQLite database in tmp_path, named by ``PASSERELLE_DATABASE_URL`` as an operator would.

Initialising and seeding take a few seconds, so it is done once per session into template
files that each test copies.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from passerelle.cli.main import app

from .cli_support import ADMIN_PASSWORD, ENV, SEEDED_PEOPLE, Invoke, four_free_ports, run_cli


def _template(folder: Path, *commands: tuple[str, ...]) -> Path:
    database = folder / "template.db"
    for command in commands:
        result = run_cli(database, *command)
        assert result.exit_code == 0, result.output
    return database


@pytest.fixture(scope="session")
def initialised_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _template(tmp_path_factory.mktemp("initialised"),
                     ("init", "--admin-password", ADMIN_PASSWORD))


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _template(tmp_path_factory.mktemp("seeded"),
                     ("init", "--admin-password", ADMIN_PASSWORD),
                     ("seed", "--people", str(SEEDED_PEOPLE), "--seed", "7"))


@pytest.fixture
def database(tmp_path: Path) -> Path:
    """Where a test's database lives (not created)."""
    return tmp_path / "node.db"


@pytest.fixture
def initialised(database: Path, initialised_template: Path) -> Path:
    """A database after ``passerelle init``."""
    shutil.copyfile(initialised_template, database)
    return database


@pytest.fixture
def seeded(database: Path, seeded_template: Path) -> Path:
    """A database after ``init`` and ``seed --people 40``."""
    shutil.copyfile(seeded_template, database)
    return database


@pytest.fixture
def cli(database: Path, monkeypatch: pytest.MonkeyPatch) -> Invoke:
    """``cli("user", "list")`` runs the command on this test's database, configured through the
    environment as an operator would."""
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("PASSERELLE_DATABASE_URL", f"sqlite:///{database}")

    def invoke(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(app, list(args), input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def base_port() -> int:
    """The first of four consecutive free loopback ports (a local federation's)."""
    base = four_free_ports()
    if base is None:
        pytest.fail("no four consecutive free ports on 127.0.0.1")
    return base
