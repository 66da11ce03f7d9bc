"""Node keys on disk and peer keys as registered (docs/federation.md, "Keys")."""

from __future__ import annotations

import base64
import os
import re
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from passerelle.errors import Conflict, InvalidKey
from passerelle.federation.keys import NodeKey, PeerKey, ensure_node_key, key_id_of


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_key_id_is_22_base64url_characters_derived_from_the_public_key() -> None:
    key = NodeKey.generate()
    assert re.fullmatch(r"[A-Za-z0-9_-]{22}", key.key_id)
    assert key.key_id == key_id_of(key.public_key)
    assert key.key_id != NodeKey.generate().key_id


def test_a_saved_key_is_private_to_its_owner_and_loads_back(tmp_path: Path) -> None:
    key = NodeKey.generate()
    path = tmp_path / "node.key"
    key.save(path)
    assert mode_of(path) == 0o600
    loaded = NodeKey.load(path)
    assert loaded.key_id == key.key_id
    assert loaded.public_raw_b64() == key.public_raw_b64()


def test_a_key_is_saved_private_even_under_a_permissive_umask(tmp_path: Path) -> None:
    previous = os.umask(0)
    try:
        NodeKey.generate().save(tmp_path / "node.key")
    finally:
        os.umask(previous)
    assert mode_of(tmp_path / "node.key") == 0o600


def test_saving_never_overwrites_a_key(tmp_path: Path) -> None:
    path = tmp_path / "node.key"
    first = NodeKey.generate()
    first.save(path)
    with pytest.raises(Conflict) as caught:
        NodeKey.generate().save(path)
    assert caught.value.field == "key_file"
    assert NodeKey.load(path).key_id == first.key_id


def test_saving_into_a_missing_directory_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(Conflict, match="cannot create"):
        NodeKey.generate().save(tmp_path / "absent" / "node.key")


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o644, 0o660])
def test_a_key_file_others_may_read_is_refused(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "node.key"
    NodeKey.generate().save(path)
    path.chmod(mode)
    with pytest.raises(InvalidKey, match="chmod 600") as caught:
        NodeKey.load(path)
    assert caught.value.field == "key_file"


def test_a_missing_key_file_says_to_run_init(tmp_path: Path) -> None:
    with pytest.raises(Conflict, match="passerelle init"):
        NodeKey.load(tmp_path / "node.key")


@pytest.mark.parametrize("content", [b"not a key", b"", NodeKey.generate().public_pem().encode()])
def test_a_key_file_without_a_private_key_is_invalid(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "node.key"
    path.write_bytes(content)
    path.chmod(0o600)
    with pytest.raises(InvalidKey) as caught:
        NodeKey.load(path)
    assert caught.value.field == "key_file"


def test_a_key_of_another_type_is_invalid() -> None:
    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())
    with pytest.raises(InvalidKey, match="not an Ed25519 key"):
        NodeKey.from_pem(pem)


def test_an_encrypted_key_is_refused_with_the_reason() -> None:
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"a passphrase"))
    with pytest.raises(InvalidKey, match="encrypted"):
        NodeKey.from_pem(pem)


def test_ensure_creates_a_key_once_and_keeps_it(tmp_path: Path) -> None:
    path = tmp_path / "node.key"
    created, was_created = ensure_node_key(path)
    kept, again = ensure_node_key(path)
    assert (was_created, again) == (True, False)
    assert kept.key_id == created.key_id


def test_ensure_does_not_replace_an_unreadable_key(tmp_path: Path) -> None:
    path = tmp_path / "node.key"
    NodeKey.generate().save(path)
    path.chmod(0o644)
    with pytest.raises(InvalidKey):
        ensure_node_key(path)


def test_the_repr_of_a_node_key_shows_only_its_id() -> None:
    key = NodeKey.generate()
    assert repr(key) == f"NodeKey(key_id={key.key_id!r})"


@pytest.mark.parametrize("form", ["pem", "raw", "urlsafe raw"])
def test_a_peer_key_reads_from_pem_or_raw_base64_with_the_same_id(form: str) -> None:
    key = NodeKey.generate()
    text = {"pem": key.public_pem(), "raw": key.public_raw_b64(),
            "urlsafe raw": key.public_raw_b64().replace("+", "-").replace("/", "_").rstrip("=")
            }[form]
    peer = PeerKey.parse("es", text)
    assert (peer.agency_id, peer.key_id) == ("es", key.key_id)
    assert peer.public_pem() == key.public_pem()
    assert peer.verify(key.sign(b"message"), b"message")
    assert not peer.verify(key.sign(b"message"), b"massage")


def test_a_peer_key_may_carry_an_assigned_key_id() -> None:
    peer = PeerKey.parse("es", NodeKey.generate().public_raw_b64(), key_id="es-2026")
    assert peer.key_id == "es-2026"


@pytest.mark.parametrize(("agency", "text", "key_id", "field"), [
    ("", NodeKey.generate().public_raw_b64(), None, "agency_id"),
    ("es", "not base64!", None, "public_key"),
    ("es", base64.b64encode(b"\x01" * 31).decode(), None, "public_key"),
    ("es", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", None, "public_key"),
    ("es", NodeKey.generate().public_raw_b64(), " ", "key_id"),
])
def test_a_bad_peer_key_names_the_field(agency: str, text: str, key_id: str | None,
                                        field: str) -> None:
    with pytest.raises(InvalidKey) as caught:
        PeerKey.parse(agency, text, key_id)
    assert caught.value.field == field


def test_a_peer_key_of_another_type_is_refused() -> None:
    pem = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    with pytest.raises(InvalidKey, match="not an Ed25519 public key"):
        PeerKey.parse("es", pem)


def test_peer_keys_compare_and_hash_as_plain_data() -> None:
    key = NodeKey.generate()
    registered = {key.as_peer("fr"), PeerKey.parse("fr", key.public_pem())}
    assert registered == {PeerKey("fr", key.key_id, base64.b64decode(key.public_raw_b64()))}


def test_a_peer_key_of_the_wrong_length_is_refused_even_when_built_directly() -> None:
    with pytest.raises(InvalidKey) as caught:
        PeerKey("fr", "k", b"\x00" * 31)
    assert caught.value.field == "public_key"
