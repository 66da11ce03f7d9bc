"""Small builders shared by tests: stores on each backend, a fixed clock, users."""

from __future__ import annotations

import datetime as dt
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import uvicorn

from passerelle.ports import UnitOfWorkFactory
from passerelle.storage.engine import make_engine
from passerelle.storage.memory import MemoryUnitOfWorkFactory
from passerelle.storage.migrate import upgrade
from passerelle.storage.unit_of_work import SqlUnitOfWorkFactory

AUDIT_KEY = b"test-audit-key-0123456789abcdef!"
POSTGRES_ADMIN_URL = os.environ.get(
    "PASSERELLE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


class FixedClock:
    """A clock that moves only when told to."""

    def __init__(self, now: dt.datetime | None = None) -> None:
        self.current = now or dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)

    def now(self) -> dt.datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += dt.timedelta(**delta)


def memory_transactions(clock: FixedClock | None = None) -> UnitOfWorkFactory:
    """A fresh in-memory store."""
    return MemoryUnitOfWorkFactory(AUDIT_KEY, clock or FixedClock())


def sqlite_transactions(path: Path, clock: FixedClock | None = None) -> UnitOfWorkFactory:
    """A fresh, migrated SQLite database at ``path``."""
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    return SqlUnitOfWorkFactory(engine, AUDIT_KEY, clock or FixedClock())


@contextmanager
def postgres_database() -> Iterator[str]:
    """A throw-away PostgreSQL database; its URL, dropped afterwards."""
    name = f"passerelle_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                {"n": name})
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def empty_database(engine: sa.Engine) -> None:
    """Remove every row of a migrated database, leaving the audit head at the genesis."""
    from passerelle.domain.audit import GENESIS
    from passerelle.storage.schema import AUDIT_HEAD, metadata

    tables = ", ".join(t.name for t in metadata.sorted_tables if t is not AUDIT_HEAD)
    with engine.begin() as connection:
        connection.execute(sa.text(f"TRUNCATE {tables}"))
        connection.execute(AUDIT_HEAD.update().values(seq=0, hash=GENESIS))


@contextmanager
def served_on_loopback(app: Any) -> Iterator[str]:
    """``app`` under uvicorn in a thread, on a free loopback port (a socket that names TCP, so
    that replies are not held back by Nagle's algorithm); yields ``http://127.0.0.1:<port>``
    and stops the server on exit."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive(), "the server stopped while starting"
        assert time.monotonic() < deadline, "the server did not start in 10 s"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
