"""Helpers of the CSV records tests (test_records_csv*.py): read and write through the
public API, compare what comes back."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from passerelle.domain.markings import Markings
from passerelle.domain.records import (
    Person,
    Record,
    RecordKind,
)
from passerelle.interop.records_csv import (
    RowError,
    RowRecord,
    RowResult,
    read_records,
    write_records,
)

from .examples import PERSON_ID, full_records

NOW = dt.datetime(2026, 6, 1, 8, 30, tzinfo=dt.UTC)
TEMPLATES = Path(__file__).resolve().parents[2] / "docs" / "templates"
PERSON, DOCUMENT = RecordKind.PERSON, RecordKind.DOCUMENT
OTHER_PERSON = "person--6f1f3f1e-2c7d-4b9a-9e1c-8d2b7a4c5e61"


def read(data: bytes | str, kind: RecordKind = PERSON) -> list[RowResult]:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return list(read_records(io.BytesIO(raw), kind, owner_agency="es",
                             created_by="user:lucia", now=NOW))


def written(records: list[Record], kind: RecordKind, *, bom: bool = False) -> str:
    stream = io.StringIO(newline="")
    assert write_records(records, kind, stream, bom=bom) == len(records)
    return stream.getvalue()


def record_of(result: RowResult) -> Record:
    assert isinstance(result, RowRecord), result
    return result.record


def person_of(result: RowResult) -> Person:
    details = record_of(result).details
    assert isinstance(details, Person)
    return details


def round_trip(records: list[Record], kind: RecordKind) -> list[Record]:
    return [record_of(r) for r in read(written(records, kind), kind)]


def full(kind: RecordKind) -> Record:
    return next(r for r in full_records() if r.kind is kind)


def person(details: Person, markings: Markings | None = None) -> Record:
    return Record(id=PERSON_ID, owner_agency="fr", markings=markings or Markings(),
                  details=details)


def errors(results: list[RowResult]) -> list[tuple[int, str]]:
    return [(r.line, r.column) for r in results if isinstance(r, RowError)]


def the_error(results: list[RowResult]) -> RowError:
    found = [r for r in results if isinstance(r, RowError)]
    assert len(found) == 1, results
    return found[0]


def same(read_back: Record, original: Record) -> None:
    assert (read_back.id, read_back.details, read_back.markings) == (
        original.id, original.details, original.markings)


# -- round trip ---------------------------------------------------------------------------
