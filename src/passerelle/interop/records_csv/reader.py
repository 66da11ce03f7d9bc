"""Reading a persons or documents CSV file into records, row by row.

Each data row gives exactly one result, in file order: a :class:`RowRecord` or a
:class:`RowError`. A row is never dropped: ``records + errors == rows``. What makes a row wrong
is what makes any input wrong: the cells go through the codec (``read_details``,
``read_markings``) and the domain's constructors, so that a row obeys exactly the rules of the
API and of STIX, and their error names the field, hence the column.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO

from passerelle.domain.codec import read_details, read_markings
from passerelle.domain.records import Record, RecordKind, check_record_id, new_record_id
from passerelle.errors import InvalidCsv, ValidationFailed
from passerelle.interop.records_csv.layout import (
    ID_COLUMN,
    NAME_COLUMNS,
    Layout,
    layout_for,
    plain,
    unguard,
)
from passerelle.interop.records_csv.source import Lines, RowTooLarge, Source, quoting
from passerelle.interop.screening_csv import MAX_ROW_CHARS, MAX_VALUE_CHARS, WHOLE_ROW

RAW_ROW_CHARS = 4 * MAX_ROW_CHARS
"""Characters of raw text (quotes and commas included) after which a row is cut short: past
it, the row cannot hold fewer than ``MAX_ROW_CHARS`` characters of values."""


@dataclass(frozen=True, slots=True)
class RowRecord:
    """A row read as a record.

    ``id_from_file`` says whether the row named the id (the record may already exist: the
    importing service decides whether this is an update) or left it empty, in which case the
    reader gave the record a fresh one. The record is a first version (``version`` 1) owned by
    the importing agency, created by the importing user at the given time.
    """

    line: int
    record: Record
    id_from_file: bool


@dataclass(frozen=True, slots=True)
class RowError:
    """A row that was not read: the line where it starts (the header is line 1, as a
    spreadsheet numbers rows), the column at fault (empty when the whole row is), what is
    wrong, and the error code of docs/errors.md (``invalid_csv`` for malformed CSV)."""

    line: int
    column: str
    message: str
    code: str

    @property
    def where(self) -> str:
        """``line 7, column date_of_birth``, or ``line 7`` when the whole row is at fault."""
        return f"line {self.line}" + (f", column {self.column}" if self.column else "")

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"

    def as_error(self) -> InvalidCsv:
        """The error to raise by a caller that takes a file whole: ``invalid_csv`` naming the
        line and the column as its field."""
        return InvalidCsv(self.message, field=self.where)


RowResult = RowRecord | RowError


def _error(line: int, error: ValidationFailed, known: tuple[str, ...]) -> RowError:
    """The row error for a domain error; its field (``details.nationalities[1]``,
    ``markings.tlp``) names the column."""
    field = error.field or ""
    for prefix in ("details.", "markings."):
        field = field.removeprefix(prefix)
    name, _, rest = field.partition("[")
    message = error.detail
    if rest[:-1].isdigit():
        message = f"item {int(rest[:-1]) + 1}: {message}"
    return RowError(line, name if name in known else WHOLE_ROW, message, error.code)


class RecordsCsv:
    """A records file whose encoding and header have been checked; iterate it (once) for one
    :class:`RowResult` per data row. Lines with no value at all are skipped: they are not rows.

    ``rows`` and ``rejected`` count the data rows read so far; ``lines`` is the number of lines
    of the file (an upper bound on the rows, for a progress bar).
    """

    def __init__(self, source: Path | IO[bytes], kind: RecordKind, *, owner_agency: str,
                 created_by: str, now: dt.datetime, name: str | None = None) -> None:
        self.layout: Layout = layout_for(kind)
        if now.tzinfo is None:
            raise ValidationFailed("needs a time zone", field="now")
        if not owner_agency:
            raise ValidationFailed("is required", field="owner_agency")
        self._owner, self._by, self._now = owner_agency, created_by, now
        self._source = Source(source, name)
        self.name = self._source.name
        self.lines = self._source.lines
        try:
            self._lines = Lines(self._source.text, RAW_ROW_CHARS)
            self._parser = csv.reader(self._lines, strict=True)
            #: The columns of the file, in its order, as the header names them.
            self.columns = self._header()
        except BaseException:
            self._source.close()
            raise
        self._first_line: dict[str, int] = {}
        self.rows = 0
        self.rejected = 0

    def close(self) -> None:
        """Close what the reader opened (iterating to the end closes it too)."""
        self._source.close()

    def __enter__(self) -> RecordsCsv:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def _header(self) -> tuple[str, ...]:
        while True:
            self._lines.begin()
            try:
                names = next(self._parser)
            except StopIteration:
                raise InvalidCsv(f"{self.name} is empty: expected a header line naming the "
                                 f"columns ({','.join(self.layout.columns[:3])},...) and one "
                                 f"row per {self.layout.kind.value}") from None
            except (csv.Error, RowTooLarge):
                raise InvalidCsv(f"{self.name}: the header ({self._lines.span()}) is not "
                                 "valid CSV") from None
            if any(n.strip() for n in names):
                break
        columns = tuple(n.strip().lower() for n in names)
        self._check_header(columns)
        return columns

    def _check_header(self, columns: tuple[str, ...]) -> None:
        where = f"{self.name}, line {self._lines.start}"
        if len(columns) == 1 and ";" in columns[0]:
            raise InvalidCsv(f"{where}: the header has no comma: is the file separated by "
                             "semicolons? Passerelle reads comma-separated files")
        repeated = sorted({c for c in columns if c and columns.count(c) > 1})
        if repeated:
            raise InvalidCsv(f"{where}: the header names {', '.join(repeated)} more than "
                             "once", field=repeated[0])
        known = self.layout.columns
        unknown = [c or f"(column {i + 1}, no name)" for i, c in enumerate(columns)
                   if c not in known]
        if unknown:
            hints = [f"{u} (did you mean {close[0]}?)" if (
                close := difflib.get_close_matches(u, known, n=1)) else u for u in unknown[:5]]
            if len(unknown) > 5:
                hints.append(f"and {len(unknown) - 5} more")
            raise InvalidCsv(f"{where}: unknown column(s) {', '.join(hints)}; a "
                             f"{self.layout.kind.value}s file has the columns "
                             f"{', '.join(known)}", field=unknown[0])
        missing = [c for c in self.layout.required if c not in columns]
        if missing:
            raise InvalidCsv(f"{where}: the header lacks the required column(s) "
                             f"{', '.join(missing)}", field=missing[0])
        if self.layout.kind is RecordKind.PERSON and not set(NAME_COLUMNS) & set(columns):
            raise InvalidCsv(f"{where}: the header has no name column: a person needs "
                             f"{', '.join(NAME_COLUMNS[:-1])} or {NAME_COLUMNS[-1]}",
                             field=NAME_COLUMNS[1])

    def __iter__(self) -> Iterator[RowResult]:
        try:
            while True:
                self._lines.begin()
                try:
                    values = next(self._parser)
                except StopIteration:
                    return
                except csv.Error as error:
                    yield self._refuse(self._malformed(str(error)))
                    continue
                except RowTooLarge:
                    yield self._refuse(self._too_large())
                    continue
                if any(v.strip() for v in values):
                    yield self._row(values)
        finally:
            self.close()

    def _refuse(self, error: RowError) -> RowError:
        self.rows += 1
        self.rejected += 1
        return error

    def _column(self, index: int) -> str:
        return self.columns[index] if index < len(self.columns) else f"(column {index + 1})"

    def _malformed(self, reason: str) -> RowError:
        shape = quoting(self._lines.raw())
        column = WHOLE_ROW if shape.broken is None else self._column(shape.broken)
        if shape.unclosed:
            message = (f"a quote opened in this value is never closed: {self._lines.span()} "
                       "(to the end of the file) were read as one row")
        else:
            message = (f"malformed CSV on {self._lines.span()} ({reason}): a value that "
                       "contains a quote must be quoted as a whole, its quotes doubled")
        return RowError(self._lines.start, column, message, InvalidCsv.code)

    def _too_large(self) -> RowError:
        shape = quoting(self._lines.raw())
        if shape.unclosed:
            return RowError(self._lines.start, self._column(shape.broken or 0),
                            f"a quote opened in this value is not closed within "
                            f"{RAW_ROW_CHARS:,} characters ({self._lines.span()} were read as "
                            "one row); reading goes on with the next line", InvalidCsv.code)
        return RowError(self._lines.start, self._column(shape.widest),
                        f"the row is over {RAW_ROW_CHARS:,} characters long "
                        f"({self._lines.span()}; this value is the largest)", InvalidCsv.code)

    def _row(self, values: list[str]) -> RowResult:
        self.rows += 1
        line = self._lines.start
        try:
            return self._record(line, self._cells(values))
        except ValidationFailed as error:
            self.rejected += 1
            return _error(line, error, self.layout.columns)

    def _cells(self, values: list[str]) -> dict[str, str]:
        """The row's values by column, trimmed and unguarded, after checking its shape."""
        width = len(self.columns)
        if len(values) > width and any(v.strip() for v in values[width:]):
            raise InvalidCsv(f"{len(values)} values but the header has {width} columns: "
                             "quote values that contain a comma")
        lengths = [len(v) for v in values[:width]]
        for index, length in enumerate(lengths):
            if length > MAX_VALUE_CHARS:
                raise InvalidCsv(f"the value has {length:,} characters, more than the "
                                 f"{MAX_VALUE_CHARS:,} allowed", field=self.columns[index])
        if sum(lengths) > MAX_ROW_CHARS:
            widest = lengths.index(max(lengths))
            raise InvalidCsv(f"the row has {sum(lengths):,} characters, more than the "
                             f"{MAX_ROW_CHARS:,} allowed (this value is the largest)",
                             field=self.columns[widest])
        # a short row reads its missing trailing values as empty
        return {c: unguard(v.strip()) for c, v in zip(self.columns, values, strict=False)}

    def _record(self, line: int, cells: dict[str, str]) -> RowRecord:
        record_id, from_file = self._identify(line, cells.get(ID_COLUMN, ""))
        kind = self.layout.kind
        details = read_details(kind, plain(cells, self.layout.details))
        markings = read_markings(plain(cells, self.layout.markings))
        record = Record(id=record_id, owner_agency=self._owner, markings=markings,
                        details=details, created_at=self._now, modified_at=self._now,
                        created_by=self._by, modified_by=self._by)
        return RowRecord(line, record, from_file)

    def _identify(self, line: int, cell: str) -> tuple[str, bool]:
        """The record's id: the row's, checked and not seen before in the file, or a new one.

        Ids of rejected rows count too: correcting the first of two rows with one id must
        not make a duplicate appear."""
        kind = self.layout.kind
        if not cell:
            return new_record_id(kind), False
        expected = f"{kind.value}--<uuid>, or empty for a new record"
        try:
            named = check_record_id(cell, ID_COLUMN)
        except ValidationFailed:
            raise ValidationFailed(f"{cell!r} is not a record id: expected {expected}",
                                   field=ID_COLUMN) from None
        if named is not kind:
            raise ValidationFailed(f"{cell!r} names a record of kind {named.value}: expected "
                                   f"{expected}", field=ID_COLUMN)
        first = self._first_line.setdefault(cell, line)
        if first != line:
            raise ValidationFailed(f"duplicate id {cell!r}: first on line {first}",
                                   field=ID_COLUMN)
        return cell, True


def open_records(source: Path | IO[bytes], kind: RecordKind, *, owner_agency: str,
                 created_by: str, now: dt.datetime, name: str | None = None) -> RecordsCsv:
    """Open a persons or documents file, checking what concerns the whole file at once.

    Raises ``InvalidCsv`` before any row is read when the file is empty, is not UTF-8 (naming
    the line and the byte), lacks a required column or names an unknown one; ``name`` is how
    messages call the file (its path by default). A binary stream is read to its end and left
    open; a text stream is refused (``TypeError``): the reader checks the encoding itself.
    """
    return RecordsCsv(source, kind, owner_agency=owner_agency, created_by=created_by, now=now,
                      name=name)


def read_records(source: Path | IO[bytes], kind: RecordKind, *, owner_agency: str,
                 created_by: str, now: dt.datetime,
                 name: str | None = None) -> Iterator[RowResult]:
    """One :class:`RowResult` per data row of the file, in order; file-level problems raise
    ``InvalidCsv`` from this call, before the first row (see :func:`open_records`)."""
    return iter(open_records(source, kind, owner_agency=owner_agency, created_by=created_by,
                             now=now, name=name))
