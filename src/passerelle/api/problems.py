"""One error shape for the whole API: RFC 9457 ``application/problem+json``.

Every ``PasserelleError`` a service raises, every validation error FastAPI raises, every HTTP
error Starlette raises (unknown route, wrong method) and every unexpected exception leaves the
API as the same object::

    {"type": "urn:passerelle:problem:<code>", "title": ..., "status": ..., "detail": ...,
     "code": ..., "field": ...}

``code`` is stable (it is one of ``passerelle.errors.ALL_ERRORS``); ``field`` names the input at
fault as a dotted path (``markings.tlp``, ``details.aliases[0]``, ``limit``) or is null. Clients
branch on ``code``, never on ``detail``, whose wording may change.

Unexpected exceptions are logged with an incident number and answered with a 500 problem that
carries the number but nothing of the exception: internals (SQL, paths, stack traces) never
reach the client.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, Response
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from passerelle.errors import (
    AuthenticationRequired,
    BadRequest,
    Forbidden,
    NotFound,
    PasserelleError,
    PayloadTooLarge,
    SignatureRejected,
    UnsupportedMediaType,
    ValidationFailed,
)

PROBLEM_TYPE = "urn:passerelle:problem:"
PROBLEM_MEDIA_TYPE = "application/problem+json"
log = logging.getLogger("passerelle.api")

_HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

# Starlette raises bare HTTP errors for routing failures; they map onto the error tree by status.
_BY_STATUS: dict[int, type[PasserelleError]] = {
    400: BadRequest,
    401: AuthenticationRequired,
    403: Forbidden,
    404: NotFound,
    413: PayloadTooLarge,
    415: UnsupportedMediaType,
    422: ValidationFailed,
}


def problem_body(error: PasserelleError, *, status: int | None = None,
                 title: str | None = None) -> dict[str, Any]:
    """The problem object for ``error``; ``status``/``title`` override the class defaults only
    where HTTP needs a status the tree has no class for (405)."""
    return {
        "type": PROBLEM_TYPE + error.code,
        "title": title or error.title,
        "status": status or error.status,
        "detail": error.detail,
        "code": error.code,
        "field": error.field,
    }


def problem_response(error: PasserelleError, *, status: int | None = None,
                     title: str | None = None,
                     headers: Mapping[str, str] | None = None) -> Response:
    """A ready-to-send problem response; 401s carry the challenge RFC 9110 asks for: peers
    (refused signatures) are asked for an HTTP message signature, people for a token."""
    all_headers = dict(headers or {})
    if isinstance(error, AuthenticationRequired):
        scheme = "Signature" if isinstance(error, SignatureRejected) else "Bearer"
        all_headers.setdefault("WWW-Authenticate", f'{scheme} realm="passerelle"')
    return JSONResponse(problem_body(error, status=status, title=title),
                        status_code=status or error.status, headers=all_headers,
                        media_type=PROBLEM_MEDIA_TYPE)


def dotted(location: Sequence[int | str]) -> str:
    """``("body", "details", "aliases", 0)`` -> ``details.aliases[0]``: the codec's notation,
    so that the API and the STIX/CLI readers name a field the same way. The first element
    (body, query, path, header, cookie) is dropped unless it is all there is."""
    parts = list(location[1:]) if len(location) > 1 else list(location)
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _from_validation(exc: RequestValidationError) -> PasserelleError:
    errors = exc.errors()
    if not errors:
        return ValidationFailed("invalid request")
    first = errors[0]
    location: Sequence[int | str] = first.get("loc", ())
    if first.get("type") == "json_invalid":
        position = location[1] if len(location) > 1 else "?"
        reason = first.get("ctx", {}).get("error", "malformed JSON")
        return BadRequest(f"the body is not valid JSON ({reason} at {position})", field="body")
    if first.get("type") == "missing" and tuple(location) == ("body",):
        return ValidationFailed("a JSON body is required", field="body")
    return ValidationFailed(str(first.get("msg", "invalid")), field=dotted(location) or None)


def _from_http(exc: StarletteHTTPException) -> tuple[PasserelleError, str | None]:
    detail = exc.detail if isinstance(exc.detail, str) else "request refused"
    if exc.status_code == 400 and detail == "There was an error parsing the body":
        # FastAPI's wording when the body is not decodable at all (e.g. not UTF-8).
        return BadRequest("the body is not valid UTF-8 JSON", field="body"), None
    if exc.status_code == 405:
        return BadRequest(detail), "Method not allowed"
    return _BY_STATUS.get(exc.status_code, BadRequest)(detail), None


async def _passerelle_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PasserelleError)
    if exc.status >= 500:
        log.error("%s %s failed: %s", request.method, request.url.path, exc.code)
    return problem_response(exc)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    return problem_response(_from_validation(exc))


def _allowed_methods(request: Request) -> str:
    """Every method the path supports, read from the OpenAPI document. Starlette's ``Allow``
    names only the first route that matched, while ``/records`` is served by several."""
    methods: set[str] = set()
    for template, item in request.app.openapi().get("paths", {}).items():
        if compile_path(template)[0].match(request.scope["path"]):
            methods |= {m.upper() for m in item if m.upper() in _HTTP_METHODS}
    if "GET" in methods:
        methods.add("HEAD")  # Starlette answers HEAD wherever it answers GET
    return ", ".join(sorted(methods))


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    error, title = _from_http(exc)
    status = exc.status_code if exc.status_code >= 400 else None
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = _allowed_methods(request)
    return problem_response(error, status=status, title=title, headers=headers)


class CatchAll:
    """Outermost middleware: turns an exception nothing else handled into a logged 500 problem.

    Starlette's own server-error middleware re-raises after answering, which crashes test
    clients and hides the answer behind a traceback; this one answers and stops, so that the
    client always receives a problem document and the log always receives the traceback.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            incident = uuid.uuid4().hex[:12]
            log.exception("incident %s: %s %s", incident, scope.get("method"), scope.get("path"))
            if started:
                raise  # too late to answer: let the server close the connection
            error = PasserelleError(f"an internal error occurred (incident {incident})")
            await problem_response(error)(scope, receive, send)


Handler = Callable[[Request, Exception], Awaitable[Response]]

#: The API's handler of each exception class, for adapters that answer other paths in their own
#: way (the web pages) and hand the API's paths back to these.
HANDLERS: dict[type[Exception], Handler] = {
    PasserelleError: _passerelle_error,
    RequestValidationError: _validation_error,
    StarletteHTTPException: _http_error,
}


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``; ``CatchAll`` is added by ``create_app``."""
    for exception, handler in HANDLERS.items():
        app.add_exception_handler(exception, handler)
