"""The peer registry: administrators register and revoke partners' keys, the verifier trusts
active keys only, and every change is audited."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from tests.support import FixedClock

from passerelle.domain.audit import AuditAction
from passerelle.domain.users import Role, User
from passerelle.errors import Conflict, Forbidden, NotFound, ValidationFailed
from passerelle.federation.keys import NodeKey
from passerelle.ports import AuditQuery, UnitOfWorkFactory
from passerelle.services.caller import Caller
from passerelle.services.peers import PeerService

ADMIN = Caller(User("u-hugo", "hugo.admin", "fr", frozenset({Role.ADMINISTRATOR})),
               "key exchanged with the Spanish node on 2026-11-20 (fictional)")
ANALYST = Caller(User("u-amina", "amina.analyst", "fr", frozenset({Role.ANALYST})))
ES_KEY = NodeKey(Ed25519PrivateKey.from_private_bytes(bytes(range(32, 64))))
ES_NEXT_KEY = NodeKey(Ed25519PrivateKey.from_private_bytes(bytes(range(64, 96))))
ES_URL = "https://es.passerelle.example/taxii2/"


@pytest.fixture
def peers(transactions: UnitOfWorkFactory, clock: FixedClock) -> PeerService:
    return PeerService(transactions, clock, "fr")


def _administration(transactions: UnitOfWorkFactory) -> list[dict[str, object]]:
    with transactions() as tx:
        entries = tx.audit.entries(AuditQuery(action=AuditAction.ADMINISTRATION.value), 0, 100)
    return [{"actor": e.actor, "justification": e.justification, **e.details} for e in entries]


def test_a_registered_key_is_trusted_listed_and_audited(
        peers: PeerService, transactions: UnitOfWorkFactory, clock: FixedClock) -> None:
    peer = peers.register(ADMIN, "es", ES_KEY.public_raw_b64(), ES_URL)
    assert peer.key_id == ES_KEY.key_id
    assert (peer.added_at, peer.added_by, peer.revoked_at) == (clock.now(), "user:u-hugo", None)
    assert peers.key(ES_KEY.key_id) == ES_KEY.as_peer("es")
    assert peers.list() == [peer]
    assert peers.base_url("es") == ES_URL
    assert _administration(transactions) == [{
        "actor": "user:u-hugo", "justification": ADMIN.justification,
        "operation": "register_peer", "agency": "es", "key_id": ES_KEY.key_id,
        "base_url": ES_URL, "public_key": ES_KEY.public_raw_b64()}]


def test_a_pem_key_is_registered_under_the_same_derived_id(peers: PeerService) -> None:
    peer = peers.register(ADMIN, "es", ES_KEY.public_pem(), ES_URL)
    assert peer.key_id == ES_KEY.key_id
    assert peer.public_key_b64 == ES_KEY.public_raw_b64()


def test_a_given_key_id_is_the_one_trusted(peers: PeerService) -> None:
    peers.register(ADMIN, "es", ES_KEY.public_raw_b64(), ES_URL, key_id="es-node-2026")
    trusted = peers.key("es-node-2026")
    assert trusted is not None
    assert trusted.public_raw == ES_KEY.as_peer("es").public_raw
    assert peers.key(ES_KEY.key_id) is None


def test_only_administrators_register_and_revoke(
        peers: PeerService, transactions: UnitOfWorkFactory) -> None:
    with pytest.raises(Forbidden):
        peers.register(ANALYST, "es", ES_KEY.public_raw_b64(), ES_URL)
    assert peers.list() == []
    peers.register(ADMIN, "es", ES_KEY.public_raw_b64(), ES_URL)
    with pytest.raises(Forbidden):
        peers.revoke(ANALYST, ES_KEY.key_id)
    assert peers.key(ES_KEY.key_id) is not None
    assert len(_administration(transactions)) == 1


@pytest.mark.parametrize(("agency", "public_key", "url", "key_id", "field"), [
    ("fr", ES_KEY.public_raw_b64(), ES_URL, None, "agency_id"),
    (" ", ES_KEY.public_raw_b64(), ES_URL, None, "agency_id"),
    ("es", "not a key", ES_URL, None, "public_key"),
    ("es", ES_KEY.public_raw_b64()[:-4], ES_URL, None, "public_key"),
    ("es", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", ES_URL, None,
     "public_key"),
    ("es", ES_KEY.public_raw_b64(), "ftp://es.passerelle.example/taxii2/", None, "base_url"),
    ("es", ES_KEY.public_raw_b64(), "https:///taxii2/", None, "base_url"),
    ("es", ES_KEY.public_raw_b64(), "es.passerelle.example/taxii2/", None, "base_url"),
    ("es", ES_KEY.public_raw_b64(), "https://op:secret@es.passerelle.example/", None,
     "base_url"),
    ("es", ES_KEY.public_raw_b64(), "https://es.passerelle.example/taxii2/?x=1", None,
     "base_url"),
    ("es", ES_KEY.public_raw_b64(), ES_URL, "key with spaces", "key_id"),
    ("es", ES_KEY.public_raw_b64(), ES_URL, "k" * 65, "key_id"),
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(
        peers: PeerService, transactions: UnitOfWorkFactory, agency: str, public_key: str,
        url: str, key_id: str | None, field: str) -> None:
    with pytest.raises(ValidationFailed) as error:
        peers.register(ADMIN, agency, public_key, url, key_id)
    assert error.value.field == field
    assert peers.list() == []
    assert _administration(transactions) == []


def test_a_key_of_an_unknown_agency_is_not_found(peers: PeerService) -> None:
    with pytest.raises(NotFound) as error:
        peers.register(ADMIN, "xx", ES_KEY.public_raw_b64(), ES_URL)
    assert error.value.field == "agency_id"


def test_the_base_url_gets_its_final_slash(peers: PeerService) -> None:
    peer = peers.register(ADMIN, "es", ES_KEY.public_raw_b64(),
                          " https://es.passerelle.example:8443/taxii2 ")
    assert peer.base_url == "https://es.passerelle.example:8443/taxii2/"


def test_a_key_is_registered_once_under_one_id(peers: PeerService) -> None:
    peers.register(ADMIN, "es", ES_KEY.public_raw_b64(), ES_URL)
    with pytest.raises(Conflict) as same_id:
        peers.register(ADMIN, "es", ES_KEY.public_pem(), ES_URL)
    assert same_id.value.field == "key_id"
    with pytest.raises(Conflict) as same_key:
        peers.register(ADMIN, "ma", ES_KEY.public_raw_b64(), "https://ma.passerelle.example/",
                       key_id="ma-node")
    assert same_key.value.field == "public_key"


def test_a_revoked_key_is_no_longer_trusted_but_stays_listed(
        peers: PeerService, transactions: UnitOfWorkFactory, clock: FixedClock) -> None:
    peers.register(ADMIN, "es", ES_KEY.public_raw_b64(), ES_URL)
    clock.advance(days=3)
    revoked = peers.revoke(ADMIN, ES_KEY.key_id)
    assert revoked.revoked_at == clock.now()
    assert peers.key(ES_KEY.key_id) is None
    assert peers.list() == [revoked]
    assert peers.base_url("es") is None
    assert _administration(transactions)[-1] == {
        "actor": "user:u-hugo", "justification": ADMIN.justification,
        "operation": "revoke_peer", "agency": "es", "key_id": ES_KEY.key_id}


def test_revoking_twice_or_an_unknown_key_is_refused(peers: PeerService) -> None:
    peers.register(ADMIN, "es", ES_KEY.public_raw_b64(), ES_URL)
    peers.revoke(ADMIN, ES_KEY.key_id)
    with pytest.raises(Conflict) as again:
        peers.revoke(ADMIN, ES_KEY.key_id)
    assert again.value.field == "key_id"
    with pytest.raises(NotFound) as unknown:
        peers.revoke(ADMIN, "no-such-key")
    assert unknown.value.field == "key_id"


def test_a_revoked_key_is_never_registered_again(peers: PeerService) -> None:
    peers.register(ADMIN, "es", ES_KEY.public_raw_b64(), ES_URL)
    peers.revoke(ADMIN, ES_KEY.key_id)
    with pytest.raises(Conflict):
        peers.register(ADMIN, "es", ES_KEY.public_raw_b64(), ES_URL)
    assert peers.key(ES_KEY.key_id) is None


def test_during_a_rotation_both_keys_are_trusted_and_the_newest_url_wins(
        peers: PeerService, clock: FixedClock) -> None:
    peers.register(ADMIN, "es", ES_KEY.public_raw_b64(), ES_URL)
    clock.advance(days=30)
    new_url = "https://passerelle.es.example/taxii2/"
    peers.register(ADMIN, "es", ES_NEXT_KEY.public_raw_b64(), new_url)
    assert peers.key(ES_KEY.key_id) == ES_KEY.as_peer("es")
    assert peers.key(ES_NEXT_KEY.key_id) == ES_NEXT_KEY.as_peer("es")
    assert peers.base_url("es") == new_url
    peers.revoke(ADMIN, ES_NEXT_KEY.key_id)
    assert peers.base_url("es") == ES_URL


def test_unknown_keys_and_agencies_without_keys_answer_none(peers: PeerService) -> None:
    assert peers.key("no-such-key") is None
    assert peers.base_url("ma") is None

