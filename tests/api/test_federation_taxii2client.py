"""The OASIS taxii2-client, as a partner's system holding its node's key, reads the collection
a node releases to that partner (page by page, with filters) and writes to the node's inbox,
over real HTTP on loopback: requests signed with RFC 9421 through a ``requests`` auth."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from api_support import JUSTIFICATION, MovableClock, build_node
from taxii2client.v21 import Collection, Server, as_pages
from tests.support import served_on_loopback

from passerelle.api.app import create_app
from passerelle.api.federation_inbox import inbox_collection_id
from passerelle.api.federation_taxii import collection_id
from passerelle.bootstrap import node_caller
from passerelle.domain.markings import Markings
from passerelle.domain.records import Organisation, Record
from passerelle.federation.keys import NodeKey
from passerelle.federation.signatures import sign_request
from passerelle.interop.stix.export import record_object
from passerelle.node import Node

TO_ES = Markings(releasable_to=frozenset({"es"}))


class SignedRequests(requests.auth.AuthBase):
    """Signs each request of a ``requests`` session with a node key, as ``SigningAuth`` does
    for httpx: what a partner's own TAXII tooling needs to talk to a node."""

    def __init__(self, key: NodeKey, clock: MovableClock) -> None:
        self._key, self._clock = key, clock

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        body = request.body or b""
        body = body.encode() if isinstance(body, str) else body
        assert request.method is not None
        assert request.url is not None
        request.headers.update(sign_request(request.method, request.url,
                                            list(request.headers.items()), body, self._key,
                                            self._clock.now()))
        return request


@pytest.fixture
def fr(tmp_path: Path, clock: MovableClock, template: tuple[Path, dict[str, str]]
       ) -> tuple[Node, NodeKey]:
    """fr's node trusting es's key, with five organisations released to es."""
    shutil.copyfile(template[0], tmp_path / "fr.db")
    node = build_node(tmp_path / "fr.db", clock)
    es_key = NodeKey.generate()
    node.peers.register(node_caller("fr"), "es", es_key.public_raw_b64(),
                        "http://es.invalid/taxii/")
    author = node_caller("fr", JUSTIFICATION)
    for n in range(5):
        node.records.create(author, TO_ES, Organisation(f"Association fictive Loire {n}"))
    return node, es_key


@pytest.fixture
def served(fr: tuple[Node, NodeKey]) -> Iterator[str]:
    """fr's API under uvicorn on a free loopback port; its TAXII base URL."""
    with served_on_loopback(create_app(fr[0])) as base:
        yield f"{base}/taxii/"


def test_taxii2client_reads_its_collection_page_by_page_with_filters(
        fr: tuple[Node, NodeKey], served: str, clock: MovableClock) -> None:
    auth = SignedRequests(fr[1], clock)
    root, = Server(f"{served}taxii2/", auth=auth).api_roots
    released = next(c for c in root.collections if c.id == collection_id("fr"))
    assert (released.can_read, released.can_write) == (True, False)
    pages = list(as_pages(released.get_objects, per_request=2))
    names = [obj["name"] for page in pages for obj in page.get("objects", [])]
    assert len(pages) == 3
    assert sorted(names) == [f"Association fictive Loire {n}" for n in range(5)]
    first = pages[0]["objects"]
    manifest = released.get_manifest()["objects"]
    later = released.get_objects(added_after=manifest[1]["date_added"])
    assert len(later["objects"]) == 3
    assert len(released.get_objects(type="identity")["objects"]) == 5  # organisations
    assert released.get_objects(type="indicator").get("objects", []) == []
    one = released.get_object(first[0]["id"])
    assert one["objects"] == [first[0]]


def test_taxii2client_writes_to_the_nodes_inbox_and_reads_the_status(
        fr: tuple[Node, NodeKey], served: str, clock: MovableClock) -> None:
    node, es_key = fr
    auth = SignedRequests(es_key, clock)
    inbox = Collection(f"{served}passerelle/collections/{inbox_collection_id('fr')}/",
                       auth=auth)
    assert (inbox.can_read, inbox.can_write) == (False, True)
    theirs = Organisation("Asociación ficticia Duero")
    record = Record("organisation--0b6b1f5e-86c4-4c1e-9b44-0c2f8e7a1d35", "es",
                    Markings(releasable_to=frozenset({"fr"})), theirs)
    status = inbox.add_objects({"objects": [record_object(record)]})
    assert (status.status, status.success_count, status.failure_count) == ("complete", 1, 0)
    stored = node.records.get(node_caller("fr", JUSTIFICATION), record.id)
    assert (stored.owner_agency, stored.details) == ("es", theirs)
