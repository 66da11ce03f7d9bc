"""Engines for the two supported databases, configured the one way Passerelle needs them.

SQLite (the default, one node on one machine):

- WAL journal, so that readers never block the writer; ``synchronous=NORMAL``, which in WAL mode
  is still safe against corruption and loses at most the last transactions on power loss.
- No checkpoint of the log inside a request: a thread does them, and bounds the log's size
  (``storage.checkpointer``).
- ``foreign_keys=ON`` (SQLite leaves them off by default) and a busy timeout, so that a second
  writer waits instead of failing at once; a page cache of 64 MiB per connection.
- Every transaction starts with ``BEGIN IMMEDIATE``: SQLite allows one writer, and a deferred
  transaction that reads first and writes later fails with SQLITE_BUSY when another writer
  committed in between; waiting for the write lock up front turns that failure into a short wait.
  It serialises units of work on SQLite; PostgreSQL is the answer when that matters.

PostgreSQL (at scale) goes through psycopg 3; ``postgresql://`` and ``postgres://`` URLs are
rewritten to name that driver.
"""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import StaticPool

from passerelle.storage.checkpointer import WalCheckpointer

SQLITE_BUSY_TIMEOUT_MS = 30_000
# SQLite's default page cache is 2 MiB; the search index of a million records is hundreds of
# MiB, and inserts with random ids touch pages all over it. The cache grows only as it is used.
SQLITE_CACHE_KIB = 64 * 1024


def _dumps(value: object) -> str:
    """Compact JSON, non-ASCII kept as is (names in Arabic script stay readable and small)."""
    return orjson.dumps(value).decode()


def normalise_url(url: str | URL) -> URL:
    """The URL with the driver Passerelle uses for its database."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def make_engine(url: str | URL, **options: Any) -> Engine:
    """An engine for ``url`` (``sqlite:///FILE`` or ``postgresql[+psycopg]://...``).

    ``options`` go to ``create_engine`` (e.g. ``pool_size``); the settings below are not
    negotiable because the repositories rely on them.
    """
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, **options)
    if parsed.get_backend_name() == "postgresql":
        return create_engine(parsed, json_serializer=_dumps, json_deserializer=orjson.loads,
                             pool_pre_ping=True, **options)
    raise ValueError(f"unsupported database {parsed.get_backend_name()!r}: use SQLite or "
                     "PostgreSQL")


def _sqlite_engine(url: URL, **options: Any) -> Engine:
    in_memory = url.database in (None, "", ":memory:")
    if in_memory:
        # One shared connection, or every checkout would see its own empty database.
        options.setdefault("poolclass", StaticPool)
    engine = create_engine(url, json_serializer=_dumps, json_deserializer=orjson.loads,
                           connect_args={"check_same_thread": False}, **options)
    event.listen(engine, "connect", _configure_sqlite_connection)
    if not in_memory and url.database is not None:
        event.listen(engine, "connect", _no_automatic_checkpoint)
        WalCheckpointer(url.database).start(engine)
    event.listen(engine, "begin", _begin_immediate)
    return engine


def _no_automatic_checkpoint(dbapi_connection: Any, _record: object) -> None:
    # ``storage.checkpointer`` does it in the background instead of in a request.
    dbapi_connection.execute("PRAGMA wal_autocheckpoint=0")


def _configure_sqlite_connection(dbapi_connection: Any, _record: object) -> None:
    # The driver's own transaction handling issues BEGIN lazily and cannot say IMMEDIATE; turn it
    # off and let the "begin" event below start transactions.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    finally:
        cursor.close()


def _begin_immediate(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")
