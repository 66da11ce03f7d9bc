"""A correction or an erasure at the originator reaches every node that received the record,
the nodes it reached through a partner included, and each node's audit log shows it (LED Art.
7(3), 16). Three nodes in one process over signed TAXII: fr owns the record, es pulls it from
fr, be pulls it from es (fr's TLP:GREEN record may be passed on); the corrections and the
erasure travel by push only."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import httpx
import pytest
from api_support import build_node
from fastapi.testclient import TestClient
from tests.support import FixedClock

from passerelle.api.app import create_app
from passerelle.bootstrap import node_caller
from passerelle.domain.audit import AuditAction
from passerelle.domain.markings import Markings, Tlp
from passerelle.domain.records import Organisation
from passerelle.errors import NotFound
from passerelle.federation.keys import NodeKey
from passerelle.federation.outbox import OutboxSender
from passerelle.federation.pull import Puller
from passerelle.interop.stix.export import record_object
from passerelle.interop.stix.revocation import revocation
from passerelle.node import Node
from passerelle.ports import AuditQuery, TransferQuery

JUSTIFICATION = "enquête 2026/402 — fictional network, corrections"
AGENCIES = ("fr", "es", "be")
SHARED = Markings(tlp=Tlp.GREEN, releasable_to=frozenset({"es", "be"}))


def base(agency: str) -> str:
    return f"http://{agency}.test/taxii/"


@dataclass
class Chain:
    nodes: dict[str, Node]
    keys: dict[str, NodeKey]
    clock: FixedClock

    def clients(self, base_url: str) -> httpx.Client:
        agency = base_url.removeprefix("http://").split(".")[0]
        return TestClient(create_app(self.nodes[agency]), base_url=base_url)

    def pull(self, agency: str, partner: str) -> None:
        report = Puller(self.nodes[agency], self.keys[agency], self.clients).pull(partner)
        assert report.rejected == []

    def push(self, agency: str) -> dict[str, int]:
        with OutboxSender(self.nodes[agency], self.keys[agency], self.clients) as sender:
            return sender.run_once().delivered

    def held(self, agency: str, record_id: str) -> Organisation | None:
        node = self.nodes[agency]
        try:
            record = node.records.get(node_caller(agency, JUSTIFICATION), record_id)
        except NotFound:
            return None
        assert isinstance(record.details, Organisation)
        return record.details

    def audited(self, agency: str, action: AuditAction, record_id: str) -> int:
        with self.nodes[agency].transactions() as tx:
            return len(tx.audit.entries(
                AuditQuery(action=action.value, record_id=record_id), 0, 100))


@pytest.fixture
def chain(tmp_path: Path, template: tuple[Path, dict[str, str]]) -> Chain:
    """fr -> es -> be: each node trusts the next one's key and the one before's."""
    clock = FixedClock()
    nodes = {}
    for agency in AGENCIES:
        shutil.copyfile(template[0], tmp_path / f"{agency}.db")
        nodes[agency] = build_node(tmp_path / f"{agency}.db", clock,  # type: ignore[arg-type]
                                   agency_id=agency)
    keys = {agency: NodeKey.generate() for agency in AGENCIES}
    for one, other in (("fr", "es"), ("es", "be")):
        nodes[one].peers.register(node_caller(one), other, keys[other].public_raw_b64(),
                                  base(other))
        nodes[other].peers.register(node_caller(other), one, keys[one].public_raw_b64(),
                                    base(one))
    return Chain(nodes, keys, clock)


def test_corrections_and_the_erasure_reach_the_partner_of_a_partner_by_push(
        chain: Chain) -> None:
    author = node_caller("fr", JUSTIFICATION)
    fr = chain.nodes["fr"]
    record = fr.records.create(author, SHARED, Organisation("Collectif fictif Ebre"))
    chain.pull("es", "fr")
    chain.pull("be", "es")
    assert chain.held("be", record.id) == Organisation("Collectif fictif Ebre")

    chain.clock.advance(seconds=5)
    fr.records.update(author, record.id, 1, SHARED, Organisation("Collectif fictif Ebre-Sègre"))
    assert chain.push("fr") == {"es": 1}  # be's item waits: fr knows no key of be's
    assert chain.push("es") == {"be": 1}
    for agency in ("es", "be"):
        assert chain.held(agency, record.id) == Organisation("Collectif fictif Ebre-Sègre")
        assert chain.audited(agency, AuditAction.ALTERATION, record.id) == 1
    with chain.nodes["es"].transactions() as tx:
        onward = tx.federation.transfers(TransferQuery(recipient="be"), 0, 10)
    assert [(t.record_id, t.channel) for _, t in onward] == [
        (record.id, "taxii"), (record.id, "push")]

    chain.clock.advance(seconds=5)
    fr.records.erase(author, record.id)
    assert chain.push("fr") == {"es": 1}
    assert chain.push("es") == {"be": 1}
    for agency in ("es", "be"):
        assert chain.held(agency, record.id) is None
        assert chain.audited(agency, AuditAction.ERASURE, record.id) == 1


def test_only_the_partner_that_passed_a_record_on_may_relay_its_changes(chain: Chain) -> None:
    author = node_caller("fr", JUSTIFICATION)
    record = chain.nodes["fr"].records.create(author, SHARED, Organisation("Collectif fictif Tage"))
    chain.pull("es", "fr")
    chain.pull("be", "es")
    held_at_be = chain.nodes["be"].records.get(node_caller("be", JUSTIFICATION), record.id)
    forged = record_object(replace(held_at_be, details=Organisation("Collectif fictif faux"),
                                   version=2,
                                   modified_at=held_at_be.modified_at + dt.timedelta(hours=1)))
    chain.nodes["be"].outbox.enqueue("es", [forged], urgent=True)
    with OutboxSender(chain.nodes["be"], chain.keys["be"], chain.clients) as sender:
        report = sender.run_once()
    assert report.failed == {"es": 1}
    assert "may not change" in report.errors["es"]
    assert chain.held("es", record.id) == Organisation("Collectif fictif Tage")
    chain.nodes["be"].outbox.enqueue("es", [revocation(record.id, chain.clock.now())],
                                     urgent=True)
    with OutboxSender(chain.nodes["be"], chain.keys["be"], chain.clients) as sender:
        report = sender.run_once()  # the forgery waits for its back-off
    assert report.failed == {"es": 1}
    assert "owner" in report.errors["es"]
    assert chain.held("es", record.id) == Organisation("Collectif fictif Tage")
    assert chain.audited("es", AuditAction.ERASURE, record.id) == 0
