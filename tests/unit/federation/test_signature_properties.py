"""Properties of signing: whatever the request, what is signed verifies, and any change to
its body is caught."""

from __future__ import annotations

from urllib.parse import quote, urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.unit.federation.signing_support import FR_KEY, NOW, REGISTRY

from passerelle.errors import RejectReason, SignatureRejected
from passerelle.federation.replay import MemoryReplayGuard
from passerelle.federation.signatures import sign_request, verify_request

segments = st.lists(st.text(min_size=1, max_size=12), max_size=4)
queries = st.dictionaries(st.text(min_size=1, max_size=8), st.text(max_size=8), max_size=3)
methods = st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE"])


def url_of(path: list[str], query: dict[str, str]) -> str:
    encoded = "/".join(quote(segment, safe="") for segment in path)
    return f"https://es.passerelle.example/{encoded}" + (f"?{urlencode(query)}" if query else "")


@given(methods, segments, queries, st.binary(max_size=200))
def test_every_signed_request_verifies(method: str, path: list[str], query: dict[str, str],
                                       body: bytes) -> None:
    url = url_of(path, query)
    headers = {"Content-Type": "application/json"} if body else {}
    headers |= sign_request(method, url, headers, body, FR_KEY, NOW)
    peer = verify_request(method, url, headers, body, REGISTRY.get, NOW, MemoryReplayGuard())
    assert peer.agency_id == "fr"


@given(st.binary(min_size=1, max_size=200), st.data())
def test_any_change_to_the_body_is_caught(body: bytes, data: st.DataObject) -> None:
    url = url_of(["objects"], {})
    headers = {"Content-Type": "application/json"}
    headers |= sign_request("POST", url, headers, body, FR_KEY, NOW)
    position = data.draw(st.integers(0, len(body) - 1))
    changed = body[:position] + bytes([body[position] ^ 0x01]) + body[position + 1:]
    with pytest.raises(SignatureRejected) as caught:
        verify_request("POST", url, headers, changed, REGISTRY.get, NOW, MemoryReplayGuard())
    assert caught.value.reason is RejectReason.DIGEST_MISMATCH
