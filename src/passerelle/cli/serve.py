"""``passerelle serve``: run the node's web API and pages with uvicorn.

``--demo`` is the README's first command: on a fresh checkout it creates the database, the
agencies and an administrator, loads 200 fictional people when the node holds no record, prints
the address and the demo logins, then serves. It is refused in production because the demo
password is published.

While serving, the node's background work runs in threads of the same process: the screening
worker (started by the app) and, once the node has its key, the outbox sender that pushes
alerts, hit reports, corrections and revocations to the partners.

The web framework is imported only when serving, so that the other commands start quickly.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
import uvicorn
from rich.markup import escape

from passerelle.bootstrap import load_node_key, open_node
from passerelle.cli.context import load_settings, out
from passerelle.cli.init import initialise
from passerelle.cli.seed import print_logins, seed_with_progress
from passerelle.errors import Conflict, Forbidden, InvalidKey
from passerelle.federation.outbox import OutboxSender
from passerelle.node import Node
from passerelle.seeding import DEMO_PASSWORD, is_empty
from passerelle.settings import Settings

DEMO_PEOPLE = 200
DEMO_ADMIN = "admin"
API_DOCS = "/api/v1/docs"  # passerelle.api.app serves its interactive docs here
PUSH_INTERVAL_S = 0.5  # the sender is also woken at once by urgent work


def _prepare_demo(settings: Settings) -> bool:
    """Initialise for the demo; True when the demo administrator was created just now."""
    if settings.environment == "production":
        raise Forbidden("--demo publishes its passwords: never in production")
    return initialise(settings, DEMO_ADMIN, lambda: DEMO_PASSWORD).admin_created is not None


def _fill_demo(node: Node, url: str, admin_created: bool) -> None:
    if is_empty(node):
        seed_with_progress(node, DEMO_PEOPLE, 0)
    console = out()
    console.print("[bold green]Passerelle demo[/] (fictional data only)")
    console.print(f"open [bold]{escape(url)}[/] in a browser and sign in with a demo account "
                  "below; the API's reference is at "
                  f"{escape(url.rstrip('/'))}{API_DOCS}")
    print_logins(console, DEMO_ADMIN if admin_created else None)


def serve_command(
    host: Annotated[str | None, typer.Option(
        "--host", help="Address to listen on (default: PASSERELLE_HOST, 127.0.0.1)")] = None,
    port: Annotated[int | None, typer.Option(
        "--port", min=1, max=65535,
        help="Port to listen on (default: PASSERELLE_PORT, 8000)")] = None,
    demo: Annotated[bool, typer.Option(
        "--demo", help="Initialise the database, load 200 fictional people if it holds no "
        "record, print the address and the demo logins, then serve (development only)")
    ] = False,
) -> None:
    """Serve the node's API and web pages."""
    settings = load_settings()
    host = host or settings.host
    port = port or settings.port
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104 — display only
    url = f"http://{shown}:{port}/"
    admin_created = _prepare_demo(settings) if demo else False
    node = open_node(settings)
    if demo:
        _fill_demo(node, url, admin_created)
    from passerelle.api.collector import settle
    from passerelle.web import create_site  # here, not at the top: keeps other commands fast

    app = create_site(node)
    settle()
    with pushing(node, settings):
        out().print(f"serving on {escape(url)} (Ctrl+C to stop)")
        uvicorn.run(app, host=host, port=port, log_level="info")


@contextmanager
def pushing(node: Node, settings: Settings) -> Iterator[None]:
    """While serving, push the outbox to the partners (alerts, hit reports, corrections,
    revocations) from a thread, woken at once by urgent work; not without a node key (a
    node not federated yet), which is said."""
    try:
        key = load_node_key(settings)
    except (Conflict, InvalidKey) as error:
        out().print(f"[yellow]not pushing to partners[/]: {escape(str(error))}")
        yield
        return
    stop = threading.Event()
    with OutboxSender(node, key) as sender:
        thread = threading.Thread(target=sender.run_forever, args=(stop, PUSH_INTERVAL_S),
                                  name="passerelle-outbox", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            sender.wake()
            thread.join(10)


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the root app."""
    app.command("serve")(serve_command)
