"""Signing and verifying node-to-node requests (docs/federation.md, "Peer trust")."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from tests.unit.federation.signing_support import (
    BODY,
    ES_KEY,
    FR_KEY,
    NOW,
    REGISTRY,
    URL,
    Signed,
    peers_of,
)

from passerelle.errors import (
    AuthenticationRequired,
    RejectReason,
    SignatureRejected,
    ValidationFailed,
)
from passerelle.federation.content_digest import content_digest
from passerelle.federation.keys import NodeKey
from passerelle.federation.replay import MemoryReplayGuard
from passerelle.federation.signature_base import RequestParts, signature_base
from passerelle.federation.signature_headers import (
    ParamValue,
    SignatureParams,
    serialise_signature_input,
    serialise_signatures,
)
from passerelle.federation.signatures import COVERED_WITH_BODY, sign_request, verify_request

CONTENT_TYPE = "application/taxii+json;version=2.1"
GOOD_PARAMS: tuple[tuple[str, ParamValue], ...] = (
    ("created", int(NOW.timestamp())), ("expires", int(NOW.timestamp()) + 60),
    ("keyid", FR_KEY.key_id), ("alg", "ed25519"), ("nonce", "n" * 24), ("tag", "passerelle"))


def rejection(signed: Signed, **verify: object) -> SignatureRejected:
    with pytest.raises(SignatureRejected) as caught:
        signed.verify(**verify)  # type: ignore[arg-type]
    return caught.value


def hand_signed(components: tuple[str, ...] = COVERED_WITH_BODY,
                params: tuple[tuple[str, ParamValue], ...] = GOOD_PARAMS,
                headers: dict[str, str] | None = None) -> Signed:
    """A request signed by FR_KEY with exactly these components and parameters, bypassing
    ``sign_request``'s profile: what a peer with other habits might send."""
    sent = headers if headers is not None else {"Content-Type": CONTENT_TYPE,
                                                 "Content-Digest": content_digest(BODY)}
    chosen = SignatureParams(components, params)
    base = signature_base(RequestParts.of("POST", URL, sent, BODY), chosen)
    return Signed("POST", URL, sent | {
        "Signature-Input": serialise_signature_input({"sig": chosen}),
        "Signature": serialise_signatures({"sig": FR_KEY.sign(base)})}, BODY)


def test_a_signed_request_verifies_as_the_peer_that_signed_it() -> None:
    peer = Signed.make().verify()
    assert (peer.agency_id, peer.key_id) == ("fr", FR_KEY.key_id)


def test_the_signature_covers_method_authority_path_query_digest_and_content_type() -> None:
    headers = Signed.make(nonce="a-fixed-nonce-of-24-char").headers
    created = int(NOW.timestamp())
    assert headers["Signature-Input"] == (
        'passerelle=("@method" "@authority" "@path" "@query" "content-digest" "content-type")'
        f';created={created};expires={created + 120};keyid="{FR_KEY.key_id}";alg="ed25519"'
        ';nonce="a-fixed-nonce-of-24-char";tag="passerelle"')
    digest = base64.b64encode(hashlib.sha256(BODY).digest()).decode()
    assert headers["Content-Digest"] == f"sha-256=:{digest}:"
    assert headers["Signature"].startswith("passerelle=:")


def test_a_request_without_body_covers_the_digest_of_nothing_and_no_content_type() -> None:
    signed = Signed.make("GET", body=b"", content_type=None)
    assert '"content-type"' not in signed.headers["Signature-Input"]
    assert signed.headers["Content-Digest"] == (
        "sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:")
    assert signed.verify().agency_id == "fr"


def test_each_request_gets_a_fresh_nonce() -> None:
    first, second = Signed.make(), Signed.make()
    assert first.headers["Signature-Input"] != second.headers["Signature-Input"]


def test_signing_a_body_without_content_type_is_refused() -> None:
    with pytest.raises(ValidationFailed) as caught:
        sign_request("POST", URL, {}, BODY, FR_KEY, NOW)
    assert caught.value.field == "content-type"


