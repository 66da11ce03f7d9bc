"""``fixture_app``: a TAXII 2.1 server over a fixture file, for testing TAXII clients.

It serves ``FixtureBackend`` through the same routes the node will use, behind one HTTP Basic
account. Cursors are signed with a key drawn when the application is built, so they hold
until the process ends. Nothing is written to disk: objects posted are gone at exit.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from fastapi import FastAPI

from passerelle.api.taxii.auth import BasicAuthenticator
from passerelle.api.taxii.errors import install_taxii_errors
from passerelle.api.taxii.routes import taxii_router
from passerelle.interop.taxii.fixture import FixtureBackend
from passerelle.ports import Clock

FIXTURE_BODY_LIMIT = 10 * 1024 * 1024
"""The largest body the fixture server reads; each API root's ``max_content_length`` may
lower it (the reference file's roots say 9,765,625 bytes)."""


def fixture_app(path: Path, user: str, password: str, page_size: int, *,
                clock: Clock | None = None) -> FastAPI:
    """A TAXII server over the fixture file ``path``; ``ValidationFailed`` names the file
    and the JSON path when the file is not a valid fixture."""
    backend = FixtureBackend.from_file(path, clock)
    authenticate = BasicAuthenticator(user, password)
    app = FastAPI(title="Passerelle TAXII fixture server", version="2.1",
                  description=f"Serves {path.name} over TAXII 2.1 (HTTP Basic).",
                  openapi_url=None, docs_url=None, redoc_url=None)  # nothing unauthenticated
    app.include_router(taxii_router(backend, authenticate, challenge=authenticate.challenge,
                                    page_size_max=page_size, body_limit=FIXTURE_BODY_LIMIT,
                                    cursor_key=secrets.token_bytes(32)))
    install_taxii_errors(app, authenticate.challenge)
    return app
