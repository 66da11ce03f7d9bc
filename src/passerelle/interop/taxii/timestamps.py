"""TAXII timestamps: RFC 3339 in UTC with a ``Z``, and ``date_added`` to the microsecond.

A server writes every ``date_added`` with exactly six fraction digits
(``2026-11-22T09:00:00.000001Z``): clients resume with ``added_after`` set to the last value
they saw, so a value rounded to the millisecond would make them skip or repeat objects added in
the same millisecond.

Reading is strict about the shape (``T``, ``Z``, no offset) because a timestamp that the server
reads differently from the client silently changes what a filter returns. Fractions finer than
the microsecond are truncated: since stored values have microsecond precision, truncation
changes no answer of the strict ``>`` that ``added_after`` means.
"""

from __future__ import annotations

import datetime as dt
import re

_PATTERN = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$")


def parse_timestamp(text: object) -> dt.datetime | None:
    """The UTC instant ``text`` names, or None when it is not a TAXII/STIX timestamp."""
    match = _PATTERN.match(text) if isinstance(text, str) else None
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    try:
        return dt.datetime(int(year), int(month), int(day), int(hour), int(minute),
                           int(second), micro, tzinfo=dt.UTC)
    except ValueError:  # 2026-02-30, 25:00, a leap second
        return None


def format_timestamp(moment: dt.datetime) -> str:
    """``moment`` in UTC with microseconds: ``YYYY-MM-DDTHH:MM:SS.ffffffZ``."""
    if moment.tzinfo is None:
        raise ValueError("a TAXII timestamp needs a timezone-aware datetime")
    utc = moment.astimezone(dt.UTC)
    # Not strftime: its %Y does not pad years before 1000 to four digits on every platform.
    return (f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T{utc.hour:02d}:{utc.minute:02d}:"
            f"{utc.second:02d}.{utc.microsecond:06d}Z")
