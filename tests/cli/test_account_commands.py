"""``passerelle user ...`` and ``passerelle token ...``: accounts and API tokens, changed only
by the node itself or an administrator, every change audited."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from passerelle.domain.users import Role
from passerelle.errors import AuthenticationRequired

from .cli_support import ADMIN_PASSWORD, Invoke, node_of

PASSWORD = "a-long-enough-password"


def test_user_add_creates_an_account_that_logs_in(cli: Invoke, initialised: Path) -> None:
    result = cli("user", "add", "nadia.analyst", "--role", "analyst", "--role", "reviewer",
                 "--display-name", "Nadia", "--compartment", "op-x", "--password", PASSWORD)
    assert result.exit_code == 0, result.output
    with node_of(initialised) as node:
        user = node.accounts.login("nadia.analyst", PASSWORD)
    assert user.roles == {Role.ANALYST, Role.REVIEWER}
    assert user.compartments == {"op-x"}
    assert user.display_name == "Nadia"


def test_user_add_prompts_twice_and_can_generate(cli: Invoke, initialised: Path) -> None:
    assert cli("user", "add", "a.one", "--role", "analyst",
               input=f"{PASSWORD}\n{PASSWORD}\n").exit_code == 0
    generated = cli("user", "add", "a.two", "--role", "auditor", "--generate-password")
    assert generated.exit_code == 0, generated.output
    secret = re.search(r"shown once\): (\S+)", generated.output)
    assert secret is not None
    with node_of(initialised) as node:
        assert node.accounts.login("a.one", PASSWORD).username == "a.one"
        assert node.accounts.login("a.two", secret[1]).username == "a.two"


def test_a_taken_username_is_a_conflict(cli: Invoke, initialised: Path) -> None:
    result = cli("user", "add", "admin", "--role", "analyst", "--password", PASSWORD)
    assert result.exit_code == 2
    assert "conflict" in result.output
    assert "username" in result.output


def test_an_unknown_role_is_a_usage_error(cli: Invoke, initialised: Path) -> None:
    result = cli("user", "add", "x.y", "--role", "superuser", "--password", PASSWORD)
    assert result.exit_code == 2
    assert "superuser" in result.output


def test_user_list_shows_every_account(cli: Invoke, seeded: Path) -> None:
    result = cli("user", "list")
    assert result.exit_code == 0, result.output
    for name in ("admin", "amina.analyst", "lucas.reviewer", "ines.releaser", "pieter.auditor"):
        assert name in result.output
    assert "5 accounts" in result.output


def test_set_roles_disable_enable_and_password(cli: Invoke, seeded: Path) -> None:
    assert cli("user", "set-roles", "lucas.reviewer", "--role", "reviewer", "--role",
               "releaser").exit_code == 0
    assert cli("user", "disable", "lucas.reviewer").exit_code == 0
    with node_of(seeded) as node, pytest.raises(AuthenticationRequired):
        node.accounts.login("lucas.reviewer", "passerelle-demo")
    assert cli("user", "enable", "lucas.reviewer").exit_code == 0
    assert cli("user", "password", "lucas.reviewer", "--password", PASSWORD).exit_code == 0
    with node_of(seeded) as node:
        user = node.accounts.login("lucas.reviewer", PASSWORD)
    assert user.roles == {Role.REVIEWER, Role.RELEASER}
    assert user.active


def test_only_administrators_manage_accounts(cli: Invoke, seeded: Path) -> None:
    result = cli("user", "disable", "admin", "--as", "amina.analyst")
    assert result.exit_code == 2
    assert "needs the administrator role" in result.output
    assert cli("user", "disable", "amina.analyst", "--as", "admin").exit_code == 0


def test_acting_as_an_unknown_user_names_the_option(cli: Invoke, seeded: Path) -> None:
    result = cli("user", "list", "--as", "nobody")
    assert result.exit_code == 2
    assert "not_found" in result.output
    assert "as" in result.output


def test_account_changes_are_audited_under_the_acting_identity(cli: Invoke,
                                                                seeded: Path) -> None:
    assert cli("user", "disable", "ines.releaser", "--as", "admin").exit_code == 0
    assert cli("user", "enable", "ines.releaser").exit_code == 0
    with node_of(seeded) as node:
        admin = node.accounts.login("admin", ADMIN_PASSWORD)
        changes = [e for e in node.audit.export(None)
                   if e.details.get("operation") == "update_user"]
    assert [e.actor for e in changes[-2:]] == [admin.principal, "system"]


def test_token_issue_list_revoke(cli: Invoke, seeded: Path) -> None:
    issued = cli("token", "issue", "amina.analyst", "--name", "nightly sync", "--days", "30")
    assert issued.exit_code == 0, issued.output
    secret = re.search(r"\bpsl_\S+", issued.output)
    token_id = re.search(r"token issued.* id (\S+)", issued.output)
    assert secret
    assert token_id
    with node_of(seeded) as node:
        assert node.accounts.authenticate_token(secret[0]).username == "amina.analyst"
    listed = cli("token", "list", "amina.analyst")
    assert listed.exit_code == 0
    assert token_id[1] in listed.output
    assert "nightly sync" in listed.output
    assert secret[0] not in listed.output
    assert cli("token", "revoke", token_id[1]).exit_code == 0
    with node_of(seeded) as node, pytest.raises(AuthenticationRequired):
        node.accounts.authenticate_token(secret[0])


def test_revoking_an_unknown_token_is_not_found(cli: Invoke, seeded: Path) -> None:
    result = cli("token", "revoke", "no-such-token")
    assert result.exit_code == 2
    assert "not_found" in result.output


def test_a_user_may_issue_their_own_token_but_not_another_users(cli: Invoke,
                                                                seeded: Path) -> None:
    assert cli("token", "issue", "amina.analyst", "--name", "mine",
               "--as", "amina.analyst").exit_code == 0
    other = cli("token", "issue", "lucas.reviewer", "--name", "not mine",
                "--as", "amina.analyst")
    assert other.exit_code == 2
    assert "forbidden" in other.output
