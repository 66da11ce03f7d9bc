"""Bulk inserts without per-row statement machinery, for the import hot path.

SQLAlchemy's ``execute(insert(table), rows)`` builds and type-processes every row's parameters
generically; for hundreds of thousands of rows that costs as much as the database work itself.
``insert_rows`` compiles the statement once per (table, columns), applies each column's own bind
processor (so ``UtcDateTime`` and ``Json`` behave exactly as elsewhere) and hands the DBAPI one
``executemany``. On PostgreSQL SQLAlchemy's own path batches rows into multi-row VALUES
("insertmanyvalues"), which is faster there than a driver-level executemany, so it is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, Table, insert

Processor = Callable[[Any], Any] | None
_PLANS: dict[tuple[str, str, tuple[str, ...]], tuple[str, tuple[tuple[str, Processor], ...]]] = {}


def _plan(connection: Connection, table: Table, keys: tuple[str, ...]
          ) -> tuple[str, tuple[tuple[str, Processor], ...]]:
    dialect = connection.dialect
    cache_key = (dialect.name, table.name, keys)
    if cache_key not in _PLANS:
        compiled = insert(table).compile(dialect=dialect, column_keys=list(keys))
        order = tuple(compiled.positiontup or keys)
        _PLANS[cache_key] = (str(compiled), tuple(
            (key, table.c[key].type.bind_processor(dialect)) for key in order))
    return _PLANS[cache_key]


def insert_rows(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys) into ``table`` in the current transaction."""
    if not rows:
        return
    if connection.dialect.name != "sqlite":
        connection.execute(insert(table), list(rows))
        return
    sql, columns = _plan(connection, table, tuple(rows[0]))
    params = [tuple(row[key] if process is None else process(row[key])
                    for key, process in columns) for row in rows]
    connection.exec_driver_sql(sql, params)
