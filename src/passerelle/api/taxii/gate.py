"""What every TAXII request goes through before a backend is asked anything.

Order, so that each refusal says as little as possible to whom it should not:

1. a declared body larger than the server's limit: 413, unread (before authentication, so
   that nobody can make the server read a huge body);
2. authentication: 401;
3. ``Accept`` that excludes TAXII 2.1 JSON: 406; a body not declared as TAXII JSON: 415;
4. (in the routes) unknown API root, collection, object or status: 404; missing
   ``can_read``/``can_write``: 403; malformed parameters or cursor: 400;
5. the body, read up to the API root's limit (413) and parsed (400 when not JSON, 422 when
   not an envelope).
"""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import Request

from passerelle.api.taxii.auth import Authenticator
from passerelle.errors import (
    BadRequest,
    NotAcceptable,
    PayloadTooLarge,
    UnsupportedMediaType,
)
from passerelle.interop.taxii.media import accepts_taxii, is_taxii
from passerelle.interop.taxii.model import TAXII_MEDIA_TYPE, Requester
from passerelle.interop.taxii.parameters import QueryParams


def _too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"the body exceeds {limit} bytes", field="body")


def check_declared_length(request: Request, limit: int) -> None:
    """413 when ``Content-Length`` announces more than ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared is None:
        return
    if not declared.strip().isdigit():
        raise BadRequest("Content-Length must be a non-negative integer",
                         field="Content-Length")
    if int(declared) > limit:
        raise _too_large(limit)


async def admit(request: Request, authenticate: Authenticator, body_limit: int, *,
                with_body: bool = False) -> Requester:
    """Steps 1 to 3 of the module docstring; the authenticated requester."""
    if with_body:
        check_declared_length(request, body_limit)
    requester = await authenticate(request)
    if not accepts_taxii(request.headers.get("accept")):
        raise NotAcceptable(f"this endpoint answers only in {TAXII_MEDIA_TYPE}",
                            field="Accept")
    if with_body and not is_taxii(request.headers.get("content-type")):
        raise UnsupportedMediaType(f"send the envelope as {TAXII_MEDIA_TYPE}",
                                   field="Content-Type")
    return requester


async def read_json(request: Request, limit: int) -> Any:
    """The body parsed as JSON, read while counting: at most ``limit`` bytes are ever held."""
    check_declared_length(request, limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    try:
        return orjson.loads(b"".join(chunks))
    except orjson.JSONDecodeError as error:
        raise BadRequest(f"the body is not valid JSON ({error})", field="body") from None


def query_params(request: Request) -> QueryParams:
    """Every URL parameter with all its values."""
    params = request.query_params
    return {name: params.getlist(name) for name in params}
