"""The node key: created by ``passerelle init``, kept by every later run, printed by
``passerelle node-key`` for partners to register."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest

from passerelle.bootstrap import node_key_path
from passerelle.federation.keys import NodeKey, PeerKey
from passerelle.settings import Settings

from .cli_support import ADMIN_PASSWORD, Invoke


def _printed(output: str) -> tuple[str, str]:
    key_id = re.search(r"key id: (\S+)", output)
    public = re.search(r"public key: (\S+)", output)
    assert key_id is not None, output
    assert public is not None, output
    return key_id[1], public[1]


def test_init_creates_the_key_next_to_the_database_and_prints_it(
        cli: Invoke, database: Path) -> None:
    result = cli("init", "--admin-password", ADMIN_PASSWORD)
    assert result.exit_code == 0, result.output
    key_file = database.with_name("node.node.key")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = NodeKey.load(key_file)
    assert "node key created" in result.output
    assert _printed(result.output) == (key.key_id, key.public_raw_b64())
    assert f"passerelle peer add fr --public-key {key.public_raw_b64()}" in result.output


def test_init_again_keeps_the_key(cli: Invoke, database: Path) -> None:
    first = cli("init", "--admin-password", ADMIN_PASSWORD)
    again = cli("init", "--no-input")
    assert again.exit_code == 0, again.output
    assert "node key kept" in again.output
    assert _printed(again.output) == _printed(first.output)
    assert stat.S_IMODE(database.with_name("node.node.key").stat().st_mode) == 0o600


def test_node_key_prints_the_key_init_made(cli: Invoke, database: Path) -> None:
    made = _printed(cli("init", "--admin-password", ADMIN_PASSWORD).output)
    shown = cli("node-key")
    assert shown.exit_code == 0, shown.output
    assert _printed(shown.output) == made
    pem = cli("node-key", "--pem")
    assert pem.exit_code == 0, pem.output
    assert pem.output.startswith("-----BEGIN PUBLIC KEY-----")
    parsed = PeerKey.parse("fr", pem.output)
    assert (parsed.key_id, parsed.public_raw_b64()) == made


def test_the_key_file_setting_is_honoured(cli: Invoke, database: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    chosen = tmp_path / "keys" / "fr-signing.pem"
    chosen.parent.mkdir()
    monkeypatch.setenv("PASSERELLE_NODE_KEY_FILE", str(chosen))
    result = cli("init", "--admin-password", ADMIN_PASSWORD)
    assert result.exit_code == 0, result.output
    assert _printed(result.output)[0] == NodeKey.load(chosen).key_id
    assert not database.with_name("node.node.key").exists()


def test_node_key_before_init_says_to_run_init(cli: Invoke) -> None:
    result = cli("node-key")
    assert result.exit_code == 2
    assert "passerelle init" in result.output


def test_a_key_file_others_may_read_is_refused_and_left_alone(
        cli: Invoke, database: Path) -> None:
    assert cli("init", "--admin-password", ADMIN_PASSWORD).exit_code == 0
    key_file = database.with_name("node.node.key")
    before = key_file.read_bytes()
    key_file.chmod(0o644)
    for command in (("init", "--no-input"), ("node-key",)):
        result = cli(*command)
        assert result.exit_code == 2
        assert "invalid_key" in result.output
        assert "chmod 600" in result.output
    assert key_file.read_bytes() == before


@pytest.mark.parametrize(("database_url", "expected"), [
    ("sqlite:///passerelle.db", Path("passerelle.node.key")),
    ("sqlite:////srv/passerelle/es.db", Path("/srv/passerelle/es.node.key")),
    ("sqlite://", Path("passerelle-node.key")),
    ("postgresql+psycopg://passerelle@db.example/passerelle", Path("passerelle-node.key")),
])
def test_the_key_lives_next_to_a_sqlite_database_by_default(database_url: str,
                                                            expected: Path) -> None:
    assert node_key_path(Settings(database_url=database_url, node_key_file=None)) == expected
