"""The inbox partners push to: objects stored as the poster's, re-posts harmless, revocations
erase the poster's records only, statuses for the poster only, write-only, signed only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import orjson
import pytest
from api_support import MovableClock
from fastapi.testclient import TestClient

from passerelle.api.app import create_app
from passerelle.api.federation_inbox import StatusBook, inbox_collection_id
from passerelle.api.federation_taxii import ROOT, collection_id
from passerelle.bootstrap import node_caller
from passerelle.domain.audit import AuditAction
from passerelle.domain.markings import Markings
from passerelle.domain.records import (
    Organisation,
    Person,
    Record,
    RecordKind,
    SubjectCategory,
    new_record_id,
)
from passerelle.errors import NotFound
from passerelle.federation.keys import NodeKey, PeerKey
from passerelle.federation.replay import MemoryReplayGuard
from passerelle.federation.signing_auth import SigningAuth
from passerelle.interop.stix.export import record_to_stix
from passerelle.interop.stix.identifiers import stix_id
from passerelle.interop.stix.revocation import revocation
from passerelle.interop.taxii.model import StatusResource
from passerelle.node import Node
from passerelle.ports import AuditQuery

TAXII = "application/taxii+json;version=2.1"
JUSTIFICATION = "enquête 2026/204 — fictional trafficking case"


@pytest.fixture
def keys() -> dict[str, NodeKey]:
    return {agency: NodeKey.generate() for agency in ("es", "ma")}


@pytest.fixture
def client(node: Node, keys: dict[str, NodeKey]) -> Iterator[TestClient]:
    trusted = {key.key_id: key.as_peer(agency) for agency, key in keys.items()}

    def peers(key_id: str) -> PeerKey | None:
        return trusted.get(key_id)

    with TestClient(create_app(node, peers=peers, replay=MemoryReplayGuard())) as http:
        yield http


def inbox_path(agency: str = "fr") -> str:
    return f"/taxii/{ROOT}/collections/{inbox_collection_id(agency)}/objects/"


def post(client: TestClient, key: NodeKey, clock: MovableClock, objects: list[Any],
         path: str | None = None) -> Any:
    return client.post(path or inbox_path(), content=orjson.dumps({"objects": objects}),
                       headers={"Content-Type": TAXII, "Accept": TAXII},
                       auth=SigningAuth(key, clock))


def spanish_record(details: Organisation | Person, clock: MovableClock,
                   owner: str = "es") -> Record:
    kind = RecordKind.PERSON if isinstance(details, Person) else RecordKind.ORGANISATION
    return Record(new_record_id(kind), owner, Markings(releasable_to=frozenset({"fr"})),
                  details, 1, clock.now() - dt.timedelta(days=2), clock.now(), "u-es", "u-es")


def stix(record: Record) -> dict[str, Any]:
    return record_to_stix(record)[0]


def held(node: Node, record_id: str) -> Record | None:
    try:
        return node.records.get(node_caller("fr", JUSTIFICATION), record_id)
    except NotFound:
        return None


def outcomes(body: dict[str, Any], kind: str) -> dict[str, str]:
    return {d["id"]: d.get("message", "") for d in body.get(kind, [])}


def test_posted_objects_become_the_posters_records_and_a_repost_changes_nothing(
        client: TestClient, node: Node, keys: dict[str, NodeKey], clock: MovableClock) -> None:
    network = spanish_record(Organisation("Red ficticia Guadiana"), clock)
    person = spanish_record(Person(SubjectCategory.SUSPECT, "Aitor", "Etxeberria",
                                   aliases=("Aitor E.",)), clock)
    first = post(client, keys["es"], clock, [stix(network), stix(person)])
    assert first.status_code == 202, first.text
    body = first.json()
    assert (body["status"], body["success_count"], body["failure_count"]) == ("complete", 2, 0)
    assert set(outcomes(body, "successes").values()) == {"stored"}
    stored = held(node, person.id)
    assert stored is not None
    assert (stored.owner_agency, stored.version) == ("es", 1)
    again = post(client, keys["es"], clock, [stix(network), stix(person)])
    assert again.status_code == 202, again.text
    assert set(outcomes(again.json(), "successes").values()) == {"already held; unchanged"}
    assert len(node.records.history(node_caller("fr", JUSTIFICATION), person.id)) == 1
    with node.transactions() as tx:
        collected = tx.audit.entries(AuditQuery(action=AuditAction.COLLECTION.value), 0, 100)
    assert sorted(e.record_id or "" for e in collected) == sorted([network.id, person.id])


def test_a_revocation_erases_the_posters_record_and_a_repeat_is_a_success(
        client: TestClient, node: Node, keys: dict[str, NodeKey], clock: MovableClock) -> None:
    network = spanish_record(Organisation("Red ficticia Tajo"), clock)
    post(client, keys["es"], clock, [stix(network)])
    revoked = revocation(network.id, clock.now() + dt.timedelta(seconds=1))
    answer = post(client, keys["es"], clock, [revoked])
    assert outcomes(answer.json(), "successes") == {
        revoked["id"]: "revoked: the local copy is erased"}
    assert held(node, network.id) is None
    repeat = post(client, keys["es"], clock, [revoked])
    assert outcomes(repeat.json(), "successes") == {
        revoked["id"]: "revoked: no local copy to erase"}


def test_a_partner_cannot_erase_or_forge_what_it_does_not_own(
        client: TestClient, node: Node, keys: dict[str, NodeKey], clock: MovableClock) -> None:
    own = node.records.create(node_caller("fr", JUSTIFICATION),
                              Markings(releasable_to=frozenset({"es"})),
                              Organisation("Réseau fictif Garonne"))
    moroccan = spanish_record(Organisation("Réseau fictif Souss"), clock, owner="ma")
    post(client, keys["ma"], clock, [stix(moroccan)])
    forged = spanish_record(Organisation("Réseau fictif Loire"), clock, owner="fr")
    answer = post(client, keys["es"], clock, [
        revocation(own.id, clock.now()), revocation(moroccan.id, clock.now()), stix(forged)])
    body = answer.json()
    assert (body["success_count"], body["failure_count"]) == (1, 2)
    reasons = outcomes(body, "failures")
    assert "only the owner agency" in reasons[stix_id(own.id)]
    # A record es may not see does not exist for es, as for a local user: nothing to erase.
    assert outcomes(body, "successes") == {stix_id(moroccan.id): "revoked: no local copy to erase"}
    assert "never sent back" in reasons[stix(forged)["id"]]
    assert held(node, own.id) is not None
    assert held(node, moroccan.id) is not None
    assert held(node, forged.id) is None


def test_each_bad_object_is_a_failure_that_does_not_stop_the_others(
        client: TestClient, node: Node, keys: dict[str, NodeKey], clock: MovableClock) -> None:
    good = spanish_record(Organisation("Red ficticia Ebro"), clock)
    unsupported: dict[str, Any] = {  # a domain object with no creation time
        "type": "malware", "spec_version": "2.1",
        "id": "malware--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061",
        "modified": "2026-03-01T00:00:00.000Z", "name": "fictional", "is_family": False}
    answer = post(client, keys["es"], clock, [unsupported, stix(good)])
    body = answer.json()
    assert (body["success_count"], body["failure_count"]) == (1, 1)
    assert "created is required" in outcomes(body, "failures")[unsupported["id"]]
    assert held(node, good.id) is not None


def test_a_status_is_shown_to_the_partner_that_posted_only(
        client: TestClient, keys: dict[str, NodeKey], clock: MovableClock) -> None:
    answer = post(client, keys["es"], clock,
                  [stix(spanish_record(Organisation("Red ficticia Duero"), clock))])
    status_id = answer.json()["id"]
    path = f"/taxii/{ROOT}/status/{status_id}/"
    mine = client.get(path, headers={"Accept": TAXII}, auth=SigningAuth(keys["es"], clock))
    assert mine.status_code == 200, mine.text
    assert mine.json() == answer.json()
    theirs = client.get(path, headers={"Accept": TAXII}, auth=SigningAuth(keys["ma"], clock))
    assert theirs.status_code == 404


def test_the_inbox_is_write_only_and_the_released_records_read_only(
        client: TestClient, keys: dict[str, NodeKey], clock: MovableClock) -> None:
    read = client.get(inbox_path(), headers={"Accept": TAXII},
                      auth=SigningAuth(keys["es"], clock))
    assert read.status_code == 403
    released = f"/taxii/{ROOT}/collections/{collection_id('fr')}/objects/"
    written = post(client, keys["es"], clock, [], path=released)
    assert written.status_code == 403


def test_an_unknown_or_unsigned_poster_is_refused(
        client: TestClient, node: Node, clock: MovableClock) -> None:
    network = spanish_record(Organisation("Red ficticia Miño"), clock)
    stranger = post(client, NodeKey.generate(), clock, [stix(network)])
    assert stranger.status_code == 401
    unsigned = client.post(inbox_path(), content=orjson.dumps({"objects": [stix(network)]}),
                           headers={"Content-Type": TAXII, "Accept": TAXII})
    assert unsigned.status_code == 401
    assert held(node, network.id) is None


def test_the_status_book_forgets_the_oldest_beyond_its_capacity() -> None:
    book = StatusBook(capacity=2)
    statuses = [StatusResource.complete(f"status-{n}", dt.datetime.now(dt.UTC), [], [])
                for n in range(3)]
    for status in statuses:
        book.keep("es", status)
    assert book.find("status-0", "es") is None
    assert book.find("status-2", "es") == statuses[2]
    assert book.find("status-2", "ma") is None
