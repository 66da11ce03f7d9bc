"""Nodes served as ``passerelle serve`` serves them, which the benchmark may kill and start
again, their live notices followed from a thread, and their API as a user calls it.

``ServedNode`` runs one node in a process of its own, on a fixed loopback port, the way
``passerelle serve`` runs it: ``api.create_app`` (whose lifespan runs the screening worker in a
thread), the collector settled, the outbox sender in a thread (``cli.serve.pushing``, with the
node key read from its file), uvicorn serving. ``kill`` ends the process with SIGKILL, as a
crash or a pulled plug would; ``start`` again serves the same database on the same port.

``EventStream`` follows ``GET /api/v1/events`` (server-sent events) as one user and notes when
each event arrived (``time.perf_counter``), by kind and id; it reconnects when the server goes
away and comes back.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import socket
import threading
import time
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx
import uvicorn

from common import Backend, Database
from federation_nodes import (
    LOOPBACK,
    START_TIMEOUT_S,
    STOP_TIMEOUT_S,
    await_health,
    make_node,
)
from passerelle.api import create_app
from passerelle.api.collector import settle
from passerelle.cli.serve import pushing
from passerelle.domain.users import Role
from passerelle.node import Node
from passerelle.storage.engine import make_engine

RECONNECT_S = 0.05


def _serve(url: str, backend: Backend, agency: str, port: int, key_file: Path) -> None:
    """The child process: ``passerelle serve`` for the node of ``agency`` on ``url``."""
    node = make_node(Database(backend, url, make_engine(url)), agency, key_file).node
    app = create_app(node)
    settle()
    with pushing(node, node.settings):
        uvicorn.run(app, host=LOOPBACK, port=port, log_level="warning", access_log=False)


class ServedNode:
    """The node of ``agency`` on ``db``, served from a process of its own on ``port`` (see the
    module docstring). Everything it needs (peers, legal bases, users) is in the database."""

    def __init__(self, db: Database, agency: str, port: int, key_file: Path) -> None:
        self.agency = agency
        self.base = f"http://{LOOPBACK}:{port}/"
        self._args = (db.url, db.backend, agency, port, key_file)
        self._process: BaseProcess | None = None

    def __enter__(self) -> ServedNode:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def start(self) -> float:
        """Start serving; the seconds until the node answered its health check."""
        started = time.perf_counter()
        # Not daemonic, as `passerelle serve` is not: a daemonic process may not fork the
        # processes that screen long lists on every core (matching.parallel).
        process = multiprocessing.get_context("spawn").Process(
            target=_serve, args=self._args, name=f"passerelle-{self.agency}", daemon=False)
        process.start()
        self._process = process
        await_health(self.base, process, self.agency, poll_s=0.05)
        return time.perf_counter() - started

    def kill(self) -> None:
        """End the process at once (SIGKILL): no shutdown, nothing flushed."""
        if self._process is not None:
            self._process.kill()
            self._process.join(STOP_TIMEOUT_S)
            self._process = None

    def stop(self) -> None:
        """Stop serving (SIGTERM, then SIGKILL if it lingers)."""
        if self._process is not None:
            self._process.terminate()
            self._process.join(STOP_TIMEOUT_S)
            if self._process.is_alive():
                self._process.kill()
            self._process = None


def user_token(node: Node, username: str, role: Role) -> str:
    """A user of the node's agency with one role and no password; its API token."""
    node.accounts.create_user(None, username, frozenset({role}), None, username)
    return node.accounts.issue_token(None, username, "benchmark").secret


class Api(httpx.Client):
    """A node's API as one user calls it: bearer token and justification on every request."""

    def __init__(self, base: str, token: str, justification: str) -> None:
        super().__init__(base_url=f"{base}api/v1", timeout=120.0, headers={
            "Authorization": f"Bearer {token}", "Passerelle-Justification": justification})

    def ok(self, method: str, path: str, status: int = 200, **kwargs: Any) -> httpx.Response:
        """The response, which must have ``status``."""
        response = self.request(method, path, **kwargs)
        if response.status_code != status:
            raise SystemExit(f"{method} {path}: {response.status_code} {response.text[:500]}")
        return response

    def every(self, path: str, **params: Any) -> list[dict[str, Any]]:
        """All the items of a paged list (``items``, ``next_cursor``)."""
        found: list[dict[str, Any]] = []
        after: str | None = None
        while True:
            query = {**params, "limit": 500, **({"after": after} if after else {})}
            page = self.ok("GET", path, params=query).json()
            found += page["items"]
            after = page["next_cursor"]
            if not after:
                return found


class EventStream:
    """Follows a node's live notices as one user (see the module docstring)."""

    def __init__(self, base: str, token: str, name: str) -> None:
        self._base, self._token = base, token
        self._seen: dict[tuple[str, str], tuple[float, dict[str, Any]]] = {}
        self._changed = threading.Condition()
        self._stop = threading.Event()
        self.connected = threading.Event()
        self.connections = 0
        self._response: httpx.Response | None = None
        self._thread = threading.Thread(target=self._follow, name=name, daemon=True)

    def __enter__(self) -> EventStream:
        self._thread.start()
        if not self.connected.wait(START_TIMEOUT_S):
            raise SystemExit(f"could not follow the events of {self._base}")
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        """Hang up, so that the server need not wait for the stream to end when it stops:
        the socket is shut down under the reading thread (closing it would not wake it)."""
        self._stop.set()
        with self._changed:
            response = self._response
        if response is not None:
            stream = response.extensions.get("network_stream")
            sock = stream.get_extra_info("socket") if stream is not None else None
            if isinstance(sock, socket.socket):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
        self._thread.join(STOP_TIMEOUT_S)

    def _follow(self) -> None:
        headers = {"Authorization": f"Bearer {self._token}", "Accept": "text/event-stream"}
        timeout = httpx.Timeout(10.0, read=None)
        while not self._stop.is_set():
            try:
                with httpx.Client(base_url=self._base, timeout=timeout) as client, \
                        client.stream("GET", "api/v1/events", headers=headers) as response:
                    with self._changed:
                        self._response = response
                    self._read(response)
            except httpx.HTTPError:
                pass
            with self._changed:
                self._response = None
            self.connected.clear()
            time.sleep(RECONNECT_S)

    def _read(self, response: httpx.Response) -> None:
        kind = ""
        for line in response.iter_lines():
            if line.startswith(": connected"):
                self.connections += 1
                self.connected.set()
            elif line.startswith("event: "):
                kind = line.removeprefix("event: ")
            elif line.startswith("data: ") and kind:
                arrived = time.perf_counter()
                data = json.loads(line.removeprefix("data: "))
                with self._changed:
                    self._seen.setdefault((kind, str(data.get("id"))), (arrived, data))
                    self._changed.notify_all()
                kind = ""

    def arrival(self, kind: str, subject: str) -> float | None:
        """When the event arrived, None if it has not."""
        with self._changed:
            found = self._seen.get((kind, subject))
        return found[0] if found else None

    def wait_for(self, kind: str, subject: str, timeout: float
                 ) -> tuple[float, dict[str, Any]] | None:
        """The arrival time and data of the event, waiting up to ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while (kind, subject) not in self._seen:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._changed.wait(left)
            return self._seen[(kind, subject)]


@dataclass
class Nodes:
    """ma and fr served, their users' APIs and live notices."""

    ma: ServedNode
    fr: ServedNode
    ma_analyst: Api
    ma_reviewer: Api
    fr_analyst: Api
    ma_events: EventStream
    fr_events: EventStream
