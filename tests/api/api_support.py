"""Support for the API tests: a node on a fresh, migrated SQLite database, its API client with
one token per role, fictional record details of every kind, and a problem+json assertion.

Kept out of conftest.py under a name of its own, because test directories are not packages and
another directory's conftest must not shadow it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from passerelle.api import create_app
from passerelle.domain.agencies import DEFAULT_AGENCIES
from passerelle.domain.users import Role
from passerelle.node import Node
from passerelle.settings import Settings
from passerelle.storage import SqlUnitOfWorkFactory, make_engine, upgrade

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
JUSTIFICATION = "enquête 2026/117 — suspected facilitation network"
PASSWORD = "a long passphrase for tests"


class MovableClock:
    """A clock the tests set; starts at ``NOW``."""

    def __init__(self) -> None:
        self.at = NOW

    def now(self) -> dt.datetime:
        return self.at


def details_of(kind: str) -> dict[str, Any]:
    """Valid details of a fictional record of ``kind``."""
    details: dict[str, dict[str, Any]] = {
        "person": {"subject_category": "suspect", "given_names": "Youssef",
                   "family_name": "El Amrani", "names_original_script": ["يوسف العمراني"],
                   "date_of_birth": "1987-03", "nationalities": ["MA"]},
        "document": {"document_type": "passport", "number": "AB 123 456",
                     "issuing_country": "MA", "status": "stolen"},
        "organisation": {"name": "Réseau Atlas", "country": "BE"},
        "event": {"event_type": "border_crossing", "occurred_at": "2026-02-01T10:00:00Z",
                  "place": "Tarifa", "country": "ES"},
        "report": {"title": "Weekly summary", "text": "Movements near the border.",
                   "published": "2026-02-02T08:00:00Z"},
        "indicator": {"pattern": "[ipv4-addr:value = '198.51.100.7']",
                      "valid_from": "2026-01-01T00:00:00Z"},
        "relationship": {"relationship_type": "member-of",
                         "source": f"person--{uuid.uuid4()}",
                         "target": f"organisation--{uuid.uuid4()}"},
        "alert": {"category": "discreet_check", "subject": f"person--{uuid.uuid4()}",
                  "action": "Report the encounter; do not alert the person.",
                  "valid_from": "2026-03-01T00:00:00Z", "valid_until": "2027-03-01T00:00:00Z"},
    }
    return details[kind]


@dataclass
class Api:
    """The client and one token per role, with header helpers."""

    client: TestClient
    node: Node
    clock: MovableClock
    tokens: dict[str, str]

    def headers(self, role: str = "analyst", justification: str | None = JUSTIFICATION
                ) -> dict[str, Any]:
        """Bearer token of ``role`` and, unless None, the justification sent as UTF-8 bytes."""
        headers: dict[str, Any] = {"Authorization": f"Bearer {self.tokens[role]}"}
        if justification is not None:
            headers["Passerelle-Justification"] = justification.encode()
        return headers

    def create(self, kind: str = "person", role: str = "analyst",
               markings: dict[str, Any] | None = None,
               details: dict[str, Any] | None = None) -> dict[str, Any]:
        """Create a record through the API and return its canonical form."""
        response = self.client.post("/api/v1/records", headers=self.headers(role), json={
            "kind": kind, "markings": markings or {}, "details": details or details_of(kind)})
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body


def build_node(database: Path, clock: MovableClock, **overrides: Any) -> Node:
    """A node of agency fr on the SQLite file ``database`` (already migrated)."""
    url = f"sqlite:///{database}"
    settings = Settings(**{
        "environment": "test", "database_url": url, "agency_id": "fr", "secret_key": "s" * 40,
        "audit_key": "a" * 40, "max_body_bytes": 64 * 1024, "page_size_max": 50, **overrides})
    transactions = SqlUnitOfWorkFactory(make_engine(url), settings.audit_key.encode(), clock)
    return Node.build(settings, transactions, clock)


def template_database(directory: Path) -> tuple[Path, dict[str, str]]:
    """A migrated database with the default agencies and one user and token per role
    (``<role>.test``), built once per session and copied for each test: migrating and hashing
    passwords is most of a test's cost."""
    database = directory / "template.db"
    upgrade(f"sqlite:///{database}")
    node = build_node(database, MovableClock())
    node.accounts.register_agencies(list(DEFAULT_AGENCIES))
    tokens = {role.value: add_user(node, f"{role.value}.test", {role}) for role in Role}
    engine = getattr(node.transactions, "engine")  # noqa: B009 — the SQL adapter's engine
    engine.dispose()  # the last connection checkpoints the WAL into the file
    return database, tokens


def problem(response: Any, status: int, code: str, field: str | None = None) -> dict[str, Any]:
    """Assert ``response`` is the RFC 9457 problem ``code`` (naming ``field`` if given)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["code"] == code, body
    assert body["type"] == f"urn:passerelle:problem:{code}"
    assert body["status"] == status
    if field is not None:
        assert body["field"] == field, body
    return body


def add_user(node: Node, username: str, roles: set[Role],
             compartments: frozenset[str] = frozenset()) -> str:
    """A user with a token; returns the token secret."""
    node.accounts.create_user(None, username, frozenset(roles), PASSWORD, "", compartments)
    return node.accounts.issue_token(None, username, "tests").secret


def make_api(node: Node, clock: MovableClock, tokens: dict[str, str]) -> Iterator[Api]:
    """The API of ``node`` with a client."""
    with TestClient(create_app(node)) as client:
        yield Api(client, node, clock, tokens)
