"""The FastAPI application of one node: ``create_app(node)``.

This package is the only one that imports the web framework. The application holds no state of
its own: everything lives in the ``Node`` it is given (``app.state.node``), so tests build a node
on a temporary database and a whole federation can run several apps in one process.

Layers, outermost first: ``CatchAll`` (unexpected exceptions become a logged 500 problem),
``BodyLimits`` (413/415 before any route runs), ``NoStore`` (responses hold personal data: no
cache may keep them), then FastAPI's routing with the handlers of ``problems``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from passerelle.api import (
    auth,
    problems,
    reference,
    routes_accounts,
    routes_audit,
    routes_extensions,
    routes_hits,
    routes_imports,
    routes_records,
    routes_screening,
)
from passerelle.api.federation_taxii import TAXII_PREFIX, taxii_app
from passerelle.api.limits import BodyLimits, StrictJsonRoute
from passerelle.api.models import Health, problems_for
from passerelle.api.peer_auth import separately
from passerelle.federation.replay import ReplayGuard
from passerelle.federation.signatures import PeerLookup
from passerelle.node import Node
from passerelle.services.screening_worker import ScreeningWorker

API_PREFIX = "/api/v1"
DESCRIPTION = """\
Passerelle lets the security agencies of partner countries exchange counter-terrorism records
under the law that binds them (LED, GDPR Art. 10, SIENA handling codes, TLP 2.0).

Authenticate with `Authorization: Bearer <API token>` or a session cookie from
`POST /api/v1/session`. Reading personal data (person, document and alert records) needs the
`Passerelle-Justification` header. Every error is an RFC 9457 problem with a stable `code`.
See docs/api.md.
"""

health = APIRouter(tags=["health"], route_class=StrictJsonRoute)


@health.get("/health", response_model=Health, summary="Check the node is up",
            description="Answers without authentication and without touching personal data.",
            responses=problems_for(400))
def get_health() -> Health:
    """For load balancers and monitoring: cheap, and says nothing about the node's data."""
    return Health()


class NoStore:
    """Adds ``Cache-Control: no-store`` and ``X-Content-Type-Options: nosniff`` to every
    answer: records are personal data and must not linger in browser or proxy caches."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(b"cache-control", b"no-store"),
                            (b"x-content-type-options", b"nosniff")]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers if scope["type"] == "http" else send)


def _problem_media_type(schema: dict[str, Any]) -> dict[str, Any]:
    """Error responses are documented as ``application/problem+json`` with the ``Problem``
    schema, which is what the handlers send: FastAPI would file them under the route's own
    media type, and document its validation-error model that this API never sends."""
    problem_ref = {"$ref": "#/components/schemas/Problem"}
    for operation in (op for item in schema.get("paths", {}).values() for op in item.values()):
        for status, response in operation.get("responses", {}).items():
            if not str(status).startswith(("4", "5")):
                for success in response.get("content", {}).values():
                    # A streamed route's documented schema is merged into FastAPI's default
                    # {"type": "string"}; the reference alone is the truth.
                    if "$ref" in success.get("schema", {}):
                        success["schema"].pop("type", None)
                continue
            examples = [c["example"] for c in response.get("content", {}).values()
                        if "example" in c]
            body: dict[str, Any] = {"schema": problem_ref}
            if examples:
                body["example"] = examples[0]
            response["content"] = {"application/problem+json": body}
    components = schema.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    return schema


def _with_body_models(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the schemas of bodies that routes read themselves (a list screened as JSON or CSV)
    to the components, where their documented request bodies refer to them."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for model in routes_screening.BODY_MODELS:
        body = model.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(body.pop("$defs", {}))
        components[model.__name__] = body
    return schema


def _install_openapi(app: FastAPI) -> None:
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _problem_media_type(_with_body_models(build()))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _lifespan(node: Node, background: bool) -> Any:
    """While the app is served: the screening worker in its own thread (``background``)."""
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        worker = ScreeningWorker(node.screening) if background else None
        app.state.screening_worker = worker
        if worker is not None:
            worker.start()
        try:
            yield
        finally:
            if worker is not None:
                worker.stop()
    return lifespan


def create_app(node: Node, *, peers: PeerLookup | None = None,
               replay: ReplayGuard | None = None, background: bool = True) -> FastAPI:
    """The API of ``node``: routes under ``/api/v1``, OpenAPI at ``/api/v1/openapi.json``.

    The TAXII 2.1 server partner nodes read is mounted at ``/taxii`` (discovery at
    ``/taxii/taxii2/``), trusting the node's registered peer keys and remembering nonces in
    its database, unless ``peers`` and ``replay`` say otherwise (tests). While it is served
    (its lifespan), the screening worker runs in a thread, unless ``background`` is False
    (tests that drive the screening passes themselves).
    """
    # No Swagger UI: it loads its scripts from a public CDN, which a node on an agency's
    # network must not do. ``reference`` renders the document as plain HTML instead.
    app = FastAPI(title="Passerelle", version="1", description=DESCRIPTION,
                  openapi_url=f"{API_PREFIX}/openapi.json", docs_url=None, redoc_url=None,
                  lifespan=_lifespan(node, background))
    app.state.node = node
    problems.install(app)
    app.include_router(reference.router)
    for router in (health, auth.router, routes_records.router, routes_imports.router,
                   routes_accounts.router, routes_audit.router, routes_screening.router,
                   routes_hits.router, routes_extensions.router):
        app.include_router(router, prefix=API_PREFIX)
    admit = node.replay_guard.admit if peers is None and replay is None else separately(
        peers or node.peers.key, replay or node.replay_guard)
    app.mount(TAXII_PREFIX, taxii_app(node, admit))
    exempt = (TAXII_PREFIX + "/",)
    app.add_middleware(NoStore)
    app.add_middleware(BodyLimits, max_body_bytes=node.settings.max_body_bytes, exempt=exempt,
                       csv_paths=(API_PREFIX + routes_screening.SCREENINGS_PATH,),
                       api_prefix=API_PREFIX + "/")
    app.add_middleware(problems.CatchAll)
    _install_openapi(app)
    return app
