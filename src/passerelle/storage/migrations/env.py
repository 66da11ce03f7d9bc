"""Alembic's entry point. Nodes migrate through ``passerelle.storage.migrate``, which hands over an
open connection in ``config.attributes["connection"]``; developers running the ``alembic`` command
with ``migrations/alembic.ini`` get an engine for the node's settings
(``PASSERELLE_DATABASE_URL``) instead.

Batch mode is on so that SQLite, which cannot alter most of a table in place, gets its tables
rebuilt; PostgreSQL ignores it and alters in place.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from passerelle.settings import Settings
from passerelle.storage.engine import make_engine
from passerelle.storage.schema import metadata


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def _main() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(Settings().database_url)
    try:
        with engine.connect() as fresh:
            _run(fresh)
            fresh.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported: run them against a database")
_main()
