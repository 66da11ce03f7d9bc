"""Persons and documents as CSV, in and out: the contract of docs/csv-records.md.

Agencies keep lists of persons and of travel documents in spreadsheets. A file holds records
of one kind, one per row, in columns named after the domain's fields (``layout``); the
markings of each record are columns too. This package is a pure format layer: it neither
stores nor decides anything. What a row's id means for records already stored (an update, a
conflict) is the importing service's business; :class:`RowRecord` says whether the id came
from the file.

Problems come in two sizes, as in the screening contract (``interop.screening_csv``):

- **File-level** (``InvalidCsv``, raised by :func:`open_records` / :func:`read_records` before a
  single row is read): empty, not UTF-8 (naming the line and the byte), UTF-16, a required
  column missing, an unknown or repeated column.
- **Row-level** (:class:`RowError`, yielded in place of the record): ``line`` (the header is
  line 1), ``column`` (empty for the whole row), ``message`` and ``code``; ``str()`` reads
  ``line 7, column date_of_birth: ...``. Every data row gives exactly one result.
"""

from passerelle.interop.records_csv.layout import FORMULA_TRIGGERS, columns, guard, unguard
from passerelle.interop.records_csv.reader import (
    RecordsCsv,
    RowError,
    RowRecord,
    RowResult,
    open_records,
    read_records,
)
from passerelle.interop.records_csv.writer import write_records

__all__ = [
    "FORMULA_TRIGGERS",
    "RecordsCsv",
    "RowError",
    "RowRecord",
    "RowResult",
    "columns",
    "guard",
    "open_records",
    "read_records",
    "unguard",
    "write_records",
]
