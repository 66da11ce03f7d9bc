"""``SigningAuth`` signs what an httpx client sends; a peer verifies it on arrival
(over httpx's ``MockTransport``: no network, no server)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json

import httpx
import pytest
from tests.unit.federation.signing_support import ES_KEY, FR_KEY, NOW, REGISTRY

from passerelle.errors import RejectReason, SignatureRejected
from passerelle.federation.replay import MemoryReplayGuard
from passerelle.federation.signatures import verify_request
from passerelle.federation.signing_auth import SigningAuth


class Clock:
    def __init__(self) -> None:
        self.at = NOW

    def now(self) -> dt.datetime:
        return self.at


class Peer:
    """A peer node's front door: verifies each request and answers who signed it."""

    def __init__(self) -> None:
        self.replay = MemoryReplayGuard()
        self.clock = Clock()
        self.seen: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        try:
            peer = verify_request(request.method, str(request.url),
                                  request.headers.multi_items(), request.read(),
                                  REGISTRY.get, self.clock.now(), self.replay)
        except SignatureRejected as rejection:
            return httpx.Response(401, json={"reason": rejection.reason})
        return httpx.Response(200, json={"agency": peer.agency_id})


@pytest.fixture
def peer() -> Peer:
    return Peer()


def client(peer: Peer, key: httpx.Auth) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(peer), auth=key,
                        base_url="https://es.passerelle.example")


def test_every_request_of_a_signing_client_is_accepted_by_the_peer(peer: Peer) -> None:
    with client(peer, SigningAuth(FR_KEY, peer.clock)) as http:
        answers = [
            http.get("/taxii2/api/collections/", params={"limit": 10, "next": "a b"}),
            http.post("/taxii2/api/collections/abc/objects/",
                      json={"objects": [{"type": "indicator", "name": "Réseau Atlas"}]}),
            http.request("DELETE", "/taxii2/api/collections/abc/objects/x/"),
            http.put("/x", content=b"\x00\x01",
                     headers={"Content-Type": "application/octet-stream"}),
        ]
    assert [a.json() for a in answers] == [{"agency": "fr"}] * 4
    assert all("Signature" in r.headers and "Content-Digest" in r.headers for r in peer.seen)


def test_a_streamed_body_is_read_and_signed(peer: Peer) -> None:
    def chunks() -> object:
        yield b'{"objects": '
        yield b"[]}"

    with client(peer, SigningAuth(FR_KEY, peer.clock)) as http:
        answer = http.post("/x", content=chunks(),  # type: ignore[arg-type]
                           headers={"Content-Type": "application/json"})
    assert answer.json() == {"agency": "fr"}


def test_an_async_client_signs_too(peer: Peer) -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        await request.aread()
        return peer(request)

    async def send() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler),
                                     auth=SigningAuth(FR_KEY, peer.clock),
                                     base_url="https://es.passerelle.example") as http:
            return await http.post("/x", json={"objects": []})

    assert asyncio.run(send()).json() == {"agency": "fr"}


def test_a_request_sent_twice_by_a_middleman_is_refused_the_second_time(peer: Peer) -> None:
    with client(peer, SigningAuth(FR_KEY, peer.clock)) as http:
        assert http.post("/x", json={}).status_code == 200
    captured = peer.seen[-1]
    replayed = peer(httpx.Request(captured.method, captured.url, headers=captured.headers,
                                  content=captured.content))
    assert replayed.json() == {"reason": RejectReason.REPLAYED}


def test_a_client_whose_clock_is_late_is_refused_as_stale(peer: Peer) -> None:
    late = Clock()
    late.at = NOW - dt.timedelta(minutes=2)
    with client(peer, SigningAuth(FR_KEY, late)) as http:
        answer = http.get("/taxii2/")
    assert answer.json() == {"reason": RejectReason.STALE}


def test_a_client_with_an_unregistered_key_is_refused(peer: Peer) -> None:
    with client(peer, SigningAuth(ES_KEY, peer.clock)) as http:
        answer = http.get("/taxii2/")
    assert answer.json() == {"reason": RejectReason.UNKNOWN_KEY}


def test_a_body_swapped_in_transit_is_refused(peer: Peer) -> None:
    def swap(request: httpx.Request) -> httpx.Response:
        body = json.dumps({"objects": ["injected"]}).encode()
        return peer(httpx.Request(request.method, request.url, headers=request.headers,
                                  content=body))

    with httpx.Client(transport=httpx.MockTransport(swap), auth=SigningAuth(FR_KEY, peer.clock),
                      base_url="https://es.passerelle.example") as http:
        answer = http.post("/x", json={"objects": []})
    assert answer.json() == {"reason": RejectReason.DIGEST_MISMATCH}
