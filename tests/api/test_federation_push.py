"""Two nodes in one process: fr pushes its outbox to es's inbox over signed TAXII. An erasure
reaches es without any pull; a partner that is down gets everything once it returns; a sender
killed before it recorded a delivery posts again, and es stores everything once."""

from __future__ import annotations

import dataclasses
import json
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from api_support import build_node
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.support import FixedClock

from passerelle.api.app import create_app
from passerelle.api.federation_taxii import ROOT, collection_id
from passerelle.bootstrap import node_caller
from passerelle.domain.audit import AuditAction
from passerelle.domain.markings import Markings
from passerelle.domain.outbox import OutboxItem
from passerelle.domain.records import Organisation, Person, StixObject, SubjectCategory
from passerelle.errors import NotFound
from passerelle.federation.keys import NodeKey
from passerelle.federation.outbox import OutboxSender
from passerelle.federation.pull import Puller
from passerelle.federation.signing_auth import SigningAuth
from passerelle.interop.stix.export import record_to_stix
from passerelle.interop.stix.reader import stix_to_record
from passerelle.node import Node
from passerelle.ports import AuditQuery, TransferQuery

FR_BASE = "http://fr.test/taxii/"
ES_BASE = "http://es.test/taxii/"
TAXII = "application/taxii+json;version=2.1"
JUSTIFICATION = "enquête 2026/311 — fictional smuggling route"
TO_ES = Markings(releasable_to=frozenset({"es"}))


class Partner:
    """es's node as fr's sender reaches it: ``up``, ``down`` (connection refused) or
    ``unavailable`` (503 from a proxy), counting the requests that reach the wire."""

    def __init__(self, app: FastAPI) -> None:
        self._inner = TestClient(app, base_url=ES_BASE)
        self.mode = "up"
        self.posts = 0

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.posts += 1
        if self.mode == "down":
            raise httpx.ConnectError("connection refused", request=request)
        if self.mode == "unavailable":
            return httpx.Response(503, text="node under maintenance")
        answer = self._inner.send(request)
        return httpx.Response(answer.status_code, headers=answer.headers,
                              content=answer.content)

    def client(self, base_url: str) -> httpx.Client:
        assert base_url == ES_BASE
        return httpx.Client(base_url=base_url, transport=httpx.MockTransport(self._handle))


@dataclass
class Pair:
    fr: Node
    es: Node
    clock: FixedClock
    keys: dict[str, NodeKey]
    es_side: Partner
    fr_app: FastAPI

    def sender(self) -> OutboxSender:
        return OutboxSender(self.fr, self.keys["fr"], self.es_side.client)

    def puller(self) -> Puller:
        return Puller(self.es, self.keys["es"],
                      lambda base: TestClient(self.fr_app, base_url=base))


@pytest.fixture
def pair(tmp_path: Path, template: tuple[Path, dict[str, str]]) -> Pair:
    clock = FixedClock()
    nodes = {}
    for agency in ("fr", "es"):
        shutil.copyfile(template[0], tmp_path / f"{agency}.db")
        nodes[agency] = build_node(tmp_path / f"{agency}.db", clock,  # type: ignore[arg-type]
                                   agency_id=agency)
    keys = {agency: NodeKey.generate() for agency in nodes}
    fr, es = nodes["fr"], nodes["es"]
    fr.peers.register(node_caller("fr"), "es", keys["es"].public_raw_b64(), ES_BASE)
    es.peers.register(node_caller("es"), "fr", keys["fr"].public_raw_b64(), FR_BASE)
    return Pair(fr, es, clock, keys, Partner(create_app(es)), create_app(fr))


def author() -> Any:
    return node_caller("fr", JUSTIFICATION)


def held(node: Node, record_id: str) -> bool:
    try:
        node.records.get(node_caller(node.settings.agency_id, JUSTIFICATION), record_id)
    except NotFound:
        return False
    return True


