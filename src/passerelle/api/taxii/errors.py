"""TAXII error messages: every refusal of a TAXII endpoint, in TAXII's own shape.

TAXII clients expect ``application/taxii+json;version=2.1`` error documents, not the node
API's problem+json, so the TAXII routes render their own::

    {"title": ..., "description": ..., "error_code": <stable code>, "http_status": "404",
     "error_id": <incident, 500s only>, "details": {"field": <parameter or JSON path>}}

``error_code`` is the code of the ``passerelle.errors`` class (docs/errors.md): clients branch
on it, never on ``description``. A FastAPI exception handler is per application, and the node
application already renders problem+json; so the TAXII routes use ``taxii_route_class``,
whose handler catches everything its route raises (authentication, backend, validation,
unexpected exceptions) and answers here. What happens before a route is chosen (an unknown
path, a wrong method) belongs to the application: ``install_taxii_errors`` renders those as
TAXII errors too, for an application that serves only TAXII.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Coroutine, Mapping
from typing import Any

import orjson
from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

from passerelle.api.problems import dotted
from passerelle.errors import (
    AuthenticationRequired,
    BadRequest,
    Forbidden,
    NotAcceptable,
    NotFound,
    PasserelleError,
    PayloadTooLarge,
    UnsupportedMediaType,
    ValidationFailed,
)
from passerelle.interop.taxii.model import TAXII_MEDIA_TYPE

log = logging.getLogger("passerelle.api.taxii")

_BY_STATUS: dict[int, type[PasserelleError]] = {
    400: BadRequest, 401: AuthenticationRequired, 403: Forbidden, 404: NotFound,
    406: NotAcceptable, 413: PayloadTooLarge, 415: UnsupportedMediaType,
    422: ValidationFailed,
}


def taxii_json(document: Mapping[str, Any], status: int = 200,
               headers: Mapping[str, str] | None = None) -> Response:
    """A TAXII JSON response. ``no-store``: what a node serves is not for caches."""
    all_headers = {"Cache-Control": "no-store", **(headers or {})}
    return Response(orjson.dumps(document), status_code=status, headers=all_headers,
                    media_type=TAXII_MEDIA_TYPE)


def error_document(error: PasserelleError, *, status: int | None = None,
                   title: str | None = None, error_id: str | None = None) -> dict[str, Any]:
    """The TAXII error message for ``error``."""
    document: dict[str, Any] = {
        "title": title or error.title,
        "description": error.detail,
        "error_code": error.code,
        "http_status": str(status or error.status),
    }
    if error_id is not None:
        document["error_id"] = error_id
    if error.field:
        document["details"] = {"field": error.field}
    return document


def error_response(error: PasserelleError, *, challenge: str, status: int | None = None,
                   title: str | None = None, headers: Mapping[str, str] | None = None,
                   error_id: str | None = None) -> Response:
    """A TAXII error response; a 401 carries ``challenge`` as ``WWW-Authenticate``."""
    all_headers = dict(headers or {})
    if isinstance(error, AuthenticationRequired):
        all_headers.setdefault("WWW-Authenticate", challenge)
    document = error_document(error, status=status, title=title, error_id=error_id)
    return taxii_json(document, status or error.status, all_headers)


def _from_validation(exc: RequestValidationError) -> PasserelleError:
    first: dict[str, Any] = next(iter(exc.errors()), {})
    return BadRequest(str(first.get("msg", "invalid request")),
                      field=dotted(first.get("loc", ())) or None)


def response_for(exc: Exception, request: Request, challenge: str) -> Response:
    """The TAXII answer to an exception raised while serving ``request``."""
    if isinstance(exc, PasserelleError) and exc.status < 500:
        return error_response(exc, challenge=challenge)
    if isinstance(exc, RequestValidationError):
        return error_response(_from_validation(exc), challenge=challenge)
    if isinstance(exc, StarletteHTTPException) and 400 <= exc.status_code < 500:
        detail = exc.detail if isinstance(exc.detail, str) else "request refused"
        error = _BY_STATUS.get(exc.status_code, BadRequest)(detail)
        title = "Method not allowed" if exc.status_code == 405 else None
        return error_response(error, challenge=challenge, status=exc.status_code,
                              title=title, headers=exc.headers)
    incident = uuid.uuid4().hex[:12]
    log.error("incident %s: %s %s", incident, request.method, request.url.path, exc_info=exc)
    error = PasserelleError(f"an internal error occurred (incident {incident})")
    return error_response(error, challenge=challenge, error_id=incident)


def taxii_route_class(challenge: str) -> type[APIRoute]:
    """A route class whose routes answer every exception as a TAXII error message."""

    class TaxiiRoute(APIRoute):
        """Renders whatever its endpoint raises as a TAXII error (see the module docstring)."""

        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handler = super().get_route_handler()

            async def taxii_handler(request: Request) -> Response:
                try:
                    return await handler(request)
                except Exception as exc:  # every refusal leaves as a TAXII error
                    return response_for(exc, request, challenge)

            return taxii_handler

    return TaxiiRoute


def _allowed_methods(request: Request) -> str:
    """Every method the path is served with, read from the OpenAPI document: Starlette's
    ``Allow`` names only the first route that matched, and ``objects/`` has two."""
    methods: set[str] = set()
    for template, item in request.app.openapi().get("paths", {}).items():
        if compile_path(template)[0].match(request.scope["path"]):
            methods |= {method.upper() for method in item}
    return ", ".join(sorted(methods))


def install_taxii_errors(app: FastAPI, challenge: str) -> None:
    """Answer unknown paths and wrong methods of ``app`` as TAXII errors."""

    async def http_error(request: Request, exc: Exception) -> Response:
        if isinstance(exc, StarletteHTTPException) and exc.status_code == 405:
            exc.headers = {**(exc.headers or {}), "Allow": _allowed_methods(request)}
        return response_for(exc, request, challenge)

    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, http_error)
