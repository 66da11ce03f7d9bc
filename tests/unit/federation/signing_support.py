"""Builders shared by the peer-trust tests: fixed keys, a signed request that tests can alter,
and its verification with the fewest moving parts."""

from __future__ import annotations

import dataclasses
import datetime as dt

from passerelle.federation.keys import NodeKey, PeerKey
from passerelle.federation.replay import MemoryReplayGuard, ReplayGuard
from passerelle.federation.signatures import sign_request, verify_request

NOW = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
URL = "https://es.passerelle.example/taxii2/api/collections/abc/objects/?limit=50&added_after=x"
BODY = b'{"objects": []}'
ES_KEY = NodeKey.generate()
FR_KEY = NodeKey.generate()


def peers_of(*keys: tuple[str, NodeKey]) -> dict[str, PeerKey]:
    """A registry of peers by key id, as a node would hold it."""
    return {key.key_id: key.as_peer(agency) for agency, key in keys}


REGISTRY = peers_of(("fr", FR_KEY))


@dataclasses.dataclass
class Signed:
    """One request as it travels, signed by ``FR_KEY`` unless told otherwise."""

    method: str
    url: str
    headers: dict[str, str]
    body: bytes

    @classmethod
    def make(cls, method: str = "POST", url: str = URL, body: bytes = BODY,
             key: NodeKey = FR_KEY, at: dt.datetime = NOW, nonce: str | None = None,
             content_type: str | None = "application/taxii+json;version=2.1") -> Signed:
        headers = {"Content-Type": content_type} if content_type else {}
        headers |= sign_request(method, url, headers, body, key, at, nonce)
        return cls(method, url, headers, body)

    def verify(self, now: dt.datetime = NOW, replay: ReplayGuard | None = None,
               registry: dict[str, PeerKey] | None = None) -> PeerKey:
        peers = REGISTRY if registry is None else registry
        return verify_request(self.method, self.url, self.headers, self.body, peers.get, now,
                              MemoryReplayGuard() if replay is None else replay)

    def with_header(self, name: str, value: str | None) -> Signed:
        headers = {n: v for n, v in self.headers.items() if n.lower() != name.lower()}
        if value is not None:
            headers[name] = value
        return dataclasses.replace(self, headers=headers)
