"""Time as MISP writes it: Unix timestamps in strings, dates, ISO 8601 first/last seen.

MISP timestamps are whole seconds since the epoch, written as strings (sometimes numbers);
``first_seen`` and ``last_seen`` are ISO 8601 with microseconds. Kept STIX objects use STIX's
millisecond form.
"""

from __future__ import annotations

import datetime as dt

from passerelle.errors import InvalidMisp

_MAX_SECONDS = 253402300799  # 9999-12-31T23:59:59Z


def read_timestamp(value: object, field: str) -> dt.datetime:
    """A MISP timestamp (digits in a string, or an integer) as an aware UTC datetime."""
    if isinstance(value, str) and value.isdigit() and value.isascii():
        seconds = int(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        seconds = value
    else:
        raise InvalidMisp(f"{value!r} is not a Unix timestamp (seconds since 1970)",
                          field=field)
    if not 0 <= seconds <= _MAX_SECONDS:
        raise InvalidMisp(f"{value!r} is outside the supported range of dates", field=field)
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


def write_timestamp(moment: dt.datetime) -> str:
    """A datetime as MISP writes timestamps: whole seconds in a string."""
    return str(int(moment.timestamp()))


def read_date(value: object, field: str) -> dt.date:
    """An event's ``date`` (``YYYY-MM-DD``)."""
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InvalidMisp(f"{value!r} is not a date (YYYY-MM-DD)", field=field)


def read_seen(value: object, field: str) -> dt.datetime:
    """A ``first_seen`` or ``last_seen`` (ISO 8601; naive values are taken as UTC)."""
    if isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            pass
        else:
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=dt.UTC)
            return moment.astimezone(dt.UTC)
    raise InvalidMisp(f"{value!r} is not an ISO 8601 date and time", field=field)


def write_seen(moment: dt.datetime) -> str:
    """A datetime as MISP writes ``first_seen``: ISO 8601 with microseconds, in UTC."""
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def midnight(day: dt.date) -> dt.datetime:
    """The start of ``day`` in UTC."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def stix_time(moment: dt.datetime) -> str:
    """A datetime as a STIX timestamp with milliseconds: ``YYYY-MM-DDTHH:MM:SS.mmmZ``."""
    utc = moment.astimezone(dt.UTC)
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond // 1000:03d}Z"