@pytest.mark.parametrize(("nonce", "lifetime_s", "field"), [
    ("short", 120, "nonce"), ("nonce with a line\nbreak", 120, "nonce"),
    ("n" * 129, 120, "nonce"), ("n" * 24, 0, "lifetime_s")])
def test_signing_refuses_a_nonce_or_lifetime_a_peer_would_refuse(nonce: str, lifetime_s: int,
                                                                  field: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        sign_request("GET", URL, {}, b"", FR_KEY, NOW, nonce, lifetime_s=lifetime_s)
    assert caught.value.field == field


def test_signing_replaces_stale_signature_headers() -> None:
    first = Signed.make()
    again = sign_request("POST", URL, first.headers, BODY, FR_KEY, NOW)
    assert dataclasses.replace(first, headers=first.headers | again).verify().agency_id == "fr"


@pytest.mark.parametrize(("part", "tampered"), [
    ("method", lambda s: dataclasses.replace(s, method="PUT")),
    ("authority", lambda s: dataclasses.replace(s, url=s.url.replace("es.", "be."))),
    ("path", lambda s: dataclasses.replace(s, url=s.url.replace("/abc/", "/xyz/"))),
    ("query", lambda s: dataclasses.replace(s, url=s.url.replace("limit=50", "limit=5000"))),
    ("dropped query", lambda s: dataclasses.replace(s, url=s.url.partition("?")[0])),
    ("content-type", lambda s: s.with_header("Content-Type", "application/json")),
])
def test_tampering_with_a_covered_component_breaks_the_signature(part: str, tampered: object
                                                                ) -> None:
    signed = tampered(Signed.make())  # type: ignore[operator]
    assert rejection(signed).reason is RejectReason.BAD_SIGNATURE, part


def test_tampering_with_the_body_is_a_digest_mismatch() -> None:
    signed = dataclasses.replace(Signed.make(), body=b'{"objects": [1]}')
    assert rejection(signed).reason is RejectReason.DIGEST_MISMATCH


def test_a_body_with_a_recomputed_digest_breaks_the_signature() -> None:
    forged_body = b'{"objects": [1]}'
    signed = dataclasses.replace(Signed.make(), body=forged_body).with_header(
        "Content-Digest", content_digest(forged_body))
    assert rejection(signed).reason is RejectReason.BAD_SIGNATURE


def test_a_key_no_peer_registered_is_unknown() -> None:
    caught = rejection(Signed.make(key=ES_KEY))
    assert (caught.reason, caught.key_id) == (RejectReason.UNKNOWN_KEY, ES_KEY.key_id)


def test_a_signature_by_another_key_under_a_registered_key_id_is_bad() -> None:
    impostor = NodeKey(Ed25519PrivateKey.generate(), key_id=FR_KEY.key_id)
    assert rejection(Signed.make(key=impostor)).reason is RejectReason.BAD_SIGNATURE


def test_a_replayed_request_is_refused_while_its_signature_would_be_accepted() -> None:
    guard = MemoryReplayGuard()
    signed = Signed.make()
    signed.verify(replay=guard)
    assert rejection(signed, replay=guard).reason is RejectReason.REPLAYED
    later = NOW + dt.timedelta(seconds=61)
    assert rejection(signed, replay=guard, now=later).reason is RejectReason.STALE


def test_the_same_nonce_from_two_peers_is_not_a_replay() -> None:
    guard = MemoryReplayGuard()
    registry = peers_of(("fr", FR_KEY), ("es", ES_KEY))
    Signed.make(nonce="shared-nonce-0123456789").verify(replay=guard, registry=registry)
    peer = Signed.make(key=ES_KEY, nonce="shared-nonce-0123456789").verify(
        replay=guard, registry=registry)
    assert peer.agency_id == "es"


def test_a_forgery_does_not_burn_the_nonce_of_the_genuine_request() -> None:
    guard = MemoryReplayGuard()
    genuine = Signed.make(nonce="seen-in-flight-0123456789")
    forged = dataclasses.replace(genuine, method="DELETE")
    assert rejection(forged, replay=guard).reason is RejectReason.BAD_SIGNATURE
    assert genuine.verify(replay=guard).agency_id == "fr"


@pytest.mark.parametrize("age_s", [-60, 60])
def test_created_within_the_allowed_skew_is_accepted(age_s: int) -> None:
    signed = Signed.make(at=NOW - dt.timedelta(seconds=age_s))
    assert signed.verify().agency_id == "fr"


def test_created_beyond_the_allowed_skew_is_stale() -> None:
    caught = rejection(Signed.make(at=NOW - dt.timedelta(seconds=61)))
    assert (caught.reason, caught.field) == (RejectReason.STALE, "created")


def test_created_in_the_future_beyond_the_skew_is_refused() -> None:
    assert rejection(Signed.make(at=NOW + dt.timedelta(seconds=61))).reason is (
        RejectReason.FUTURE)


def test_a_signature_past_its_expiry_is_refused() -> None:
    created = int(NOW.timestamp()) - 30
    params = (("created", created), ("expires", created + 10), *GOOD_PARAMS[2:])
    assert rejection(hand_signed(params=params)).reason is RejectReason.EXPIRED


def test_a_request_without_content_digest_is_refused() -> None:
    signed = Signed.make().with_header("Content-Digest", None)
    assert rejection(signed).reason is RejectReason.MISSING_DIGEST


@pytest.mark.parametrize("digest", ["sha-256=abc", "sha-512=:AAAA:", "md5=:AAAA:", "é"])
def test_a_content_digest_without_a_readable_sha256_is_missing(digest: str) -> None:
    signed = Signed.make().with_header("Content-Digest", digest)
    assert rejection(signed).reason is RejectReason.MISSING_DIGEST


def test_a_request_without_signature_headers_is_refused() -> None:
    signed = Signed.make().with_header("Signature", None)
    caught = rejection(signed)
    assert (caught.reason, caught.key_id) == (RejectReason.MISSING_SIGNATURE, None)
    assert isinstance(caught, AuthenticationRequired)
    assert (caught.code, caught.status) == ("signature_rejected", 401)


def test_signatures_of_others_are_ignored_but_not_enough() -> None:
    theirs = 'proxy=("@method");created=1;keyid="p"'
    assert rejection(Signed.make().with_header("Signature-Input", theirs)).reason is (
        RejectReason.MISSING_SIGNATURE)
    ours = Signed.make()
    both = ours.with_header(
        "Signature-Input", f"{theirs}, {ours.headers['Signature-Input']}").with_header(
        "Signature", f"proxy=:AAAA:, {ours.headers['Signature']}")
    assert both.verify().agency_id == "fr"


@pytest.mark.parametrize("value", ['passerelle=("@method"', "passerelle=(@method);tag=1",
                                   'passerelle=("@method";sf);tag="passerelle"',
                                   'passerelle=("@method" "@method");tag="passerelle"'])
def test_an_unreadable_signature_input_is_malformed(value: str) -> None:
    signed = Signed.make().with_header("Signature-Input", value)
    assert rejection(signed).reason is RejectReason.MALFORMED_SIGNATURE


def test_a_label_given_twice_is_malformed_rather_than_last_wins() -> None:
    signed = Signed.make()
    lines = [*signed.headers.items(), ("Signature", "passerelle=:AAAA:")]
    with pytest.raises(SignatureRejected) as caught:
        verify_request(signed.method, signed.url, lines, signed.body, REGISTRY.get, NOW,
                       MemoryReplayGuard())
    assert caught.value.reason is RejectReason.MALFORMED_SIGNATURE


@pytest.mark.parametrize("dropped", ["keyid", "created", "expires", "nonce"])
def test_a_signature_without_a_required_parameter_is_malformed(dropped: str) -> None:
    params = tuple(p for p in GOOD_PARAMS if p[0] != dropped)
    assert rejection(hand_signed(params=params)).reason is RejectReason.MALFORMED_SIGNATURE


def test_a_nonce_too_short_to_be_unique_is_malformed() -> None:
    params = tuple(p if p[0] != "nonce" else ("nonce", "abc") for p in GOOD_PARAMS)
    assert rejection(hand_signed(params=params)).reason is RejectReason.MALFORMED_SIGNATURE


def test_another_algorithm_is_refused() -> None:
    params = tuple(p if p[0] != "alg" else ("alg", "rsa-pss-sha512") for p in GOOD_PARAMS)
    assert rejection(hand_signed(params=params)).reason is RejectReason.UNSUPPORTED_ALGORITHM


@pytest.mark.parametrize("uncovered", ["content-type", "content-digest", "@query", "@method"])
def test_a_signature_that_leaves_a_required_component_out_is_insufficient(uncovered: str
                                                                         ) -> None:
    components = tuple(c for c in COVERED_WITH_BODY if c != uncovered)
    caught = rejection(hand_signed(components))
    assert caught.reason is RejectReason.INSUFFICIENT_COVERAGE
    assert uncovered in caught.detail


def test_the_hand_signed_request_is_itself_accepted() -> None:
    assert hand_signed().verify().agency_id == "fr"


def test_a_covered_header_that_is_missing_is_refused() -> None:
    signed = Signed.make().with_header("Content-Type", None)
    caught = rejection(signed)
    assert (caught.reason, caught.field) == (RejectReason.MISSING_COMPONENT, "content-type")


def test_a_signature_of_the_wrong_length_is_bad() -> None:
    signed = Signed.make().with_header("Signature", "passerelle=:AAAA:")
    assert rejection(signed).reason is RejectReason.BAD_SIGNATURE


def test_header_names_are_case_insensitive_and_lines_of_one_field_are_joined() -> None:
    signed = Signed.make()
    lines = [(name.upper(), value) for name, value in signed.headers.items()]
    lines.append(("Accept", "application/taxii+json"))
    lines.append(("accept", "application/json"))
    peer = verify_request(signed.method, signed.url, lines, signed.body, REGISTRY.get, NOW,
                          MemoryReplayGuard())
    assert peer.agency_id == "fr"


def test_a_percent_encoded_path_is_covered_as_sent() -> None:
    url = "https://es.passerelle.example/taxii2/api/collections/a%2Fb/objects/"
    signed = Signed.make(url=url)
    assert signed.verify().agency_id == "fr"
    decoded = dataclasses.replace(signed, url=url.replace("%2F", "/"))
    assert rejection(decoded).reason is RejectReason.BAD_SIGNATURE


def test_the_default_port_of_the_scheme_does_not_matter() -> None:
    signed = Signed.make(url="https://es.passerelle.example/taxii2/")
    moved = dataclasses.replace(signed, url="https://ES.passerelle.example:443/taxii2/")
    assert moved.verify().agency_id == "fr"


def test_every_refusal_of_the_brief_has_its_own_reason() -> None:
    guard = MemoryReplayGuard()
    replayed = Signed.make()
    replayed.verify(replay=guard)
    refusals = {
        "unknown peer": rejection(Signed.make(key=ES_KEY)),
        "forged": rejection(Signed.make(
            key=NodeKey(Ed25519PrivateKey.generate(), FR_KEY.key_id))),
        "replayed": rejection(replayed, replay=guard),
        "stale": rejection(Signed.make(at=NOW - dt.timedelta(minutes=5))),
        "missing digest": rejection(Signed.make().with_header("Content-Digest", None)),
        "body": rejection(dataclasses.replace(Signed.make(), body=b"{}")),
        "missing headers": rejection(Signed.make().with_header("Signature-Input", None)),
    }
    reasons = [r.reason for r in refusals.values()]
    assert len(set(reasons)) == len(reasons), reasons
