"""``passerelle peer``: partner nodes' keys registered, listed and revoked from the host."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from passerelle.domain.audit import AuditAction
from passerelle.federation.keys import NodeKey
from passerelle.ports import AuditQuery

from .cli_support import Invoke, node_of

ES_KEY = NodeKey(Ed25519PrivateKey.from_private_bytes(bytes(range(32, 64))))
ES_URL = "https://es.passerelle.example/taxii2/"


def test_a_partner_key_is_added_listed_trusted_and_revoked(cli: Invoke,
                                                           initialised: Path) -> None:
    added = cli("peer", "add", "es", "--public-key", ES_KEY.public_raw_b64(), "--url", ES_URL)
    assert added.exit_code == 0, added.output
    assert ES_KEY.key_id in added.output
    listed = cli("peer", "list")
    assert listed.exit_code == 0, listed.output
    assert ES_KEY.public_raw_b64() in listed.output
    assert "active" in listed.output
    with node_of(initialised) as node:
        assert node.peers.key(ES_KEY.key_id) == ES_KEY.as_peer("es")
    revoked = cli("peer", "revoke", ES_KEY.key_id)
    assert revoked.exit_code == 0, revoked.output
    assert "revoked" in cli("peer", "list").output
    with node_of(initialised) as node:
        assert node.peers.key(ES_KEY.key_id) is None
        with node.transactions() as tx:
            entries = tx.audit.entries(AuditQuery(action=AuditAction.ADMINISTRATION.value),
                                       0, 100)
    operations = [(e.actor, e.details.get("operation")) for e in entries]
    assert operations[-2:] == [("system", "register_peer"), ("system", "revoke_peer")]


def test_a_pem_key_and_a_key_id_are_taken_as_given(cli: Invoke, initialised: Path) -> None:
    result = cli("peer", "add", "ma", "--public-key", ES_KEY.public_pem(), "--url",
                 "https://ma.passerelle.example/taxii2", "--key-id", "ma-node-2026",
                 "--as", "admin")
    assert result.exit_code == 0, result.output
    with node_of(initialised) as node:
        [peer] = node.peers.list()
    assert (peer.agency_id, peer.key_id) == ("ma", "ma-node-2026")
    assert peer.added_by.startswith("user:"), "--as names the administrator, not the node"
    assert peer.base_url == "https://ma.passerelle.example/taxii2/"


def test_a_bad_url_is_refused_naming_the_field(cli: Invoke, initialised: Path) -> None:
    result = cli("peer", "add", "es", "--public-key", ES_KEY.public_raw_b64(), "--url",
                 "ftp://es.passerelle.example/")
    assert result.exit_code == 2
    assert "base_url" in result.output
    assert "no peer keys registered" in cli("peer", "list").output


def test_this_nodes_own_agency_is_not_a_peer(cli: Invoke, initialised: Path) -> None:
    result = cli("peer", "add", "fr", "--public-key", ES_KEY.public_raw_b64(), "--url", ES_URL)
    assert result.exit_code == 2
    assert "agency_id" in result.output


def test_an_analyst_may_not_add_or_revoke_keys(cli: Invoke, initialised: Path) -> None:
    assert cli("user", "add", "nadia.analyst", "--role", "analyst", "--password",
               "a-long-enough-password").exit_code == 0
    refused = cli("peer", "add", "es", "--public-key", ES_KEY.public_raw_b64(), "--url",
                  ES_URL, "--as", "nadia.analyst")
    assert refused.exit_code == 2
    assert "forbidden" in refused.output
    assert cli("peer", "add", "es", "--public-key", ES_KEY.public_raw_b64(), "--url",
               ES_URL).exit_code == 0
    assert cli("peer", "revoke", ES_KEY.key_id, "--as", "nadia.analyst").exit_code == 2
    with node_of(initialised) as node:
        assert node.peers.key(ES_KEY.key_id) is not None


def test_revoking_an_unknown_key_is_not_found(cli: Invoke, initialised: Path) -> None:
    result = cli("peer", "revoke", "no-such-key")
    assert result.exit_code == 2
    assert "not_found" in result.output
    assert "key_id" in result.output
