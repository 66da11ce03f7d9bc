"""Peer trust on a real FastAPI application over httpx's ASGI transport: a route guarded by
``peer_authenticator`` accepts a signing node's requests and refuses the rest with a 401
problem, auditing each refusal."""

# No `from __future__ import annotations`: FastAPI must see the routes' local Annotated types.

import asyncio
import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

import httpx
import pytest
from fastapi import Depends, FastAPI, Request
from tests.unit.federation.signing_support import ES_KEY, FR_KEY, NOW, REGISTRY

from passerelle.api import problems
from passerelle.api.peer_auth import peer_authenticator, separately
from passerelle.errors import RejectReason
from passerelle.federation.keys import NodeKey, PeerKey
from passerelle.federation.replay import MemoryReplayGuard
from passerelle.federation.signing_auth import SigningAuth

BASE_URL = "https://es.passerelle.example"
Rejection = tuple[RejectReason, str | None, str | None]


class Clock:
    def __init__(self) -> None:
        self.at = NOW

    def now(self) -> dt.datetime:
        return self.at


class Node:
    """A peer node's application with one guarded route, its clock and its audit of refusals."""

    def __init__(self) -> None:
        self.clock = Clock()
        self.rejections: list[Rejection] = []
        self.app = FastAPI()
        problems.install(self.app)
        authenticated = peer_authenticator(
            separately(REGISTRY.get, MemoryReplayGuard()), self.clock,
            on_reject=lambda *rejection: self.rejections.append(rejection))
        peer_dependency = Annotated[PeerKey, Depends(authenticated)]

        @self.app.post("/taxii2/{collection}/objects/")
        async def push(collection: str, peer: peer_dependency, request: Request) -> dict[str, Any]:
            return {"agency": peer.agency_id, "collection": collection,
                    "objects": (await request.json())["objects"]}

        @self.app.get("/taxii2/{collection}/objects/")
        def pull(collection: str, peer: peer_dependency, limit: int = 10) -> dict[str, Any]:
            return {"agency": peer.agency_id, "collection": collection, "limit": limit}


@pytest.fixture
def node() -> Node:
    return Node()


def call(node: Node, method: str, path: str, *, key: NodeKey | None = FR_KEY,
         transport: Callable[[httpx.AsyncBaseTransport], httpx.AsyncBaseTransport] | None = None,
         sender_clock: Clock | None = None, **kwargs: Any) -> httpx.Response:
    """One request to ``node`` from a client signing with ``key`` (None: unsigned) by
    ``sender_clock`` (by default, in step with the node's)."""
    asgi: httpx.AsyncBaseTransport = httpx.ASGITransport(app=node.app)

    async def send() -> httpx.Response:
        auth = SigningAuth(key, sender_clock or node.clock) if key else None
        async with httpx.AsyncClient(transport=transport(asgi) if transport else asgi,
                                     base_url=BASE_URL, auth=auth) as http:
            return await http.request(method, path, **kwargs)

    return asyncio.run(send())


class Rewriting(httpx.AsyncBaseTransport):
    """What sits between the client and the application: alters each request on the way."""

    def __init__(self, inner: httpx.AsyncBaseTransport,
                 change: Callable[[httpx.Request], httpx.Request]) -> None:
        self.inner, self.change = inner, change

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self.inner.handle_async_request(self.change(request))


def test_a_signed_push_is_accepted_and_its_body_still_reaches_the_route(node: Node) -> None:
    answer = call(node, "POST", "/taxii2/shared/objects/",
                  json={"objects": [{"type": "identity", "name": "Réseau Atlas"}]})
    assert answer.status_code == 200
    assert answer.json() == {"agency": "fr", "collection": "shared",
                             "objects": [{"type": "identity", "name": "Réseau Atlas"}]}
    assert node.rejections == []


def test_a_signed_pull_with_a_query_and_an_encoded_path_is_accepted(node: Node) -> None:
    answer = call(node, "GET", "/taxii2/caf%C3%A9%20noir/objects/", params={"limit": 3})
    assert answer.json() == {"agency": "fr", "collection": "café noir", "limit": 3}


def test_an_unsigned_request_is_a_401_problem_asking_for_a_signature(node: Node) -> None:
    answer = call(node, "GET", "/taxii2/shared/objects/", key=None)
    assert answer.status_code == 401
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["www-authenticate"] == 'Signature realm="passerelle"'
    problem = answer.json()
    assert (problem["code"], problem["field"]) == ("signature_rejected", "signature-input")
    assert problem["detail"].endswith("(missing_signature)")
    assert node.rejections == [(RejectReason.MISSING_SIGNATURE, None, "127.0.0.1")]


def test_an_unknown_node_is_refused_and_its_claimed_key_audited(node: Node) -> None:
    answer = call(node, "GET", "/taxii2/shared/objects/", key=ES_KEY)
    assert answer.json()["detail"].endswith("(unknown_key)")
    assert node.rejections == [(RejectReason.UNKNOWN_KEY, ES_KEY.key_id, "127.0.0.1")]


def test_a_replayed_push_is_refused(node: Node) -> None:
    captured: list[httpx.Request] = []

    def keep(request: httpx.Request) -> httpx.Request:
        captured.append(request)
        return request

    first = call(node, "POST", "/taxii2/shared/objects/", json={"objects": []},
                 transport=lambda inner: Rewriting(inner, keep))
    assert first.status_code == 200
    again = captured[0]
    replay = call(node, "POST", "/taxii2/shared/objects/", key=None,
                  headers=dict(again.headers), content=again.content)
    assert replay.status_code == 401
    assert node.rejections == [(RejectReason.REPLAYED, FR_KEY.key_id, "127.0.0.1")]


@pytest.mark.parametrize(("change", "reason"), [
    (lambda r: httpx.Request(r.method, r.url, headers=r.headers, content=b'{"objects": [1]}'),
     RejectReason.DIGEST_MISMATCH),
    (lambda r: httpx.Request(r.method, r.url.copy_with(path="/taxii2/other/objects/"),
                             headers=r.headers, content=r.content), RejectReason.BAD_SIGNATURE),
    (lambda r: httpx.Request(r.method, r.url.copy_merge_params({"limit": 9}),
                             headers=r.headers, content=r.content), RejectReason.BAD_SIGNATURE),
])
def test_a_request_altered_in_transit_is_refused(node: Node, change: Any,
                                                 reason: RejectReason) -> None:
    method = "POST" if reason is RejectReason.DIGEST_MISMATCH else "GET"
    body: dict[str, Any] = {"json": {"objects": []}} if method == "POST" else {}
    answer = call(node, method, "/taxii2/shared/objects/",
                  transport=lambda inner: Rewriting(inner, change), **body)
    assert answer.status_code == 401
    assert [r[0] for r in node.rejections] == [reason]


def test_a_node_behind_a_tls_terminating_proxy_still_verifies(node: Node) -> None:
    def terminate_tls(request: httpx.Request) -> httpx.Request:
        return httpx.Request(request.method, request.url.copy_with(scheme="http"),
                             headers=request.headers, content=request.content)

    answer = call(node, "GET", "/taxii2/shared/objects/",
                  transport=lambda inner: Rewriting(inner, terminate_tls))
    assert answer.json()["agency"] == "fr"


def test_a_sender_whose_clock_drifted_learns_it_from_the_problem(node: Node) -> None:
    node.clock.at = NOW + dt.timedelta(minutes=3)
    answer = call(node, "GET", "/taxii2/shared/objects/", sender_clock=Clock())
    assert answer.json()["detail"] == (
        "created 180 s ago; 60 s of clock skew allowed (stale)")
