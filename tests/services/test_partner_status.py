"""The partners' status as ``Node.build`` wires it: configuration, sync checkpoints, the outbox
summary and signed requests, read from the in-memory store, SQLite and PostgreSQL; and the
rules that turn them into a verdict."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from tests.support import (
    AUDIT_KEY,
    FixedClock,
    empty_database,
    memory_transactions,
    postgres_database,
    sqlite_transactions,
)

from passerelle.bootstrap import node_caller
from passerelle.domain.agencies import DEFAULT_AGENCIES
from passerelle.domain.partner_status import BasisSummary, PartnerState, PartnerStatus
from passerelle.domain.transfers import BasisKind
from passerelle.domain.users import Role, User
from passerelle.errors import Forbidden
from passerelle.federation.keys import NodeKey
from passerelle.node import Node
from passerelle.ports import UnitOfWorkFactory
from passerelle.services.caller import Caller
from passerelle.settings import Settings
from passerelle.storage.engine import make_engine
from passerelle.storage.migrate import upgrade
from passerelle.storage.unit_of_work import SqlUnitOfWorkFactory

ADMIN = node_caller("fr")
AUDITOR = Caller(User("u-noor", "noor.auditor", "fr", frozenset({Role.AUDITOR}),
                      "Noor (fictional auditor)"))
ES_KEY = NodeKey(Ed25519PrivateKey.from_private_bytes(bytes(range(32, 64))))
MA_KEY = NodeKey(Ed25519PrivateKey.from_private_bytes(bytes(range(64, 96))))
ES_URL = "https://es.passerelle.example/taxii2/"


def stix_object(number: int) -> dict[str, str]:
    return {"type": "x-passerelle-alert", "spec_version": "2.1",
            "id": f"x-passerelle-alert--6f1f3b8e-3c55-4b3e-9a55-{number:012x}",
            "created": "2026-11-22T09:00:00.000000Z", "modified": "2026-11-22T09:00:00.000000Z"}


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    with postgres_database() as url:
        upgrade(url)
        yield url


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def node(request: pytest.FixtureRequest, tmp_path: Path, clock: FixedClock) -> Iterator[Node]:
    engine: sa.Engine | None = None
    transactions: UnitOfWorkFactory
    if request.param == "memory":
        transactions = memory_transactions(clock)
    elif request.param == "sqlite":
        transactions = sqlite_transactions(tmp_path / "fr.db", clock)
    else:
        engine = make_engine(request.getfixturevalue("postgres_url"))
        empty_database(engine)
        transactions = SqlUnitOfWorkFactory(engine, AUDIT_KEY, clock)
    node = Node.build(Settings(environment="test", agency_id="fr"), transactions, clock)
    node.accounts.register_agencies(list(DEFAULT_AGENCIES))
    yield node
    if engine is not None:
        engine.dispose()


def status_of(node: Node, agency_id: str, caller: Caller = AUDITOR) -> PartnerStatus:
    return next(s for s in node.partner_status.partners(caller) if s.agency_id == agency_id)


def test_every_partner_but_this_node_is_listed_with_its_configuration(node: Node) -> None:
    node.peers.register(ADMIN, "es", ES_KEY.public_raw_b64(), ES_URL)
    expires = dt.date(2028, 6, 30)
    node.federation.record_basis(ADMIN, "ma", BasisKind.AGREEMENT,
                                 "Accord de coopération (fictional)", "", expires)
    node.federation.record_basis(ADMIN, "es", BasisKind.EU_DIRECTIVE, "", "")
    statuses = {s.agency_id: s for s in node.partner_status.partners(AUDITOR)}
    assert sorted(statuses) == ["be", "es", "ma"]
    es, be, ma = statuses["es"], statuses["be"], statuses["ma"]
    assert (es.name, es.base_url, es.key_active) == (
        "España — nodo nacional Passerelle", ES_URL, True)
    assert es.legal_basis == BasisSummary(BasisKind.EU_DIRECTIVE, None, None)
    assert ma.legal_basis == BasisSummary(BasisKind.AGREEMENT,
                                          "Accord de coopération (fictional)", expires)
    assert (be.base_url, be.key_active, be.legal_basis) == (None, False, None)
    assert be.state(node.clock.now()) is PartnerState.NOT_CONFIGURED


def test_a_partner_whose_keys_are_revoked_is_not_configured_but_keeps_its_address(
        node: Node) -> None:
    peer = node.peers.register(ADMIN, "es", ES_KEY.public_raw_b64(), ES_URL)
    node.peers.revoke(ADMIN, peer.key_id)
    es = status_of(node, "es")
    assert (es.key_active, es.base_url) == (False, ES_URL)
    assert es.state(node.clock.now()) is PartnerState.NOT_CONFIGURED


def test_the_last_pull_is_when_entries_were_last_taken_from_the_feed(
        node: Node, clock: FixedClock) -> None:
    pulled_at, added = clock.now(), clock.now() - dt.timedelta(minutes=3)
    with node.transactions() as tx:
        tx.federation.set_checkpoint("es", added, pulled_at)
        tx.commit()
    clock.advance(minutes=7)
    with node.transactions() as tx:  # an older entry does not move the checkpoint
        tx.federation.set_checkpoint("es", added - dt.timedelta(seconds=1), clock.now())
        tx.commit()
    es, ma = status_of(node, "es"), status_of(node, "ma")
    assert (es.last_pull_at, es.last_entry_added) == (pulled_at, added)
    assert es.sync_lag(clock.now()) == dt.timedelta(minutes=7)
    assert es.last_contact == pulled_at
    assert (ma.last_pull_at, ma.sync_lag(clock.now()), ma.last_contact) == (None, None, None)


def test_the_outbox_is_summarised_per_partner(node: Node, clock: FixedClock) -> None:
    first, second, third, fourth = (
        node.outbox.enqueue("es", [stix_object(n)], urgent=True)[0] for n in range(4))
    node.outbox.enqueue("ma", [stix_object(9)], urgent=False)
    clock.advance(seconds=5)
    node.outbox.delivered([first.id])
    node.outbox.failed([second.id], "502 Bad Gateway from the fictional proxy")
    clock.advance(seconds=20)
    node.outbox.failed([third.id], "connection refused")
    es, ma, be = status_of(node, "es"), status_of(node, "ma"), status_of(node, "be")
    waiting = [node.outbox.get(i.id) for i in (second, third, fourth)]
    assert (es.outbox_pending, es.outbox_failing) == (3, 2)
    assert es.oldest_pending_at == second.enqueued_at
    assert es.next_attempt_at == min(i.next_attempt_at for i in waiting if i is not None)
    assert es.last_delivered_at == first.enqueued_at + dt.timedelta(seconds=5)
    assert es.last_error == "connection refused"
    assert (ma.outbox_pending, ma.outbox_failing, ma.last_error) == (1, 0, None)
    assert (be.outbox_pending, be.oldest_pending_at, be.last_delivered_at) == (0, None, None)


def test_a_signed_request_from_the_partner_counts_as_contact(
        node: Node, clock: FixedClock) -> None:
    node.peers.register(ADMIN, "ma", MA_KEY.public_raw_b64(), "https://ma.passerelle.example/")
    keep_until = clock.now() + dt.timedelta(seconds=60)
    node.replay_guard.claim(MA_KEY.key_id, "n" * 16, keep_until, clock.now())
    node.replay_guard.claim(MA_KEY.key_id, "m" * 16, keep_until - dt.timedelta(seconds=30),
                            clock.now())
    ma = status_of(node, "ma")
    assert ma.last_request_at == keep_until - dt.timedelta(seconds=120)
    assert ma.last_contact == ma.last_request_at
    assert ma.state(clock.now()) is PartnerState.OK
    assert status_of(node, "es").last_request_at is None


def test_any_active_account_may_read_the_status_and_a_disabled_one_may_not(node: Node) -> None:
    assert [s.agency_id for s in node.partner_status.partners(AUDITOR)] == ["be", "es", "ma"]
    disabled = Caller(dataclasses.replace(AUDITOR.user, active=False))
    with pytest.raises(Forbidden):
        node.partner_status.partners(disabled)


NOW = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
CONFIGURED = PartnerStatus("es", "España (fictional)", ES_URL, key_active=True)


def ago(**delta: float) -> dt.datetime:
    return NOW - dt.timedelta(**delta)


@pytest.mark.parametrize(("facts", "expected"), [
    ({"last_pull_at": ago(minutes=4)}, PartnerState.OK),
    ({"last_delivered_at": ago(minutes=1), "outbox_pending": 1,
      "oldest_pending_at": ago(minutes=4)}, PartnerState.OK),
    ({"last_pull_at": ago(minutes=6)}, PartnerState.LAGGING),
    ({"last_pull_at": ago(minutes=1), "outbox_pending": 1,
      "oldest_pending_at": ago(minutes=6)}, PartnerState.LAGGING),
    ({"last_request_at": ago(minutes=59)}, PartnerState.LAGGING),
    ({"last_pull_at": ago(minutes=61)}, PartnerState.UNREACHABLE),
    ({}, PartnerState.UNREACHABLE),
    ({"last_pull_at": ago(seconds=10), "outbox_pending": 1, "outbox_failing": 1,
      "oldest_pending_at": ago(seconds=30), "last_error": "timeout"},
     PartnerState.UNREACHABLE),
    ({"last_pull_at": ago(seconds=10), "key_active": False}, PartnerState.NOT_CONFIGURED),
    ({"last_pull_at": ago(seconds=10), "base_url": None}, PartnerState.NOT_CONFIGURED),
])
def test_the_state_follows_contact_and_waiting_deliveries(
        facts: dict[str, object], expected: PartnerState) -> None:
    status = dataclasses.replace(CONFIGURED, **facts)  # type: ignore[arg-type]
    assert status.state(NOW) is expected


def test_the_last_contact_is_the_latest_sign_of_life() -> None:
    status = dataclasses.replace(CONFIGURED, last_pull_at=ago(minutes=9),
                                 last_delivered_at=ago(minutes=2),
                                 last_request_at=ago(minutes=5))
    assert status.last_contact == ago(minutes=2)
    assert status.sync_lag(NOW) == dt.timedelta(minutes=9)
