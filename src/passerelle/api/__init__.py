"""The HTTP API of a node (FastAPI). The only package that imports the web framework.

``create_app(node)`` builds the application; routes are thin and call the node's services.
See docs/api.md for authentication, the justification header, errors and pagination.
"""

from passerelle.api.app import create_app

__all__ = ["create_app"]
