"""Who calls a TAXII endpoint: the pluggable ``Authenticator`` and HTTP Basic for the fixture.

The TAXII routes know nothing of credentials. They call an authenticator with the request
and get a ``Requester`` back, or an ``AuthenticationRequired`` error (a 401, with the router's
``WWW-Authenticate`` challenge). The node will authenticate partner nodes by HTTP message
signatures (RFC 9421); the fixture server uses one Basic account.

An authenticator that needs the body (a ``Content-Digest`` to check) may read it with
``await request.body()``: Starlette keeps it, and the route reads the same bytes afterwards,
still counted against the body limit. The declared ``Content-Length`` has been checked
against the server's limit before the authenticator is called; a chunked body has not, so
such an authenticator must run behind a limit on the body (``passerelle.api.limits``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Awaitable, Callable

from fastapi import Request

from passerelle.errors import AuthenticationRequired, ValidationFailed
from passerelle.interop.taxii.model import Requester

Authenticator = Callable[[Request], Awaitable[Requester]]
"""``await authenticate(request)``: the requester, or ``AuthenticationRequired`` raised."""

BASIC_CHALLENGE = 'Basic realm="passerelle-taxii", charset="UTF-8"'


def _digest(value: bytes) -> bytes:
    # Compare digests, not values: equal lengths, so the comparison leaks no length either.
    return hashlib.sha256(value).digest()


def _credentials(header: str | None) -> tuple[bytes, bytes] | None:
    scheme, _, encoded = (header or "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    user, colon, password = decoded.partition(b":")
    return (user, password) if colon else None


class BasicAuthenticator:
    """One account checked with HTTP Basic, in constant time (fixture server only: Basic
    sends the password with every request, so only ever over loopback or TLS)."""

    challenge = BASIC_CHALLENGE

    def __init__(self, user: str, password: str) -> None:
        if not user or ":" in user:
            raise ValidationFailed("a Basic user name must be non-empty and without ':'",
                                   field="user")
        self._user = user
        self._user_digest = _digest(user.encode("utf-8"))
        self._password_digest = _digest(password.encode("utf-8"))

    async def __call__(self, request: Request) -> Requester:
        """The account's requester; ``AuthenticationRequired`` for anything else."""
        given = _credentials(request.headers.get("authorization"))
        user, password = given if given is not None else (b"", b"")
        # Both comparisons always run: which one failed must not show in the timing.
        user_ok = hmac.compare_digest(_digest(user), self._user_digest)
        password_ok = hmac.compare_digest(_digest(password), self._password_digest)
        if given is None or not (user_ok & password_ok):
            raise AuthenticationRequired("send the fixture server's user name and password "
                                         "with HTTP Basic")
        return Requester(identity=f"user:{self._user}", display=self._user)
