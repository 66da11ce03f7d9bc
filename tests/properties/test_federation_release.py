"""No partner ever receives a record it may not have, across a four-node federation.

Hypothesis draws random records (owners among the four nodes, every marking the policy looks
at: releasability, TLP with named recipients, handling codes H0-H2, compartments) and which
legal bases the nodes recorded for transfers to and from Morocco. The records are created on
their owners' nodes (France, Spain, Belgium, Morocco, each its own node in memory, each
serving TAXII to the others with signed requests); then every node pulls from every other,
twice, so that what one node received may travel on. Afterwards:

- every record a node holds and does not own arrived through a recorded transfer to it;
- every transfer was allowed, re-decided here independently from the version sent:
  ``policy.decide_release`` (releasability, TLP, H2, compartments, onward consents) and
  ``transfers.decide_transfer`` (the legal basis for personal data leaving the EU regime);
- compartmented and TLP:RED-without-the-partner records never leave their owner.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import httpx
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.support import AUDIT_KEY, FixedClock

from passerelle.api.app import create_app
from passerelle.bootstrap import node_caller
from passerelle.domain.agencies import DEFAULT_AGENCIES
from passerelle.domain.markings import HandlingCode, Markings, Tlp
from passerelle.domain.policy import decide_release
from passerelle.domain.records import Organisation, Person, SubjectCategory
from passerelle.domain.transfers import BasisKind, decide_transfer
from passerelle.federation.keys import NodeKey
from passerelle.federation.pull import Puller
from passerelle.node import Node
from passerelle.ports import RecordQuery, TransferQuery
from passerelle.settings import Settings
from passerelle.storage.memory import MemoryUnitOfWorkFactory

AGENCIES = ("fr", "es", "be", "ma")
BY_ID = {a.id: a for a in DEFAULT_AGENCIES}
NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)


@st.composite
def markings(draw: st.DrawFn) -> Markings:
    tlp = draw(st.sampled_from(list(Tlp)))
    recipients = draw(st.frozensets(st.sampled_from([f"agency:{a}" for a in AGENCIES]),
                                    min_size=1 if tlp is Tlp.RED else 0, max_size=3))
    return Markings(
        handling_code=draw(st.sampled_from([HandlingCode.H0, HandlingCode.H1, HandlingCode.H2])),
        tlp=tlp, recipients=recipients,
        releasable_to=draw(st.frozensets(st.sampled_from(AGENCIES), max_size=4)),
        compartment=draw(st.sampled_from([None, None, None, "op-sirocco"])))


records = st.tuples(st.sampled_from(AGENCIES), st.booleans(), markings())


def build_federation(bases_to_morocco: bool, bases_from_morocco: bool
                     ) -> tuple[dict[str, Node], dict[str, Puller]]:
    clock = FixedClock(NOW)
    nodes: dict[str, Node] = {}
    keys = {agency: NodeKey.generate() for agency in AGENCIES}
    for agency in AGENCIES:
        settings = Settings(environment="test", agency_id=agency, secret_key="s" * 40,
                            audit_key=AUDIT_KEY.decode(), database_url="sqlite://")
        node = Node.build(settings, MemoryUnitOfWorkFactory(AUDIT_KEY, clock), clock)
        node.accounts.register_agencies(list(DEFAULT_AGENCIES))
        nodes[agency] = node
    apps = {agency: create_app(node) for agency, node in nodes.items()}
    for agency, node in nodes.items():
        admin = node_caller(agency, "federation set-up for the property test")
        for other in AGENCIES:
            if other == agency:
                continue
            node.peers.register(admin, other, keys[other].public_raw_b64(),
                                f"http://{other}.test/taxii/")
            crossing = "ma" in (agency, other)
            if not crossing:
                node.federation.record_basis(admin, other, BasisKind.EU_DIRECTIVE, "", "")
            elif (agency == "ma" and bases_from_morocco) or (other == "ma" and bases_to_morocco):
                node.federation.record_basis(admin, other, BasisKind.AGREEMENT,
                                             "Accord de coopération (fictif)", "")

    def clients(base_url: str) -> httpx.Client:
        agency = base_url.split("//")[1].split(".")[0]
        return TestClient(apps[agency], base_url=base_url)

    pullers = {agency: Puller(node, keys[agency], clients) for agency, node in nodes.items()}
    return nodes, pullers


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(drawn=st.lists(records, min_size=1, max_size=8), to_ma=st.booleans(),
       from_ma=st.booleans())
def test_no_partner_ever_receives_a_record_it_may_not_have(
        drawn: list[tuple[str, bool, Markings]], to_ma: bool, from_ma: bool) -> None:
    nodes, pullers = build_federation(to_ma, from_ma)
    owned: dict[str, str] = {}
    for i, (owner, personal, marked) in enumerate(drawn):
        details = (Person(SubjectCategory.SUSPECT, "Samira", f"Haddad{i}") if personal
                   else Organisation(f"Réseau fictif {i}"))
        if marked.tlp is Tlp.RED:  # the author's own agency is among the recipients
            marked = dataclasses.replace(
                marked, recipients=marked.recipients | {f"agency:{owner}"})
        author = node_caller(owner, "property test", frozenset({"op-sirocco"}))
        record = nodes[owner].records.create(author, marked, details)
        owned[record.id] = owner
    for _ in range(2):  # a second round lets what was received travel on
        for agency, puller in pullers.items():
            for other in AGENCIES:
                if other != agency:
                    puller.pull(other)

    for receiver, node in nodes.items():
        with node.transactions() as tx:
            held = [r for r in tx.records.search(RecordQuery(), None, 10_000)
                    if r.owner_agency != receiver]
        arrived: set[str] = set()
        for sender, sender_node in nodes.items():
            if sender == receiver:
                continue
            register = list(sender_node.federation.transfers(
                node_caller(sender, "property test"), TransferQuery(recipient=receiver)))
            with sender_node.transactions() as tx:
                basis = tx.federation.basis(receiver)
                for transfer in register:
                    sent = next(v for v in tx.records.history(transfer.record_id)
                                if v.version == transfer.version)
                    consents = tx.federation.consents(sent.id)
                    assert decide_release(sent, BY_ID[sender], BY_ID[receiver], consents), \
                        (sender, receiver, sent.markings)
                    assert decide_transfer(sent, BY_ID[sender], BY_ID[receiver], basis,
                                           NOW.date()), (sender, receiver, sent.kind)
                    arrived.add(transfer.record_id)
        for record in held:
            assert record.id in arrived, f"{receiver} holds {record.id} without a transfer"
            assert record.markings.compartment is None
            if record.markings.tlp is Tlp.RED:
                assert f"agency:{receiver}" in record.markings.recipients
