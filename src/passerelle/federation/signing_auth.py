"""``SigningAuth``: an httpx authentication that signs every request a node sends to a peer.

Give it to the client once (``httpx.Client(auth=SigningAuth(key))``) and every request, TAXII
sync or push alike, leaves signed: the code that builds requests never deals with signatures.
httpx reads a streamed body into memory before calling it (``requires_request_body``), since
the ``Content-Digest`` needs the whole body; bodies are bounded by the peer's
``PASSERELLE_MAX_BODY_BYTES`` anyway.

Sign last: a header added after signing is not covered, and one that a covered component
depends on (``Content-Type``) would break the signature. httpx does not run the
authentication again for a redirect, so a redirected request arrives with a signature for
another URL and is refused: leave ``follow_redirects`` off (httpx's default) for peer clients.
"""

from __future__ import annotations

from collections.abc import Generator

import httpx

from passerelle.clock import SystemClock
from passerelle.federation.keys import NodeKey
from passerelle.federation.signatures import DEFAULT_LIFETIME_S, sign_request
from passerelle.ports import Clock


class SigningAuth(httpx.Auth):
    """Signs each outgoing request with ``key`` at the clock's current time."""

    requires_request_body = True

    def __init__(self, key: NodeKey, clock: Clock | None = None, *,
                 lifetime_s: int = DEFAULT_LIFETIME_S) -> None:
        self._key = key
        self._clock = clock or SystemClock()
        self._lifetime_s = lifetime_s

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Add ``Content-Digest``, ``Signature-Input`` and ``Signature``, then send."""
        added = sign_request(request.method, str(request.url), request.headers.multi_items(),
                             request.content, self._key, self._clock.now(),
                             lifetime_s=self._lifetime_s)
        request.headers.update(added)
        yield request
