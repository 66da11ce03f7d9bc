"""Support for the page tests without a browser: a node on a copy of the API tests' template
database (one user per role, ``<role>.test``), its whole site under ``TestClient``, and
signing in through the login form."""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).parent.parent / "api"))

from api_support import PASSWORD, MovableClock, build_node

from passerelle.node import Node
from passerelle.web import create_site

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
LOGIN_TOKEN = re.compile(r'name="login_token" value="([^"]+)"')


def site_client(template: Path, folder: Path) -> Iterator[tuple[TestClient, Node]]:
    """The site of a fresh node (no background worker)."""
    database = folder / "node.db"
    shutil.copyfile(template, database)
    node = build_node(database, MovableClock())
    with TestClient(create_site(node, background=False), follow_redirects=False) as client:
        yield client, node


def login_token(client: TestClient) -> str:
    """The login form's token (its cookie is kept by the client)."""
    match = LOGIN_TOKEN.search(client.get("/login").text)
    assert match is not None
    return match.group(1)


def sign_in(client: TestClient, role: str) -> None:
    answer = client.post("/login", data={"username": f"{role}.test", "password": PASSWORD,
                                         "next": "/", "login_token": login_token(client)})
    assert answer.status_code == 303, answer.text


def csrf_of(client: TestClient, path: str = "/") -> str:
    """The form token of the signed-in session, read from a page."""
    match = CSRF.search(client.get(path).text)
    assert match is not None
    return match.group(1)


def state_purpose(client: TestClient) -> None:
    answer = client.post("/purpose", data={"case": "2026/117", "reason": "page tests",
                                           "next": "/", "csrf": csrf_of(client)})
    assert answer.status_code == 303, answer.text
