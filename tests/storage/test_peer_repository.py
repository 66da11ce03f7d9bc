"""The contract of ``ports.PeerRepository``, run on the fake, SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from passerelle.domain.agencies import DEFAULT_AGENCIES
from passerelle.domain.peers import Peer
from passerelle.errors import Conflict, NotFound
from passerelle.federation.keys import NodeKey
from passerelle.ports import UnitOfWorkFactory

T0 = dt.datetime(2026, 11, 22, 9, 0, 0, 123456, tzinfo=dt.UTC)


def _peer(agency: str, seed: int, at: dt.datetime = T0) -> Peer:
    key = NodeKey(Ed25519PrivateKey.from_private_bytes(bytes([seed]) * 32)).as_peer(agency)
    return Peer.of(key, f"https://{agency}.passerelle.example/taxii2/", at, "user:u-hugo")


ES_OLD = _peer("es", 1)
ES_NEW = _peer("es", 2, T0 + dt.timedelta(days=30))
MA = _peer("ma", 3)


@pytest.fixture
def with_agencies(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    with uow_factory() as uow:
        for agency in DEFAULT_AGENCIES:
            uow.agencies.upsert(agency)
        uow.commit()
    return uow_factory


class TestPeerRepository:
    """Behaviour shared by every ``PeerRepository``."""

    def test_keys_read_back_by_id_by_agency_and_all(self, with_agencies: UnitOfWorkFactory
                                                    ) -> None:
        with with_agencies() as uow:
            for peer in (MA, ES_NEW, ES_OLD):
                uow.peers.add(peer)
            uow.commit()
        with with_agencies() as uow:
            assert uow.peers.by_key_id(ES_NEW.key_id) == ES_NEW
            assert uow.peers.by_key_id("no-such-key") is None
            assert uow.peers.for_agency("es") == [ES_OLD, ES_NEW]
            assert uow.peers.for_agency("be") == []
            assert uow.peers.list() == [ES_OLD, ES_NEW, MA]

    def test_revoking_marks_the_time_once_and_keeps_the_key(
            self, with_agencies: UnitOfWorkFactory) -> None:
        at = T0 + dt.timedelta(days=40)
        with with_agencies() as uow:
            uow.peers.add(ES_OLD)
            assert uow.peers.revoke(ES_OLD.key_id, at) is True
            assert uow.peers.revoke(ES_OLD.key_id, at + dt.timedelta(hours=1)) is False
            assert uow.peers.revoke("no-such-key", at) is False
            uow.commit()
        with with_agencies() as uow:
            revoked = uow.peers.by_key_id(ES_OLD.key_id)
            assert revoked is not None
            assert revoked.revoked_at == at
            assert not revoked.active

    def test_a_registered_key_id_is_a_conflict_even_once_revoked(
            self, with_agencies: UnitOfWorkFactory) -> None:
        with with_agencies() as uow:
            uow.peers.add(ES_OLD)
            uow.peers.revoke(ES_OLD.key_id, T0)
            with pytest.raises(Conflict) as error:
                uow.peers.add(ES_OLD)
        assert error.value.field == "key_id"

    def test_a_key_of_an_unknown_agency_is_not_found(self, uow_factory: UnitOfWorkFactory
                                                     ) -> None:
        with uow_factory() as uow, pytest.raises(NotFound) as error:
            uow.peers.add(ES_OLD)
        assert error.value.field == "agency_id"

    def test_a_key_added_without_commit_is_forgotten(self, with_agencies: UnitOfWorkFactory
                                                     ) -> None:
        with with_agencies() as uow:
            uow.peers.add(MA)
        with with_agencies() as uow:
            assert uow.peers.list() == []
