"""The analysts' web pages of a node: server-rendered HTML over the node's services.

``create_site(node)`` is the API of ``passerelle.api`` with the pages added at the root (``/``
is the dashboard). Pages are plain HTML forms that work without script; one small script of
Passerelle's own (``static/passerelle.js``) adds live updates from the server-sent events
stream and the progress of a screening upload. No third-party front-end code is involved.
"""

from passerelle.web.site import create_site

__all__ = ["create_site"]
