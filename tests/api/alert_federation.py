"""Four nodes (fr, es, be, ma) in one process, for the alert and hit tests.

Each node has its own SQLite database (a copy of the session's template), its own signing key,
trusts the three others' keys, and records a legal basis for each partner abroad. Nodes talk
over signed HTTP through ``TestClient`` transports (no sockets, no sleeps, one injected
clock); ``offline`` makes a node unreachable, as a node whose server is down. Screening passes
and outbox passes are driven by the tests (``screen``, ``push``): the apps run no background
worker.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from api_support import PASSWORD, add_user, build_node
from fastapi import FastAPI
from fastapi.testclient import TestClient

from passerelle.api.app import create_app
from passerelle.bootstrap import node_caller
from passerelle.domain.dates import PartialDate
from passerelle.domain.markings import HandlingCode, Markings, Tlp
from passerelle.domain.records import (
    Alert,
    AlertCategory,
    Person,
    Record,
    SubjectCategory,
    Urgency,
)
from passerelle.domain.transfers import BasisKind
from passerelle.domain.users import Role
from passerelle.federation.keys import NodeKey
from passerelle.federation.outbox import OutboxSender
from passerelle.node import Node
from passerelle.services.caller import Caller

AGENCIES = ("fr", "es", "be", "ma")
JUSTIFICATION = "enquête 2026/611 — fictional travel of a foreign fighter"
T0 = dt.datetime(2026, 12, 6, 8, 0, tzinfo=dt.UTC)
__all__ = ["PASSWORD"]


class StepClock:
    """A clock the tests move forward."""

    def __init__(self) -> None:
        self.at = T0

    def now(self) -> dt.datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += dt.timedelta(**delta)


def base(agency: str) -> str:
    return f"http://{agency}.test/taxii/"


@dataclass
class Federation:
    """The four nodes, their keys and their users' tokens."""

    nodes: dict[str, Node]
    keys: dict[str, NodeKey]
    clock: StepClock
    tokens: dict[tuple[str, str], str]
    offline: set[str] = field(default_factory=set)
    apps: dict[str, FastAPI] = field(default_factory=dict)

    def app(self, agency: str) -> FastAPI:
        if agency not in self.apps:
            self.apps[agency] = create_app(self.nodes[agency], background=False)
        return self.apps[agency]

    def clients(self, base_url: str) -> httpx.Client:
        """A client of the node at ``base_url``, refused while that node is ``offline``."""
        agency = base_url.removeprefix("http://").split(".")[0]
        return httpx.Client(transport=_Switch(self, agency, TestClient(self.app(agency))),
                            base_url=base_url)

    def client(self, agency: str) -> TestClient:
        """The agency's own API, for its users."""
        return TestClient(self.app(agency))

    def headers(self, agency: str, role: str, justification: str = JUSTIFICATION
                ) -> dict[str, Any]:
        return {"Authorization": f"Bearer {self.tokens[(agency, role)]}",
                "Passerelle-Justification": justification.encode()}

    def push(self, agency: str) -> dict[str, int]:
        """One outbox pass of ``agency``: what was delivered, per partner."""
        with OutboxSender(self.nodes[agency], self.keys[agency], self.clients) as sender:
            report = sender.run_once()
        return report.delivered

    def push_all(self) -> None:
        for agency in AGENCIES:
            self.push(agency)

    def screen(self, agency: str) -> None:
        """One screening pass: follow the watchlist, screen records and waiting lists."""
        node = self.nodes[agency]
        node.screening.tick()
        node.screening.run_pending()

    def caller(self, agency: str) -> Caller:
        return node_caller(agency, JUSTIFICATION)

    def raise_alert(self, agency: str, person: Person, markings: Markings,
                    category: AlertCategory = AlertCategory.DISCREET_CHECK
                    ) -> tuple[Record, Record]:
        """A person record and an alert on it, created by ``agency``'s node."""
        records = self.nodes[agency].records
        subject = records.create(self.caller(agency), markings, person)
        alert = records.create(self.caller(agency), markings, Alert(
            category, subject.id, "Report the encounter to the issuing bureau; do not let "
            "the person notice the check.", T0 - dt.timedelta(days=1),
            T0 + dt.timedelta(days=365), Urgency.URGENT, grounds="fictional case file"))
        return subject, alert


class _Switch(httpx.BaseTransport):
    """The transport of a node's app, as if its server were down while it is ``offline``."""

    def __init__(self, federation: Federation, agency: str, client: TestClient) -> None:
        self._federation = federation
        self._agency = agency
        self._client = client

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self._agency in self._federation.offline:
            raise httpx.ConnectError("connection refused", request=request)
        return self._client.send(request)


def shared_with(*agencies: str, tlp: Tlp = Tlp.AMBER, handling: HandlingCode = HandlingCode.H2,
                recipients: frozenset[str] = frozenset()) -> Markings:
    return Markings(tlp=tlp, handling_code=handling, releasable_to=frozenset(agencies),
                    recipients=frozenset(f"agency:{a}" for a in recipients))


def youssef() -> Person:
    """The fictional subject of fr's alert, in French spelling."""
    return Person(SubjectCategory.SUSPECT, "Youssef", "El Idrissi",
                  names_original_script=("يوسف الإدريسي",),
                  date_of_birth=PartialDate.parse("1991-04-07", "date_of_birth"),
                  nationalities=("FR", "MA"), place_of_birth="Meknès")


def four_nodes(tmp_path: Path, template: Path) -> Iterator[Federation]:
    """Build the federation (see the module docstring)."""
    clock = StepClock()
    nodes: dict[str, Node] = {}
    for agency in AGENCIES:
        shutil.copyfile(template, tmp_path / f"{agency}.db")
        nodes[agency] = build_node(tmp_path / f"{agency}.db", clock,  # type: ignore[arg-type]
                                   agency_id=agency, max_body_bytes=8 << 20)
    keys = {agency: NodeKey.generate() for agency in AGENCIES}
    tokens: dict[tuple[str, str], str] = {}
    for agency, node in nodes.items():
        admin = node_caller(agency)
        for other in AGENCIES:
            if other == agency:
                continue
            node.peers.register(admin, other, keys[other].public_raw_b64(), base(other))
            if agency == "ma" or other == "ma":
                node.federation.record_basis(
                    admin, other, BasisKind.AGREEMENT,
                    "fictional bilateral police cooperation agreement, Art. 12",
                    "counter-terrorism cooperation between the four partners")
        for role in (Role.ANALYST, Role.REVIEWER):
            tokens[(agency, role.value)] = add_user(node, f"{role.value}.{agency}", {role})
    yield Federation(nodes, keys, clock, tokens)
    for node in nodes.values():
        getattr(node.transactions, "engine").dispose()  # noqa: B009