def waiting(node: Node) -> list[OutboxItem]:
    with node.transactions() as tx:
        return tx.outbox.due(node.clock.now().replace(year=9999), 100)


def audited(node: Node, action: AuditAction, record_id: str) -> int:
    with node.transactions() as tx:
        return len(tx.audit.entries(AuditQuery(action=action.value, record_id=record_id),
                                    0, 100))


def shared_with_es(pair: Pair, name: str) -> str:
    """A record of fr that es holds (pulled once)."""
    record = pair.fr.records.create(author(), TO_ES, Organisation(name))
    pair.puller().pull("fr")
    assert held(pair.es, record.id)
    return record.id


def test_an_erasure_reaches_the_partner_through_the_outbox_without_a_pull(pair: Pair) -> None:
    record_id = shared_with_es(pair, "Réseau fictif Adour")
    with pair.es.transactions() as tx:
        checkpoint = tx.federation.checkpoint("fr")
    pair.clock.advance(seconds=2)
    pair.fr.records.erase(author(), record_id)
    pushed, = waiting(pair.fr)
    report = pair.sender().run_once()
    assert report.delivered == {"es": 1}
    assert not held(pair.es, record_id)
    assert audited(pair.es, AuditAction.ERASURE, record_id) == 1
    with pair.es.transactions() as tx:
        assert tx.federation.checkpoint("fr") == checkpoint  # es did not pull
    assert waiting(pair.fr) == []
    # What was pushed is the very object es's next pull reads: nothing more to do.
    with TestClient(pair.fr_app) as http:
        served = http.get(f"/taxii/{ROOT}/collections/{collection_id('fr')}/objects/",
                          headers={"Accept": TAXII},
                          auth=SigningAuth(pair.keys["es"], pair.clock)).json()
    assert served["objects"] == [dict(pushed.object)]
    again = pair.puller().pull("fr")
    assert (again.received, again.erased, again.rejected) == (0, 0, [])


def test_a_correction_reaches_the_partner_through_the_outbox_without_a_pull(
        pair: Pair) -> None:
    record_id = shared_with_es(pair, "Réseau fictif Garonne")
    pair.clock.advance(seconds=2)
    pair.fr.records.update(author(), record_id, 1, TO_ES,
                           Organisation("Réseau fictif Garonne-Tarn"))
    pushed, = waiting(pair.fr)
    assert pushed.object["name"] == "Réseau fictif Garonne-Tarn"
    assert pair.sender().run_once().delivered == {"es": 1}
    corrected = pair.es.records.get(node_caller("es", JUSTIFICATION), record_id)
    assert corrected.details == Organisation("Réseau fictif Garonne-Tarn")
    assert audited(pair.es, AuditAction.ALTERATION, record_id) == 1
    with pair.fr.transactions() as tx:
        sent = tx.federation.transfers(TransferQuery(record_id=record_id), 0, 10)
    assert [(t.version, t.channel) for _, t in sent] == [(1, "taxii"), (2, "push")]
    assert audited(pair.fr, AuditAction.DISCLOSURE, record_id) == 2
    again = pair.puller().pull("fr")
    assert (again.received, again.unchanged, again.rejected) == (0, 1, [])
    assert audited(pair.es, AuditAction.ALTERATION, record_id) == 1


def test_a_later_correction_supersedes_the_one_still_waiting(pair: Pair) -> None:
    record_id = shared_with_es(pair, "Réseau fictif Lot")
    pair.es_side.mode = "down"
    for version, name in ((1, "Réseau fictif Lot-Aveyron"), (2, "Réseau fictif Lot-Cère")):
        pair.fr.records.update(author(), record_id, version, TO_ES, Organisation(name))
    pushed, = waiting(pair.fr)
    assert pushed.object["name"] == "Réseau fictif Lot-Cère"
    pair.es_side.mode = "up"
    pair.clock.advance(seconds=600)
    assert pair.sender().run_once().delivered == {"es": 1}
    corrected = pair.es.records.get(node_caller("es", JUSTIFICATION), record_id)
    assert corrected.details == Organisation("Réseau fictif Lot-Cère")


