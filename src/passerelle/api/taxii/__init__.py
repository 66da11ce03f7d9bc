"""TAXII 2.1 over HTTP: the routes over any ``TaxiiBackend``, and the fixture server.

``taxii_router(backend, authenticate, challenge=..., page_size_max=..., body_limit=...,
cursor_key=...)`` gives an ``APIRouter`` to include in an application; ``fixture_app(...)``
is a whole application serving a fixture file (``passerelle taxii serve-fixture``). The
protocol itself — resources, filters, cursors — lives in ``passerelle.interop.taxii``, which
does not import the web framework. See docs/taxii.md.
"""

from passerelle.api.taxii.auth import BASIC_CHALLENGE, Authenticator, BasicAuthenticator
from passerelle.api.taxii.errors import error_document, install_taxii_errors
from passerelle.api.taxii.fixture import fixture_app
from passerelle.api.taxii.routes import taxii_router

__all__ = [
    "BASIC_CHALLENGE",
    "Authenticator",
    "BasicAuthenticator",
    "error_document",
    "fixture_app",
    "install_taxii_errors",
    "taxii_router",
]
