"""``passerelle audit verify`` on a PostgreSQL node: rows altered or removed directly in the
database are named, as on SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from tests.support import postgres_database
from typer.testing import CliRunner, Result

from passerelle.cli.main import app

from .cli_support import ADMIN_PASSWORD, ENV

pytestmark = pytest.mark.postgres


@pytest.fixture
def url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    """A seeded node on a throw-away PostgreSQL database (its key in tmp_path, not in the
    working directory where a PostgreSQL node keeps it by default)."""
    with postgres_database() as database_url:
        for name, value in {**ENV, "PASSERELLE_DATABASE_URL": database_url,
                            "PASSERELLE_NODE_KEY_FILE": str(tmp_path / "node.key")}.items():
            monkeypatch.setenv(name, value)
        for command in (("init", "--admin-password", ADMIN_PASSWORD), ("seed", "--people", "5")):
            assert run(*command).exit_code == 0
        yield database_url


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def tamper(url: str, statement: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        assert connection.execute(sa.text(statement)).rowcount == 1
    engine.dispose()


def last_seq(url: str) -> int:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        seq = int(connection.scalar(sa.text("SELECT max(seq) FROM audit_log")) or 0)
    engine.dispose()
    return seq


def test_an_intact_chain_verifies(url: str) -> None:
    result = run("audit", "verify")
    assert result.exit_code == 0, result.output
    assert "chain intact" in result.output


def test_an_altered_entry_is_named(url: str) -> None:
    tamper(url, "UPDATE audit_log SET justification = 'nothing to see' WHERE seq = 3")
    result = run("audit", "verify")
    assert result.exit_code == 1
    assert "chain broken at entry 3" in result.output


def test_a_removed_entry_is_named(url: str) -> None:
    tamper(url, "DELETE FROM audit_log WHERE seq = 4")
    result = run("audit", "verify")
    assert result.exit_code == 1
    assert "chain broken at entry 4" in result.output


def test_a_removed_last_entry_is_named(url: str) -> None:
    last = last_seq(url)
    tamper(url, f"DELETE FROM audit_log WHERE seq = {last}")  # noqa: S608 — a test's own integer
    result = run("audit", "verify")
    assert result.exit_code == 1
    assert f"chain broken at entry {last}" in result.output