def test_a_partner_that_is_down_gets_everything_when_it_returns(pair: Pair) -> None:
    record_ids = [shared_with_es(pair, f"Réseau fictif Rhône {n}") for n in range(2)]
    pair.es_side.mode = "down"
    for record_id in record_ids:
        pair.fr.records.erase(author(), record_id)
    sender = pair.sender()
    refused = sender.run_once()
    assert refused.failed == {"es": 2}
    assert "ConnectError" in refused.errors["es"]
    kept = waiting(pair.fr)
    assert [i.attempts for i in kept] == [1, 1]
    assert all(held(pair.es, record_id) for record_id in record_ids)

    posts = pair.es_side.posts
    assert sender.run_once().failed == {}  # not due yet: es is not asked again
    assert pair.es_side.posts == posts

    pair.es_side.mode = "unavailable"
    pair.clock.current = max(i.next_attempt_at for i in kept)
    unavailable = sender.run_once()
    assert unavailable.failed == {"es": 2}
    assert "HTTP 503" in unavailable.errors["es"]
    kept = waiting(pair.fr)
    assert [i.attempts for i in kept] == [2, 2]
    assert all(i.next_attempt_at > pair.clock.now() for i in kept)

    pair.es_side.mode = "up"
    pair.clock.current = max(i.next_attempt_at for i in kept)
    back = sender.run_once()
    assert back.delivered == {"es": 2}
    assert not any(held(pair.es, record_id) for record_id in record_ids)
    assert pair.fr.outbox.pending_counts() == {}


def test_a_sender_killed_before_recording_the_delivery_posts_again_and_es_stores_once(
        pair: Pair, monkeypatch: pytest.MonkeyPatch) -> None:
    erased = shared_with_es(pair, "Réseau fictif Scarpe")
    pair.fr.records.erase(author(), erased)
    alert = pair.fr.records.create(author(), TO_ES, Person(
        SubjectCategory.SUSPECT, "Oluwaseun", "Adeyemi", aliases=("Seun",)))
    pair.fr.outbox.enqueue("es", [record_to_stix(alert)[0]], urgent=True)

    class Killed(Exception):
        pass

    def killed(item_ids: Any) -> int:
        raise Killed

    with monkeypatch.context() as patch:
        patch.setattr(pair.fr.outbox, "delivered", killed)
        with pytest.raises(Killed):
            pair.sender().run_once()
    assert held(pair.es, alert.id)
    assert not held(pair.es, erased)
    assert pair.fr.outbox.pending_counts() == {"es": 2}

    restarted = pair.sender().run_once()
    assert restarted.delivered == {"es": 2}
    assert pair.fr.outbox.pending_counts() == {}
    assert len(pair.es.records.history(node_caller("es", JUSTIFICATION), alert.id)) == 1
    assert audited(pair.es, AuditAction.COLLECTION, alert.id) == 1
    assert audited(pair.es, AuditAction.ERASURE, erased) == 1


def test_an_object_the_partner_refuses_is_retried_and_the_others_delivered(
        pair: Pair) -> None:
    good = pair.fr.records.create(author(), TO_ES, Organisation("Réseau fictif Meuse"))
    bad = {"type": "malware", "spec_version": "2.1",  # a domain object with no creation time
           "id": "malware--5b3f5a56-8a51-4bf3-8f7e-1f2c3d4e5f60",
           "modified": "2026-11-01T00:00:00.000Z", "name": "fictional", "is_family": False}
    pair.fr.outbox.enqueue("es", [record_to_stix(good)[0], bad], urgent=True)
    report = pair.sender().run_once()
    assert (report.delivered, report.failed) == ({"es": 1}, {"es": 1})
    left, = waiting(pair.fr)
    assert left.object_id == bad["id"]
    assert left.last_error is not None
    assert "created" in left.last_error


