"""A node's whole web site: the API, the TAXII server and the analysts' pages.

Errors on the pages' paths answer as pages (the login page when the session is missing, the
purpose page when personal data needs a reason, an error page otherwise); the API's paths keep
their RFC 9457 problems.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from passerelle.api import create_app, problems
from passerelle.api.app import API_PREFIX
from passerelle.api.federation_taxii import TAXII_PREFIX
from passerelle.errors import PasserelleError
from passerelle.node import Node
from passerelle.web.page import LoginNeeded, PurposeNeeded, common_context, language
from passerelle.web.pages_admin import router as admin_pages
from passerelle.web.pages_audit import router as audit_pages
from passerelle.web.pages_dashboard import router as dashboard_pages
from passerelle.web.pages_hits import router as hits_pages
from passerelle.web.pages_partners import router as partners_pages
from passerelle.web.pages_records import router as records_pages
from passerelle.web.pages_review import router as review_pages
from passerelle.web.pages_screening import router as screening_pages
from passerelle.web.pages_session import router as session_pages
from passerelle.web.templating import render

STATIC = Path(__file__).parent / "static"
ROUTERS = (session_pages, dashboard_pages, records_pages, screening_pages, review_pages,
           hits_pages, partners_pages, audit_pages, admin_pages)


def _is_page(request: Request) -> bool:
    return not request.url.path.startswith((API_PREFIX + "/", TAXII_PREFIX + "/", "/static/"))


def error_page(request: Request, status: int, detail: str, field: str | None = None
               ) -> HTMLResponse:
    """An error as a page, in the user's language."""
    node: Node = request.app.state.node
    context: dict[str, Any] = common_context(request, language(request), None, "", None, node)
    return HTMLResponse(render("error.html", {**context, "status": status, "detail": detail,
                                              "field": field}), status_code=status)


def _handlers() -> dict[type[Exception], Any]:
    async def passerelle_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PasserelleError)
        if not _is_page(request):
            return await problems.HANDLERS[PasserelleError](request, exc)
        return error_page(request, exc.status, exc.detail, exc.field)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if not _is_page(request):
            return await problems.HANDLERS[StarletteHTTPException](request, exc)
        detail = "no such page" if exc.status_code == 404 else str(exc.detail)
        return error_page(request, exc.status_code, detail)

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        if not _is_page(request):
            return await problems.HANDLERS[RequestValidationError](request, exc)
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ())[1:])
        return error_page(request, 422, str(first.get("msg", "invalid request")), where)

    async def login_needed(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, LoginNeeded)
        return RedirectResponse(f"/login?next={quote(exc.target)}", status_code=303)

    async def purpose_needed(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PurposeNeeded)
        return RedirectResponse(f"/purpose?next={quote(exc.target)}", status_code=303)

    return {PasserelleError: passerelle_error, StarletteHTTPException: http_error,
            RequestValidationError: validation_error, LoginNeeded: login_needed,
            PurposeNeeded: purpose_needed}


def create_site(node: Node, **options: Any) -> FastAPI:
    """``api.create_app(node, **options)`` with the pages and their static files."""
    app = create_app(node, **options)
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for exception, handler in _handlers().items():
        app.add_exception_handler(exception, handler)
    return app
