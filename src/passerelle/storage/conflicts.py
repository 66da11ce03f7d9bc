"""Unique keys the database enforces, reported as the domain's ``Conflict``.

The repositories look for a clash first and raise a ``Conflict`` that names it; the database's
unique constraints stay as the last line, for the race where a concurrent transaction stored
the same key in between (PostgreSQL; SQLite lets one writer at a time). Without this, that race
would surface as a driver error and a 500 instead of a 409.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError

from passerelle.errors import Conflict


@contextmanager
def stored_meanwhile_is_conflict(detail: str, field: str) -> Iterator[None]:
    """Turn an integrity error raised inside the block into ``Conflict(detail, field)``."""
    try:
        yield
    except IntegrityError as error:
        raise Conflict(detail, field=field) from error
