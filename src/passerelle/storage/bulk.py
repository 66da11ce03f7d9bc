"""Bulk inserts without per-row statement machinery, for the import hot path.

SQLAlchemy's ``execute(insert(table), rows)`` builds and type-processes every row's parameters
generically; for hundreds of thousands of rows that costs as much as the database work itself.
``insert_rows`` compiles the statement once per (table, columns), applies each column's own bind
processor (so ``UtcDateTime`` and ``Json`` behave exactly as elsewhere) and hands the DBAPI one
``executemany``. On PostgreSQL large batches go through ``COPY ... FROM STDIN`` on the same
connection and transaction, several times faster than INSERT there; a unique violation during
the copy is reported as SQLAlchemy's ``IntegrityError``, as an INSERT's would be.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import psycopg
from sqlalchemy import Connection, Table, insert
from sqlalchemy.exc import IntegrityError

COPY_FROM_ROWS = 50  # below this, an INSERT costs less than opening a COPY
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
            (key, table.c[key].type.dialect_impl(dialect).bind_processor(dialect))
            for key in order))
    return _PLANS[cache_key]


def insert_rows(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys) into ``table`` in the current transaction."""
    if not rows:
        return
    name = connection.dialect.name
    if name == "postgresql" and len(rows) >= COPY_FROM_ROWS:
        _copy(connection, table, rows)
        return
    if name != "sqlite":
        connection.execute(insert(table), list(rows))
        return
    sql, columns = _plan(connection, table, tuple(rows[0]))
    params = [tuple(row[key] if process is None else process(row[key])
                    for key, process in columns) for row in rows]
    connection.exec_driver_sql(sql, params)


def _copy(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    keys = tuple(rows[0])
    dialect = connection.dialect
    columns = [(key, table.c[key].type.dialect_impl(dialect).bind_processor(dialect))
               for key in keys]
    statement = f"COPY {table.name} ({', '.join(keys)}) FROM STDIN"
    driver = connection.connection.driver_connection
    try:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
            for row in rows:
                copy.write_row([row[key] if process is None else process(row[key])
                                for key, process in columns])
    except psycopg.errors.UniqueViolation as error:
        raise IntegrityError(statement, None, error) from error
