"""Which peer node is calling: a FastAPI dependency over ``federation.signatures``.

Routes that peers call (TAXII) declare ``Depends(peer_authenticator(...))`` and receive the
``PeerKey`` whose signature verified; any other request gets a 401 ``signature_rejected``
problem whose detail ends with the reason (``stale``, ``bad_signature``...), so that a partner's
operator can tell a clock problem from a key problem. Every refusal is first handed to
``on_reject(reason, key_id, remote)`` for the audit log; ``key_id`` is what the request
*claimed*, not an identity.

The URL is rebuilt as the client addressed it: the ``Host`` header as authority, the path raw
as received (``raw_path``, never the percent-decoded ``path``) and the raw query string. A
proxy in front of the node must pass ``Host`` and the path through unchanged.

The body is read whole before the route runs (the digest needs it; ``BodyLimits`` bounds it),
and Starlette keeps it for the route. Verification, and the peer and nonce look-ups that may
touch the database, run on the thread pool so that they never block the event loop, through
an ``Admission``: the node's (``DatabaseReplayGuard.admit``) looks the key up and claims the
nonce in one transaction; ``separately`` pairs any lookup with any replay guard (tests).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import quote

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from passerelle.errors import RejectReason, SignatureRejected
from passerelle.federation.keys import PeerKey
from passerelle.federation.replay import ReplayGuard
from passerelle.federation.signatures import DEFAULT_MAX_SKEW_S, PeerLookup, verify_request
from passerelle.ports import Clock

RejectHook = Callable[[RejectReason, str | None, str | None], None]
"""``on_reject(reason, claimed key id or None, remote address or None)``."""

PeerDependency = Callable[[Request], Coroutine[Any, Any, PeerKey]]
Admission = Callable[[Callable[[PeerLookup, ReplayGuard], PeerKey]], PeerKey]
"""``admit(check)``: run one request's verification ``check`` with a peer lookup and a replay
guard, and return what it returns."""


def separately(peers: PeerLookup, replay: ReplayGuard) -> Admission:
    """An admission over a lookup and a guard that keep their own state."""

    def admit(check: Callable[[PeerLookup, ReplayGuard], PeerKey]) -> PeerKey:
        return check(peers, replay)

    return admit


def request_url(request: Request) -> str:
    """The absolute URL the client signed: scheme, ``Host``, raw path and raw query."""
    scope = request.scope
    raw_path: bytes | None = scope.get("raw_path")
    # Some servers (httpx's ASGI transport) leave the query in raw_path; the ASGI spec does not.
    path = raw_path.decode("latin-1").partition("?")[0] if raw_path else quote(scope["path"])
    host = request.headers.get("host", "")
    query = scope.get("query_string", b"").decode("latin-1")
    return f"{scope['scheme']}://{host}{path}" + (f"?{query}" if query else "")


def peer_authenticator(admit: Admission, clock: Clock, *,
                       on_reject: RejectHook | None = None,
                       max_skew_s: int = DEFAULT_MAX_SKEW_S) -> PeerDependency:
    """A dependency returning the verified ``PeerKey`` of the calling node.

    ``admit`` gives the verification the trusted peer keys (None for a key unknown or
    revoked) and the nonces seen; ``clock`` is the node's clock. Build it once per
    application.
    """

    async def authenticated_peer(request: Request) -> PeerKey:
        body = await request.body()
        method, url, headers = request.method, request_url(request), request.headers.items()

        def check(peers: PeerLookup, replay: ReplayGuard) -> PeerKey:
            return verify_request(method, url, headers, body, peers, clock.now(), replay,
                                  max_skew_s)

        try:
            return await run_in_threadpool(admit, check)
        except SignatureRejected as rejection:
            if on_reject is not None:
                remote = request.client.host if request.client else None
                await run_in_threadpool(on_reject, rejection.reason, rejection.key_id, remote)
            raise

    return authenticated_peer
