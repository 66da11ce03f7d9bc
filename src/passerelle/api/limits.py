"""What a request body may be before any route sees it: small enough, and JSON.

``BodyLimits`` is plain ASGI middleware rather than a FastAPI dependency because the checks
must hold for every route, including ones a future change forgets to annotate, and because
the size limit must be enforced *while* the body arrives: a chunked upload has no
Content-Length to check up front, and buffering it first would let one request exhaust memory.

- A declared Content-Length above ``max_body_bytes`` is refused at once (413), unread.
- Otherwise the bytes are counted as the application reads them; past the limit, reading
  stops and whatever the application was about to answer is replaced by a 413 problem.
- A body sent with POST, PUT or PATCH must be JSON (``application/json`` or any
  ``application/*+json`` such as ``application/stix+json``): anything else is a 415 problem.
  The API has no form or multipart endpoint. Paths outside ``api_prefix`` (the web pages)
  take ``application/x-www-form-urlencoded`` instead, the forms a browser posts.

Malformed JSON is not detected by the middleware (that would mean parsing every body twice):
FastAPI reports it as a validation error, which ``problems`` renders as a 400 naming the body.
``StrictJsonRoute`` adds what ``json.loads`` lets through: lone UTF-16 surrogates
(``"\\ud800"``), which are valid JSON escapes but not text, and would fail much later when a
record is encoded for storage.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from passerelle.api.problems import problem_response
from passerelle.errors import BadRequest, PasserelleError, PayloadTooLarge, UnsupportedMediaType

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def is_json_media_type(content_type: str) -> bool:
    """``application/json`` or a structured ``+json`` suffix, parameters ignored."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    kind, _, subtype = media_type.partition("/")
    return kind == "application" and (subtype == "json" or subtype.endswith("+json"))


def _declared_length(headers: Headers) -> int | None:
    value = headers.get("content-length")
    if value is None:
        return None
    if not value.strip().isdigit():
        raise BadRequest("Content-Length must be a non-negative integer", field="Content-Length")
    return int(value)


def is_csv_media_type(content_type: str) -> bool:
    """``text/csv``, parameters (charset) ignored."""
    return content_type.split(";", 1)[0].strip().lower() == "text/csv"


FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"


def is_form_media_type(content_type: str) -> bool:
    """A browser's plain form post, parameters (charset) ignored."""
    return content_type.split(";", 1)[0].strip().lower() == FORM_MEDIA_TYPE


def _screen(scope: Scope, limit: int, csv: bool = False, form: bool = False
            ) -> PasserelleError | None:
    """The error that refuses the request before its body is read, if any."""
    headers = Headers(scope=scope)
    try:
        declared = _declared_length(headers)
    except BadRequest as error:
        return error
    if declared is not None and declared > limit:
        return PayloadTooLarge(f"the body exceeds {limit} bytes", field="body")
    has_body = (declared or 0) > 0 or "transfer-encoding" in headers
    if has_body and scope["method"] in BODY_METHODS:
        content_type = headers.get("content-type", "")
        if form:
            if not is_form_media_type(content_type):
                return UnsupportedMediaType(
                    f"send the form as {FORM_MEDIA_TYPE}, not {content_type or 'untyped'}",
                    field="Content-Type")
        elif not (is_json_media_type(content_type)
                  or (csv and is_csv_media_type(content_type))):
            accepted = "application/json or text/csv" if csv else "application/json"
            return UnsupportedMediaType(
                f"send the body as {accepted}, not {content_type or 'untyped'}",
                field="Content-Type")
    return None


class BodyLimits:
    """Refuses oversized and non-JSON bodies with a problem response (see module docstring);
    ``csv_paths`` also take ``text/csv`` (traveller lists); paths outside ``api_prefix``
    take forms instead of JSON."""

    def __init__(self, app: ASGIApp, max_body_bytes: int, exempt: tuple[str, ...] = (),
                 csv_paths: tuple[str, ...] = (), api_prefix: str = "/") -> None:
        self.app = app
        self.api_prefix = api_prefix
        self.limit = max_body_bytes
        self.exempt = exempt
        self.csv_paths = csv_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or (self.exempt and scope["path"].startswith(self.exempt)):
            # Exempt prefixes (the TAXII server) enforce their own limits and error format.
            await self.app(scope, receive, send)
            return
        refusal = _screen(scope, self.limit, scope["path"] in self.csv_paths,
                          not scope["path"].startswith(self.api_prefix))
        if refusal is not None:
            await problem_response(refusal)(scope, receive, send)
            return
        received = 0
        exceeded = False
        started = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    exceeded = True
                    raise PayloadTooLarge(f"the body exceeds {self.limit} bytes", field="body")
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded and not started:
                return  # the application's answer to a cut-off body is replaced below
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except PayloadTooLarge:
            if not exceeded:
                raise
        if exceeded and not started:
            error = PayloadTooLarge(f"the body exceeds {self.limit} bytes", field="body")
            await problem_response(error)(scope, receive, send)


def _refuse_lone_surrogates(data: object) -> None:
    """Raise ``UnicodeEncodeError`` if any string (or key) of ``data`` is not valid text.
    Iterative, so that deep nesting cannot exhaust the stack."""
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            item.encode("utf-8")
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())


class StrictJsonRequest(Request):
    """A request whose JSON body must be valid text throughout."""

    async def json(self) -> Any:
        """The parsed body; FastAPI turns the ``ValueError`` of bad text into a 400."""
        if not hasattr(self, "_json"):
            data = json.loads(await self.body())
            _refuse_lone_surrogates(data)
            self._json = data
        return self._json


class StrictJsonRoute(APIRoute):
    """The route class of every API router: parses bodies with ``StrictJsonRequest``."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict_handler(request: Request) -> Response:
            return await handler(StrictJsonRequest(request.scope, request.receive))

        return strict_handler
