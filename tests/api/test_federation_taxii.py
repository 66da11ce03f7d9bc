"""The TAXII server partner nodes read: signed requests, per-partner feeds, transfers logged."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from api_support import JUSTIFICATION, MovableClock
from fastapi.testclient import TestClient

from passerelle.api.app import create_app
from passerelle.api.federation_inbox import inbox_collection_id
from passerelle.api.federation_taxii import ROOT, collection_id
from passerelle.bootstrap import node_caller
from passerelle.domain.markings import Markings
from passerelle.domain.records import Organisation, Person, SubjectCategory
from passerelle.domain.transfers import BasisKind
from passerelle.federation.keys import NodeKey, PeerKey
from passerelle.federation.replay import MemoryReplayGuard
from passerelle.federation.signing_auth import SigningAuth
from passerelle.node import Node
from passerelle.ports import AuditQuery, TransferQuery

TAXII = "application/taxii+json;version=2.1"
EVERYONE = frozenset({"es", "be", "ma"})


@pytest.fixture
def keys() -> dict[str, NodeKey]:
    return {agency: NodeKey.generate() for agency in ("es", "ma")}


@pytest.fixture
def client(node: Node, keys: dict[str, NodeKey]) -> Iterator[TestClient]:
    trusted = {key.key_id: key.as_peer(agency) for agency, key in keys.items()}

    def peers(key_id: str) -> PeerKey | None:
        return trusted.get(key_id)

    app = create_app(node, peers=peers, replay=MemoryReplayGuard())
    with TestClient(app) as http:
        yield http


def get(client: TestClient, path: str, key: NodeKey, clock: MovableClock,
        **params: Any) -> Any:
    return client.get(f"/taxii{path}", params=params, headers={"Accept": TAXII},
                      auth=SigningAuth(key, clock))


def objects_path(node: Node) -> str:
    return f"/{ROOT}/collections/{collection_id(node.settings.agency_id)}/objects/"


def test_discovery_and_collection_for_a_signed_partner(client: TestClient, node: Node,
                                                       keys: dict[str, NodeKey],
                                                       clock: MovableClock) -> None:
    discovery = get(client, "/taxii2/", keys["es"], clock)
    assert discovery.status_code == 200, discovery.text
    assert discovery.headers["content-type"].startswith("application/taxii+json")
    assert discovery.json()["api_roots"][0].endswith(f"/taxii/{ROOT}/")
    collections = get(client, f"/{ROOT}/collections/", keys["es"], clock).json()
    rights = {c["id"]: (c["can_read"], c["can_write"]) for c in collections["collections"]}
    # The released records are read-only; the inbox partners push to is write-only.
    assert rights == {collection_id("fr"): (True, False),
                      inbox_collection_id("fr"): (False, True)}


def test_unsigned_or_unknown_requests_are_refused_and_audited(
        client: TestClient, node: Node, clock: MovableClock) -> None:
    unsigned = client.get("/taxii/taxii2/", headers={"Accept": TAXII})
    assert unsigned.status_code == 401
    assert unsigned.headers["www-authenticate"].startswith("Signature")
    stranger = get(client, "/taxii2/", NodeKey.generate(), clock)
    assert stranger.status_code == 401
    with node.transactions() as tx:
        denied = tx.audit.entries(AuditQuery(action="access_denied"), 0, 10)
    assert [e.details["reason"] for e in denied] == ["missing_signature", "unknown_key"]


def test_each_partner_reads_its_own_feed_and_every_version_sent_is_a_transfer(
        client: TestClient, node: Node, keys: dict[str, NodeKey], clock: MovableClock) -> None:
    caller = node_caller("fr", JUSTIFICATION)
    person = node.records.create(caller, Markings(releasable_to=EVERYONE), Person(
        SubjectCategory.SUSPECT, "Karim", "Ouazzani", ("كريم الوزاني",)))
    organisation = node.records.create(caller, Markings(releasable_to=frozenset({"ma"})),
                                       Organisation("Réseau fictif Atlas"))
    spanish = get(client, objects_path(node), keys["es"], clock)
    assert spanish.status_code == 200, spanish.text
    assert [o["id"].split("--")[1] for o in spanish.json()["objects"]] == [
        person.id.split("--")[1]]
    moroccan = get(client, objects_path(node), keys["ma"], clock).json()
    # No legal basis for Morocco yet: the organisation goes, the person does not.
    assert [o["id"].split("--")[1] for o in moroccan["objects"]] == [
        organisation.id.split("--")[1]]
    node.federation.record_basis(caller, "ma", BasisKind.AGREEMENT,
                                 "Accord de coopération policière (fictional)", "")
    after = get(client, objects_path(node), keys["ma"], clock).json()
    assert {o["id"].split("--")[1] for o in after["objects"]} == {
        organisation.id.split("--")[1], person.id.split("--")[1]}
    register = list(node.federation.transfers(caller, TransferQuery(recipient="ma")))
    assert [t.record_id for t in register].count(person.id) == 1
    assert {t.channel for t in register} == {"taxii"}


def test_pages_chain_through_next_and_the_manifest_matches(
        client: TestClient, node: Node, keys: dict[str, NodeKey], clock: MovableClock) -> None:
    caller = node_caller("fr", JUSTIFICATION)
    made = {node.records.create(caller, Markings(releasable_to=EVERYONE), Organisation(
        f"Organisation fictive {i}")).id.split("--")[1] for i in range(7)}
    seen: list[str] = []
    params: dict[str, Any] = {"limit": 3}
    while True:
        page = get(client, objects_path(node), keys["es"], clock, **params)
        assert page.status_code == 200, page.text
        body = page.json()
        seen += [o["id"].split("--")[1] for o in body.get("objects", [])]
        if not body.get("more"):
            break
        params = {"limit": 3, "next": body["next"]}
    assert sorted(seen) == sorted(made)
    manifest = get(client, objects_path(node).replace("objects/", "manifest/"), keys["es"],
                   clock, limit=100).json()
    assert len(manifest["objects"]) == 7
