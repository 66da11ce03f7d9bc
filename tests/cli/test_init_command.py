"""``passerelle init``: creates, upgrades, registers agencies, makes the first administrator."""

from __future__ import annotations

from pathlib import Path

import pytest

from passerelle.domain.users import Role

from .cli_support import ADMIN_PASSWORD, Invoke, node_of


def test_init_creates_the_database_the_agencies_and_an_administrator(
        cli: Invoke, database: Path) -> None:
    result = cli("init", "--admin-password", ADMIN_PASSWORD)
    assert result.exit_code == 0, result.output
    assert "created the database" in result.output
    with node_of(database) as node:
        assert [a.id for a in node.accounts.agencies()] == ["be", "es", "fr", "ma"]
        [admin] = node.accounts.list_users(None)
        assert admin.username == "admin"
        assert admin.roles == {Role.ADMINISTRATOR}
        assert node.accounts.login("admin", ADMIN_PASSWORD) == admin


def test_init_twice_upgrades_in_place_and_asks_for_nothing(cli: Invoke, database: Path) -> None:
    assert cli("init", "--admin-password", ADMIN_PASSWORD).exit_code == 0
    again = cli("init", "--no-input")
    assert again.exit_code == 0, again.output
    assert "up to date" in again.output
    assert "an administrator already exists" in again.output
    with node_of(database) as node:
        assert len(node.accounts.list_users(None)) == 1
        assert len(node.accounts.agencies()) == 4


def test_init_prompts_for_the_password_twice(cli: Invoke, database: Path) -> None:
    typed = "typed-at-the-prompt-123"
    result = cli("init", "--admin-username", "root.admin", input=f"{typed}\n{typed}\n")
    assert result.exit_code == 0, result.output
    with node_of(database) as node:
        assert node.accounts.login("root.admin", typed).username == "root.admin"


def test_init_generates_a_password_and_shows_it_once(cli: Invoke, database: Path) -> None:
    result = cli("init", "--generate-password")
    assert result.exit_code == 0, result.output
    line = next(li for li in result.output.splitlines() if "generated password" in li)
    password = line.rsplit(" ", 1)[-1]
    with node_of(database) as node:
        assert node.accounts.login("admin", password).username == "admin"


def test_init_without_a_password_and_without_input_fails_naming_the_field(
        cli: Invoke, database: Path) -> None:
    result = cli("init", "--no-input")
    assert result.exit_code == 2
    assert "validation_failed" in result.output
    assert "admin_password" in result.output


def test_a_short_administrator_password_is_refused(cli: Invoke) -> None:
    result = cli("init", "--admin-password", "short")
    assert result.exit_code == 2
    assert "password" in result.output
    assert "at least 12 characters" in result.output


def test_commands_on_a_missing_database_say_to_run_init(cli: Invoke, database: Path) -> None:
    result = cli("user", "list")
    assert result.exit_code == 2
    assert "passerelle init" in result.output
    assert not database.exists(), "a command other than init must not create the database"


def test_a_bad_setting_is_reported_by_its_environment_variable(
        cli: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PASSERELLE_PORT", "not-a-port")
    result = cli("user", "list")
    assert result.exit_code == 2
    assert "PASSERELLE_PORT" in result.output


def test_a_file_that_is_not_a_database_is_named_not_overwritten(cli: Invoke,
                                                                database: Path) -> None:
    database.write_text("notes, not a database", encoding="utf-8")
    result = cli("user", "list")
    assert result.exit_code == 2
    assert "database_url" in result.output
    assert "not a database" in result.output
    assert database.read_text(encoding="utf-8") == "notes, not a database"
