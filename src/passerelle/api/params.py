"""Path and query parameters shared by several routes, checked before any service runs.

Query strings are attacker-controlled text that ends up in SQL parameters and in the audit log:
control characters are refused (PostgreSQL rejects NUL in text, and a log line must not be
forgeable); timestamps are read as the codec reads them and normalised to UTC (an offset near
the ends of the calendar must be a 422, not an overflow deep in storage); page sizes are
bounded by ``settings.page_size_max``.
Cursors are opaque to clients so that the keyset they encode can change without breaking them.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from typing import Annotated

from fastapi import Depends, Path, Query

from passerelle.api.auth import NodeDep
from passerelle.api.record_schemas import RECORD_ID_PATTERN
from passerelle.domain.dates import parse_timestamp
from passerelle.domain.records import RecordKind, check_record_id
from passerelle.errors import ValidationFailed
from passerelle.ports import RecordQuery

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
AGENCY_PATTERN = r"^[a-z][a-z0-9-]{1,62}$"
DEFAULT_LIMIT = 50

RecordId = Annotated[str, Path(pattern=RECORD_ID_PATTERN, max_length=120,
                               description="`<kind>--<uuid>`",
                               examples=["person--7b3e9d52-1c4f-4a8e-9f0b-2d6c8e1a5b73"])]
Limit = Annotated[int, Query(ge=1, le=10_000,
                             description="Page size, 1 to the node's page_size_max")]


def plain_text(value: str | None, field: str) -> str | None:
    """``value`` unless it holds control characters."""
    if value is not None and _CONTROL.search(value):
        raise ValidationFailed("control characters are not allowed", field=field)
    return value


def timestamp(value: str | None, field: str) -> dt.datetime | None:
    """An ISO 8601 query parameter read as the codec reads timestamps (naive means UTC), so
    that a filter accepts exactly what a record's timestamps accept: not Unix seconds."""
    if value is None:
        return None
    return parse_timestamp(value, field)


Timestamp = Annotated[str | None, Query(
    max_length=64, json_schema_extra={"format": "date-time"},
    description="ISO 8601; without an offset, UTC")]


def checked_limit(node: NodeDep, limit: Limit = DEFAULT_LIMIT) -> int:
    """The page size, within this node's ``page_size_max``."""
    if limit > node.settings.page_size_max:
        raise ValidationFailed(f"at most {node.settings.page_size_max}", field="limit")
    return limit


PageLimit = Annotated[int, Depends(checked_limit)]


def encode_cursor(record_id: str | None) -> str | None:
    """The opaque cursor that resumes a search after ``record_id``."""
    if record_id is None:
        return None
    return base64.urlsafe_b64encode(record_id.encode()).rstrip(b"=").decode()


def decode_cursor(cursor: str | None) -> str | None:
    """The record id a cursor resumes after; 422 for anything this node did not hand out."""
    if cursor is None:
        return None
    try:
        record_id = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        check_record_id(record_id)
    except (binascii.Error, ValueError, UnicodeError, ValidationFailed):
        raise ValidationFailed("not a cursor returned by a previous page",
                               field="cursor") from None
    return record_id


def record_query(
        kind: Annotated[list[RecordKind] | None, Query(
            description="Repeat to search several kinds; default every kind")] = None,
        name: Annotated[str | None, Query(
            min_length=1, max_length=200,
            description="Any stored name, any script; matched word by word after folding "
                        "case, accents and Arabic letter forms")] = None,
        document_number: Annotated[str | None, Query(
            min_length=1, max_length=64,
            description="Matched ignoring spaces, dashes and case")] = None,
        owner_agency: Annotated[str | None, Query(pattern=AGENCY_PATTERN)] = None,
        time_from: Timestamp = None,
        time_to: Timestamp = None,
) -> RecordQuery:
    """The search filters common to ``GET /records`` and ``GET /exports/stix``."""
    return RecordQuery(
        kinds=frozenset(kind or ()),
        name=plain_text(name, "name"),
        document_number=plain_text(document_number, "document_number"),
        owner_agency=owner_agency,
        time_from=timestamp(time_from, "time_from"),
        time_to=timestamp(time_to, "time_to"),
    )


RecordFilters = Annotated[RecordQuery, Depends(record_query)]
