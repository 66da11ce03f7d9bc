"""``passerelle serve``: builds the API on the configured node and hands it to uvicorn;
``--demo`` prepares a fresh checkout (database, fictional people, logins) first."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from passerelle.cli import serve
from passerelle.domain.records import RecordKind
from passerelle.ports import RecordQuery
from passerelle.seeding import DEMO_PASSWORD

from .cli_support import Invoke, node_of


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """What uvicorn was asked to serve, instead of serving it."""
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr("uvicorn.run",
                        lambda app, **options: calls.append({"app": app, **options}))
    return calls


def test_demo_initialises_seeds_prints_logins_then_serves(
        cli: Invoke, database: Path, served: list[dict[str, Any]]) -> None:
    result = cli("serve", "--demo", "--port", "8123")
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:8123/" in result.output
    assert "amina.analyst" in result.output
    assert DEMO_PASSWORD in result.output
    [call] = served
    assert call["port"] == 8123
    assert call["host"] == "127.0.0.1"
    assert call["app"].state.node.settings.database_url.endswith(str(database))
    with node_of(database) as node:
        with node.transactions() as tx:
            people = tx.records.search(RecordQuery(kinds=frozenset({RecordKind.PERSON})),
                                       None, 10**4)
        assert len(people) == serve.DEMO_PEOPLE
        assert node.accounts.login("admin", DEMO_PASSWORD).username == "admin"


def test_demo_on_a_node_with_records_adds_none(cli: Invoke, seeded: Path,
                                               served: list[dict[str, Any]]) -> None:
    def kinds() -> Counter[RecordKind]:
        with node_of(seeded) as node, node.transactions() as tx:
            return Counter(r.kind for r in tx.records.search(RecordQuery(), None, 10**5))

    before = kinds()
    assert cli("serve", "--demo").exit_code == 0
    assert kinds() == before
    assert len(served) == 1


def test_serve_uses_the_settings_for_host_and_port(cli: Invoke, initialised: Path,
                                                   served: list[dict[str, Any]],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PASSERELLE_HOST", "192.0.2.10")
    monkeypatch.setenv("PASSERELLE_PORT", "9001")
    result = cli("serve")
    assert result.exit_code == 0, result.output
    assert served[0]["host"] == "192.0.2.10"
    assert served[0]["port"] == 9001


def test_serve_without_init_says_to_run_init(cli: Invoke, database: Path,
                                             served: list[dict[str, Any]]) -> None:
    result = cli("serve")
    assert result.exit_code == 2
    assert "passerelle init" in result.output
    assert not served


def test_demo_is_refused_in_production(cli: Invoke, database: Path,
                                       served: list[dict[str, Any]],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PASSERELLE_ENVIRONMENT", "production")
    monkeypatch.setenv("PASSERELLE_SECRET_KEY", "s" * 40)
    monkeypatch.setenv("PASSERELLE_AUDIT_KEY", "a" * 40)
    result = cli("serve", "--demo")
    assert result.exit_code == 2
    assert "production" in result.output
    assert not served
    assert not database.exists()
