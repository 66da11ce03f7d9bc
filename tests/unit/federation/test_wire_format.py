"""The signed request's headers are a wire format partners implement: frozen here, byte for
byte (Ed25519 is deterministic), and shown in docs/federation.md. A change that breaks this
test breaks every partner node still running the previous version."""

from __future__ import annotations

import datetime as dt

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from passerelle.federation.keys import NodeKey
from passerelle.federation.replay import MemoryReplayGuard
from passerelle.federation.signatures import sign_request, verify_request

KEY = NodeKey(Ed25519PrivateKey.from_private_bytes(bytes(range(32))))
AT = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
URL = "https://es.passerelle.example/taxii2/api/collections/shared/objects/"
HEADERS = {"Content-Type": "application/taxii+json;version=2.1"}
BODY = b'{"objects": []}'
GOLDEN = {
    "Content-Digest": "sha-256=:KFzxCo3VcajgztnAEf1C0MSEmqOpzk67qoibIZSixKM=:",
    "Signature-Input": (
        'passerelle=("@method" "@authority" "@path" "@query" "content-digest" "content-type")'
        ';created=1795338000;expires=1795338120;keyid="Vkdap1RjR0wChd9dvyvKtw";alg="ed25519"'
        ';nonce="Xc1bN4yR7tQe2LwK9pZs0mVa";tag="passerelle"'),
    "Signature": ("passerelle=:WqPJ2h16TaZUzoL30Akr/UyXREkp8nnf0a8UvUrlk/jhPUtlYA//a1frPNFKlGdFu9lB"
                  "x4ARIZwQmPhRLxCjCA==:"),
}


def test_the_key_id_of_a_known_key_is_frozen() -> None:
    assert KEY.key_id == "Vkdap1RjR0wChd9dvyvKtw"
    assert KEY.public_raw_b64() == "A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg="


def test_the_signed_headers_of_a_known_request_are_frozen() -> None:
    assert sign_request("POST", URL, HEADERS, BODY, KEY, AT, "Xc1bN4yR7tQe2LwK9pZs0mVa") == GOLDEN


def test_the_golden_request_verifies() -> None:
    peers = {KEY.key_id: KEY.as_peer("fr")}
    peer = verify_request("POST", URL, HEADERS | GOLDEN, BODY, peers.get, AT,
                          MemoryReplayGuard())
    assert peer.agency_id == "fr"
