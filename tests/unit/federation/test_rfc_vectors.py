"""Interoperability: the published examples of RFC 9421 (HTTP Message Signatures, Appendix
B.1.4 and B.2.6) and RFC 9530 (Digest Fields, section 2 and the RFC 9421 test request).

The key, request and signature below are the RFCs' test material. Ed25519 is deterministic,
so signing the same signature base with the same key must give the published signature byte
for byte; verifying the published signature checks the base the other way round.
"""

from __future__ import annotations

import base64

from passerelle.federation.content_digest import content_digest, digests_match, read_digests
from passerelle.federation.keys import NodeKey, PeerKey
from passerelle.federation.signature_base import RequestParts, signature_base
from passerelle.federation.signature_headers import (
    parse_signature_input,
    parse_signatures,
    serialise_signature_input,
    serialise_signatures,
)

TEST_KEY_PRIVATE = b"""-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF
-----END PRIVATE KEY-----
"""
TEST_KEY_PUBLIC = """-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAJrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=
-----END PUBLIC KEY-----
"""
TEST_KEY_ID = "test-key-ed25519"

# The test request of RFC 9421 Appendix B.2: POST /foo?param=Value&Pet=dog to example.com.
TEST_BODY = b'{"hello": "world"}'
TEST_HEADERS = [
    ("Host", "example.com"),
    ("Date", "Tue, 20 Apr 2021 02:07:55 GMT"),
    ("Content-Type", "application/json"),
    ("Content-Digest", "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNN"
                       "yealdVLvRwEmTHWXvJwew==:"),
    ("Content-Length", "18"),
]
TEST_REQUEST = RequestParts.of("POST", "https://example.com/foo?param=Value&Pet=dog",
                               TEST_HEADERS, TEST_BODY)

# Appendix B.2.6, "Signing a Request Using ed25519" (RFC 8792 line wrapping undone).
B26_SIGNATURE_INPUT = ('sig-b26=("date" "@method" "@path" "@authority" "content-type" '
                       '"content-length");created=1618884473;keyid="test-key-ed25519"')
B26_SIGNATURE = ("sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6"
                 "vuQv5lIp5WPpBKRCw==:")
B26_BASE = (
    b'"date": Tue, 20 Apr 2021 02:07:55 GMT\n'
    b'"@method": POST\n'
    b'"@path": /foo\n'
    b'"@authority": example.com\n'
    b'"content-type": application/json\n'
    b'"content-length": 18\n'
    b'"@signature-params": ("date" "@method" "@path" "@authority" "content-type" '
    b'"content-length");created=1618884473;keyid="test-key-ed25519"'
)


def test_the_rfc_test_key_reads_and_its_public_half_matches() -> None:
    key = NodeKey.from_pem(TEST_KEY_PRIVATE, key_id=TEST_KEY_ID)
    assert key.public_pem() == TEST_KEY_PUBLIC


def test_the_b26_signature_input_reads_and_serialises_back_unchanged() -> None:
    declared = parse_signature_input(B26_SIGNATURE_INPUT)
    assert declared["sig-b26"].string("keyid") == TEST_KEY_ID
    assert declared["sig-b26"].integer("created") == 1618884473
    assert serialise_signature_input(declared) == B26_SIGNATURE_INPUT


def test_the_b26_signature_base_is_reproduced_exactly() -> None:
    params = parse_signature_input(B26_SIGNATURE_INPUT)["sig-b26"]
    assert signature_base(TEST_REQUEST, params) == B26_BASE


def test_the_published_b26_signature_verifies_with_the_published_public_key() -> None:
    peer = PeerKey.parse("rfc", TEST_KEY_PUBLIC, key_id=TEST_KEY_ID)
    params = parse_signature_input(B26_SIGNATURE_INPUT)["sig-b26"]
    signature = parse_signatures(B26_SIGNATURE)["sig-b26"]
    assert peer.verify(signature, signature_base(TEST_REQUEST, params))
    assert not peer.verify(signature, B26_BASE.replace(b"POST", b"PUT"))


def test_signing_the_b26_base_gives_the_published_signature() -> None:
    key = NodeKey.from_pem(TEST_KEY_PRIVATE, key_id=TEST_KEY_ID)
    assert serialise_signatures({"sig-b26": key.sign(B26_BASE)}) == B26_SIGNATURE


def test_the_content_digest_of_the_rfc_examples_is_reproduced() -> None:
    # RFC 9530 section 2: the sha-256 of {"hello": "world"}.
    assert content_digest(TEST_BODY) == (
        "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:")
    # The test request of RFC 9421 carries sha-512 only, which is checked but not enough.
    sha512 = dict(TEST_HEADERS)["Content-Digest"]
    assert read_digests(sha512) is None
    both = read_digests(f"{content_digest(TEST_BODY)}, {sha512}")
    assert both is not None
    assert digests_match(both, TEST_BODY)
    both["sha-512"] = base64.b64decode("AAAA")
    assert not digests_match(both, TEST_BODY)
