"""A node's peer trust as wired by ``Node.build``: the registry answers the request verifier,
the database-backed guard refuses replays, a revocation holds from the next request."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from tests.support import FixedClock, sqlite_transactions

from passerelle.bootstrap import node_caller
from passerelle.domain.agencies import DEFAULT_AGENCIES
from passerelle.errors import RejectReason, SignatureRejected
from passerelle.federation.keys import NodeKey, PeerKey
from passerelle.federation.signatures import sign_request, verify_request
from passerelle.node import Node
from passerelle.settings import Settings

ES_KEY = NodeKey(Ed25519PrivateKey.from_private_bytes(bytes(range(32, 64))))
URL = "https://fr.passerelle.example/taxii2/api/collections/shared/objects/?limit=10"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def node(tmp_path: Path, clock: FixedClock) -> Node:
    transactions = sqlite_transactions(tmp_path / "fr.db", clock)
    node = Node.build(Settings(environment="test", agency_id="fr"), transactions, clock)
    node.accounts.register_agencies(list(DEFAULT_AGENCIES))
    node.peers.register(node_caller("fr"), "es", ES_KEY.public_raw_b64(),
                        "https://es.passerelle.example/taxii2/")
    return node


def _signed(clock: FixedClock) -> dict[str, str]:
    return sign_request("GET", URL, {}, b"", ES_KEY, clock.now())


def _verify(node: Node, headers: dict[str, str], clock: FixedClock) -> PeerKey:
    return verify_request("GET", URL, headers.items(), b"", node.peers.key, clock.now(),
                   node.replay_guard)


def test_a_registered_partner_is_recognised_and_its_replay_refused(
        node: Node, clock: FixedClock) -> None:
    headers = _signed(clock)
    assert _verify(node, headers, clock) == ES_KEY.as_peer("es")
    with pytest.raises(SignatureRejected) as replay:
        _verify(node, headers, clock)
    assert replay.value.reason is RejectReason.REPLAYED


def test_a_revoked_key_is_refused_from_the_next_request(node: Node, clock: FixedClock) -> None:
    _verify(node, _signed(clock), clock)
    node.peers.revoke(node_caller("fr"), ES_KEY.key_id)
    clock.advance(seconds=1)
    with pytest.raises(SignatureRejected) as refused:
        _verify(node, _signed(clock), clock)
    assert refused.value.reason is RejectReason.UNKNOWN_KEY
