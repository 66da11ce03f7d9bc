"""A node pulls what a partner released to it, over signed TAXII, and resumes after a crash."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest
from api_support import JUSTIFICATION, MovableClock, build_node
from fastapi.testclient import TestClient

from passerelle.api.app import create_app
from passerelle.bootstrap import node_caller
from passerelle.domain.markings import Markings
from passerelle.domain.records import Organisation, Person, SubjectCategory
from passerelle.errors import NotFound
from passerelle.federation.keys import NodeKey
from passerelle.federation.pull import Puller, PullReport
from passerelle.node import Node

BASE = "http://fr.test/taxii/"


@pytest.fixture
def federation(tmp_path: Path, clock: MovableClock, template: tuple[Path, dict[str, str]]
               ) -> tuple[Node, Node, Puller]:
    nodes = {}
    keys = {}
    for agency in ("fr", "es"):
        database = tmp_path / f"{agency}.db"
        shutil.copyfile(template[0], database)
        nodes[agency] = build_node(database, clock, agency_id=agency)
        keys[agency] = NodeKey.generate()
    fr, es = nodes["fr"], nodes["es"]
    fr.peers.register(node_caller("fr"), "es", keys["es"].public_raw_b64(), "http://es.test/taxii/")
    es.peers.register(node_caller("es"), "fr", keys["fr"].public_raw_b64(), BASE)
    app = create_app(fr)

    def clients(base_url: str) -> httpx.Client:
        assert base_url == BASE
        return TestClient(app, base_url=base_url)

    return fr, es, Puller(es, keys["es"], clients)


def held_by(node: Node, record_id: str) -> bool:
    try:
        node.records.get(node_caller(node.settings.agency_id, JUSTIFICATION), record_id)
    except NotFound:
        return False
    return True


def test_pull_takes_what_was_released_once_and_erasures_follow(
        federation: tuple[Node, Node, Puller]) -> None:
    fr, es, puller = federation
    author = node_caller("fr", JUSTIFICATION)
    person = fr.records.create(author, Markings(releasable_to=frozenset({"es", "be"})), Person(
        SubjectCategory.SUSPECT, "Ilyas", "Bensalem", ("إلياس بن سالم",)))
    organisation = fr.records.create(author, Markings(releasable_to=frozenset({"es"})),
                                     Organisation("Réseau fictif Atlas"))
    secret = fr.records.create(author, Markings(releasable_to=frozenset({"be"})),
                               Organisation("Cellule fictive Nord"))
    first = puller.pull("fr")
    assert (first.received, first.erased, first.rejected) == (2, 0, [])
    assert held_by(es, person.id)
    assert held_by(es, organisation.id)
    assert not held_by(es, secret.id)
    again = puller.pull("fr")
    assert (again.received, again.unchanged) == (0, 0)
    fr.records.update(author, person.id, 1, Markings(releasable_to=frozenset({"be"})),
                      person.details)
    withdrawn = puller.pull("fr")
    assert withdrawn.erased == 1
    assert not held_by(es, person.id)
    assert held_by(es, organisation.id)


def test_a_pull_killed_mid_way_resumes_without_loss_or_duplicates(
        federation: tuple[Node, Node, Puller]) -> None:
    fr, es, puller = federation
    author = node_caller("fr", JUSTIFICATION)
    made = [fr.records.create(author, Markings(releasable_to=frozenset({"es"})),
                              Organisation(f"Organisation fictive {i}")).id for i in range(5)]

    class Killed(Exception):
        pass

    def die_after_two_pages(report: PullReport) -> None:
        if report.pages == 2:
            raise Killed

    with pytest.raises(Killed):
        puller.pull("fr", page_size=2, progress=die_after_two_pages)
    rest = puller.pull("fr", page_size=2)
    assert rest.received == 1
    assert all(held_by(es, record_id) for record_id in made)
    with es.transactions() as tx:
        assert tx.records.count() == len(made)


def test_an_unknown_partner_is_named(federation: tuple[Node, Node, Puller]) -> None:
    _, _, puller = federation
    with pytest.raises(NotFound) as error:
        puller.pull("ma")
    assert error.value.field == "partner"
