"""Passerelle nodes for the federation benchmark: built on a benchmark database, trusting each
other's keys, served over real HTTP on loopback, and a partner's signed TAXII client.

A node is wired as ``passerelle serve`` wires it (``Node.build`` over the SQL unit of work,
``api.create_app``), with the default agencies registered as ``passerelle init`` registers
them, so that every record stored is planned for the partners' feeds. Its server is uvicorn,
either in a process of its own (``served_apart``: the partner a node pulls from, which runs
on another machine in the field) or in a thread of the benchmark process, on a loopback
socket bound beforehand, as ``cli.local_federation`` runs its nodes; the keys are generated in
memory (nothing is written next to the databases).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI

from common import AUDIT_KEY, Backend, Database
from passerelle.api import create_app
from passerelle.api.collector import settle
from passerelle.api.federation_taxii import ROOT, collection_id
from passerelle.bootstrap import node_caller
from passerelle.clock import SystemClock
from passerelle.domain.agencies import DEFAULT_AGENCIES
from passerelle.federation.keys import NodeKey, ensure_node_key
from passerelle.federation.pull import TAXII
from passerelle.federation.signing_auth import SigningAuth
from passerelle.node import Node
from passerelle.settings import Settings
from passerelle.storage import SqlUnitOfWorkFactory
from passerelle.storage.engine import make_engine

LOOPBACK = "127.0.0.1"
SECRET_KEY = "benchmark-secret-key-not-a-secret-0123456789"
JUSTIFICATION = "federation benchmark on synthetic, fictional data"
START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0
TAXII_TIME = "%Y-%m-%dT%H:%M:%S.%fZ"


@dataclass(frozen=True)
class BenchNode:
    """A node of one agency on a benchmark database, and its signing key."""

    node: Node
    key: NodeKey

    @property
    def agency(self) -> str:
        """The agency that runs the node."""
        return self.node.settings.agency_id


def make_node(db: Database, agency: str, key_file: Path | None = None) -> BenchNode:
    """A node of ``agency`` on the migrated database ``db``, the default agencies registered.

    Its key is generated in memory, or, with ``key_file``, read from that file (created first
    if need be) and named in the node's settings, where ``passerelle serve`` looks for it."""
    settings = Settings(environment="development", agency_id=agency, database_url=db.url,
                        secret_key=SECRET_KEY, audit_key=AUDIT_KEY, node_key_file=key_file)
    clock = SystemClock()
    transactions = SqlUnitOfWorkFactory(db.engine, settings.audit_key.encode(), clock)
    node = Node.build(settings, transactions, clock)
    node.accounts.register_agencies(list(DEFAULT_AGENCIES))
    key = NodeKey.generate() if key_file is None else ensure_node_key(key_file)[0]
    return BenchNode(node, key)


def trust(node: BenchNode, partner: BenchNode, taxii_url: str) -> None:
    """Have ``node`` trust ``partner``'s key, the partner serving TAXII at ``taxii_url``, as
    ``passerelle peer add`` does."""
    node.node.peers.register(node_caller(node.agency, JUSTIFICATION), partner.agency,
                             partner.key.public_raw_b64(), taxii_url)


def loopback_socket() -> socket.socket:
    """A listening socket's address reserved on loopback, on a free port.

    Made with ``IPPROTO_TCP`` named, as ``getaddrinfo`` gives it to ``cli.local_federation``:
    asyncio sets ``TCP_NODELAY`` on accepted connections only when the socket says TCP, and
    without it each response waits about 40 ms for the client's delayed ACK (Nagle)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((LOOPBACK, 0))
    return sock


def url_of(sock: socket.socket) -> str:
    """``http://127.0.0.1:<port>/`` for a bound socket."""
    return f"http://{LOOPBACK}:{sock.getsockname()[1]}/"


@contextmanager
def served(app: FastAPI, sock: socket.socket, name: str) -> Iterator[str]:
    """Serve ``app`` with uvicorn on ``sock`` in a thread; yields the server's base URL and
    stops the server on exit."""
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host=LOOPBACK, port=port, log_level="warning",
                                           access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name=name,
                              daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise SystemExit(f"the {name} server did not start")
        time.sleep(0.02)
    try:
        yield url_of(sock)
    finally:
        server.should_exit = True
        thread.join(STOP_TIMEOUT_S)
        sock.close()


def _serve_node(url: str, backend: Backend, agency: str, port: int) -> None:
    """The child process of ``served_apart``: the node of ``agency`` on the database at
    ``url``, served by uvicorn on loopback ``port`` until terminated."""
    engine = make_engine(url)
    node = make_node(Database(backend, url, engine), agency).node
    app = create_app(node)
    settle()  # as ``passerelle serve`` does before serving
    uvicorn.run(app, host=LOOPBACK, port=port, log_level="warning", access_log=False)


def await_health(base: str, process: BaseProcess, name: str, poll_s: float = 0.1) -> None:
    """Wait until the node served by ``process`` at ``base`` answers its health check; kill
    the process and stop the benchmark if it dies or takes longer than ``START_TIMEOUT_S``."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        try:
            if httpx.get(f"{base}api/v1/health", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if not process.is_alive() or time.monotonic() > deadline:
            process.kill()
            raise SystemExit(f"the {name} server did not start")
        time.sleep(poll_s)


@contextmanager
def served_apart(db: Database, agency: str) -> Iterator[str]:
    """Serve the node of ``agency`` on ``db`` from a process of its own, as a partner's node
    runs on its own machine; yields its base URL and stops it on exit.

    Everything the server needs (peer keys, legal bases) is in the database already."""
    sock = loopback_socket()
    port = sock.getsockname()[1]
    sock.close()  # the child binds it; SO_REUSEADDR let it be taken again at once
    child = multiprocessing.get_context("spawn").Process(
        target=_serve_node, args=(db.url, db.backend, agency, port), name=agency, daemon=True)
    child.start()
    base = f"http://{LOOPBACK}:{port}/"
    await_health(base, child, agency)
    try:
        yield base
    finally:
        child.terminate()
        child.join(STOP_TIMEOUT_S)
        if child.is_alive():
            child.kill()


def objects_path(owner: str) -> str:
    """Where a partner reads what ``owner``'s node releases to it, below the TAXII base URL."""
    return f"{ROOT}/collections/{collection_id(owner)}/objects/"


def taxii_time(moment: dt.datetime) -> str:
    """A TAXII ``added_after`` value, to the microsecond."""
    return moment.astimezone(dt.UTC).strftime(TAXII_TIME)


def signed_client(taxii_url: str, key: NodeKey) -> httpx.Client:
    """A partner node's client: every request signed with ``key`` (RFC 9421), keep-alive,
    no redirects."""
    return httpx.Client(base_url=taxii_url, auth=SigningAuth(key), timeout=60.0,
                        follow_redirects=False, headers={"Accept": TAXII})


class TimedClient(httpx.Client):
    """An httpx client that adds up the time its requests take (signing, the round trip and
    reading the body): the Puller's wait for the partner, as opposed to its own work."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.waited_s = 0.0
        self.requests = 0
        self.received_bytes = 0

    def send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        """Send as usual, timed."""
        started = time.perf_counter()
        try:
            response = super().send(request, **kwargs)
        finally:
            self.waited_s += time.perf_counter() - started
            self.requests += 1
        if not kwargs.get("stream"):
            self.received_bytes += len(response.content)
        return response
