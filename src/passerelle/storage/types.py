"""Column types that behave the same on SQLite and PostgreSQL.

The rest of the storage package writes and reads Python values and never looks at the dialect:
these types absorb the differences.

- ``UtcDateTime``: always hands back timezone-aware UTC datetimes. PostgreSQL stores
  ``timestamptz``; SQLite has no time type, so values are stored as naive UTC text of fixed
  width, which keeps range comparisons on the text correct. A naive datetime is read as UTC,
  as ``domain.dates.parse_timestamp`` reads one.
- ``Json``: JSONB on PostgreSQL (compact, indexable), JSON text on SQLite.
- ``key_type``: identifiers and search keys compared byte by byte. Keyset pagination relies on the
  database ordering ids exactly as Python orders ``str`` (the in-memory fake does), so on
  PostgreSQL these columns use the "C" collation whatever the database's default locale is.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, Dialect, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator, TypeEngine


def as_utc(moment: dt.datetime) -> dt.datetime:
    """``moment`` in UTC; a naive one is taken to be UTC already. The domain checks the zone of
    events only, and refusing a naive time deep inside storage would help nobody."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A point in time, stored in UTC and read back timezone-aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        value = as_utc(value)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None,
                             dialect: Dialect) -> dt.datetime | None:
        return None if value is None else as_utc(value)


def json_type() -> TypeEngine[Any]:
    """JSON on SQLite, JSONB on PostgreSQL."""
    return JSON().with_variant(JSONB(), "postgresql")


def key_type(length: int) -> TypeEngine[str]:
    """A string compared byte by byte (the "C" collation on PostgreSQL)."""
    return String(length).with_variant(String(length, collation="C"), "postgresql")