def test_without_an_active_key_for_the_partner_items_wait(pair: Pair) -> None:
    record_id = shared_with_es(pair, "Réseau fictif Sambre")
    key_id = pair.keys["es"].key_id
    pair.fr.peers.revoke(node_caller("fr", JUSTIFICATION), key_id)
    pair.fr.records.erase(author(), record_id)
    report = pair.sender().run_once()
    assert report.failed == {"es": 1}
    assert "no active peer key" in report.errors["es"]
    assert pair.es_side.posts == 0
    assert held(pair.es, record_id)


def test_a_partner_that_is_down_is_asked_once_per_back_off_not_once_per_item(
        pair: Pair) -> None:
    pair.es_side.mode = "down"
    made = [pair.fr.records.create(author(), TO_ES, Organisation(f"Réseau fictif Oise {n}"))
            for n in range(3)]
    pair.fr.outbox.enqueue("es", [record_to_stix(r)[0] for r in made], urgent=True)
    sender = OutboxSender(pair.fr, pair.keys["fr"], pair.es_side.client, batch=1)
    assert sender.run_once().failed == {"es": 1}
    assert sender.run_once().failed == {}  # the two others wait for es's back-off
    assert pair.es_side.posts == 1
    tried, = [i for i in waiting(pair.fr) if i.attempts]
    pair.clock.current = tried.next_attempt_at
    pair.es_side.mode = "up"
    assert sender.run_once().delivered == {"es": 3}
    assert all(held(pair.es, r.id) for r in made)


def test_run_forever_pushes_urgent_work_at_once_and_stops_when_told(
        pair: Pair, monkeypatch: pytest.MonkeyPatch) -> None:
    delivered = threading.Event()
    original = pair.fr.outbox.delivered

    def noting(item_ids: Any) -> int:
        marked = original(item_ids)
        delivered.set()
        return marked

    monkeypatch.setattr(pair.fr.outbox, "delivered", noting)
    stop = threading.Event()
    sender = pair.sender()
    loop = threading.Thread(target=sender.run_forever, args=(stop, 60.0))
    loop.start()
    try:
        made = pair.fr.records.create(author(), TO_ES, Organisation("Réseau fictif Lys"))
        pair.fr.outbox.enqueue("es", [record_to_stix(made)[0]], urgent=True)
        assert delivered.wait(30), "an urgent object waited for the next pass"
    finally:
        stop.set()
        sender.wake()
        loop.join(30)
    assert not loop.is_alive()
    assert held(pair.es, made.id)


def test_a_kept_stix_object_travels_as_it_came_and_its_erasure_follows(pair: Pair) -> None:
    malware = {"type": "malware", "spec_version": "2.1",
               "id": "malware--3a1f6b2c-4d5e-4f60-8a7b-9c0d1e2f3a4b",
               "created": "2026-10-01T00:00:00.000Z", "modified": "2026-10-01T00:00:00.000Z",
               "name": "Fictional dropper", "is_family": True, "x_partner_rating": 4}
    kept = dataclasses.replace(stix_to_record(malware, default_owner="fr"), markings=TO_ES)
    (outcome,) = pair.fr.imports.import_records(author(), [kept], atomic=True)
    assert outcome.status.value == "created"
    pair.puller().pull("fr")
    with pair.es.transactions() as tx:
        copy = tx.records.get(malware["id"])
    assert copy is not None
    assert isinstance(copy.details, StixObject)
    assert json.loads(copy.details.content) == malware
    assert copy.owner_agency == "fr"
    pair.clock.advance(seconds=2)
    pair.fr.records.erase(author(), malware["id"])
    assert pair.sender().run_once().delivered == {"es": 1}
    assert not held(pair.es, malware["id"])
