"""The list-screening CSV contract: watchlists and traveller lists in, hits and rejections out.

A list is a UTF-8 CSV file (comma-separated, with or without a byte-order mark) whose first
non-empty line is a header naming its columns; docs/screening.md is the contract for partners
and this module is its only reader. Problems come in two sizes:

- **File-level** (:class:`~passerelle.errors.InvalidCsv`, raised by :func:`open_list` before
  a single row is read): the file is empty, is not UTF-8, or lacks a required column. Nothing
  of such a file can be trusted, so nothing of it is screened.
- **Row-level** (:class:`Rejection`, yielded in place of the entry): the row is named by the
  line it starts on (the header is line 1, as in a text editor or a spreadsheet) and the
  column at fault, and every other row is still read. A row is never dropped without a
  rejection: the caller counts on ``entries + rejected rows == rows``.

The reader streams: of the rows read, only their ids are kept (to refuse duplicates).
What the matcher makes of a name is its own business: this module only refuses what no
matcher could use (no id, no name, an impossible date, a value too large to be a person's).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from passerelle.domain.dates import PartialDate
from passerelle.errors import InvalidCsv, InvalidDate
from passerelle.matching.model import Hit, PersonEntry

REQUIRED_COLUMNS = ("id", "full_name")
OPTIONAL_COLUMNS = ("given_name", "family_name", "name_original_script", "aliases",
                    "date_of_birth", "place_of_birth", "nationality", "document_number",
                    "document_country")
NAME_COLUMNS = ("full_name", "given_name", "family_name", "name_original_script")
HIT_COLUMNS = ("traveller_id", "watchlist_id", "score", "band", "explanation")
REJECTION_COLUMNS = ("list", "row", "column", "message")
#: Separator of several values in one cell (aliases, nationality).
MULTI_SEPARATOR = ";"
#: Bounds on one value and on one row: generous for a person, small enough that a broken
#: file (an unclosed quote swallowing the rest of the file) is caught on the row it breaks.
MAX_VALUE_CHARS = 4096
MAX_ROW_CHARS = 16384
EARLIEST_BIRTH_YEAR = 1900
#: Where the reader reports a problem that is not about one column (malformed quoting).
WHOLE_ROW = ""

_CHUNK_BYTES = 1 << 20
_LETTER = re.compile(r"[^\W\d_]")  # a letter of any script
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(frozen=True, slots=True)
class Rejection:
    """A row that was not screened: which list, the line it starts on, the column, why."""

    list_name: str
    row: int
    column: str
    message: str


EntryOrRejection = PersonEntry | Rejection


def _not_utf8(path: Path, field: str, line: int, offset: int, byte: int) -> InvalidCsv:
    return InvalidCsv(
        f"{path} is not UTF-8: byte 0x{byte:02X} at offset {offset:,} (line {line}) cannot be "
        "decoded. Save the file as UTF-8 (in a spreadsheet: 'CSV UTF-8') and try again.",
        field=field)


def _check_text(path: Path, field: str) -> int:
    """Refuse a file that is empty or not UTF-8 as a whole, naming its first bad line; return
    its number of lines (a progress bar's total)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = newlines = 0
    last = b""
    with path.open("rb") as stream:
        head = stream.read(4)
        if head.startswith(_UTF16_BOMS):
            raise InvalidCsv(f"{path} is UTF-16, not UTF-8: save it as UTF-8 (in a "
                             "spreadsheet: 'CSV UTF-8') and try again", field=field)
        stream.seek(0)
        while chunk := stream.read(_CHUNK_BYTES):
            # the decoder keeps an incomplete character between chunks; errors are
            # positioned in (kept bytes + chunk)
            data = decoder.getstate()[0] + chunk
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                raise _not_utf8(path, field, newlines + data[:error.start].count(b"\n") + 1,
                                offset + len(chunk) - len(data) + error.start,
                                data[error.start]) from None
            offset += len(chunk)
            newlines += chunk.count(b"\n")
            last = chunk[-1:]
        kept = decoder.getstate()[0]
        if kept:  # the file ends in the middle of a character
            raise _not_utf8(path, field, newlines + 1, offset - len(kept), kept[0])
    if offset <= (len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0):
        raise InvalidCsv(f"{path} is empty: expected a header line "
                         f"({','.join(REQUIRED_COLUMNS)},...) and one row per person",
                         field=field)
    return newlines + (last not in (b"\n", b""))


class _Lines:
    """Feeds the CSV parser one physical line at a time and keeps the lines of the current
    record, so that a row is named by the line it starts on and a broken row can be measured."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self.line = 0
        self.start = 1
        self.record: list[str] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        text = next(self._stream)
        self.line += 1
        self.record.append(text)
        return text

    def begin(self) -> None:
        """Mark the start of the next record."""
        self.record.clear()
        self.start = self.line + 1

    def span(self) -> str:
        """``line 12`` or ``lines 12-40`` for the current record."""
        end = max(self.line, self.start)
        return f"line {self.start}" if end == self.start else f"lines {self.start}-{end}"


def _scan(raw: str) -> tuple[list[int], int | None, bool]:
    """Lengths of the values of a raw record, the index of the first value whose quoting is
    broken, and whether a quote is left open (only used to name the column of a row the CSV
    parser refused)."""
    lengths, broken, i, at_start = [0], None, 0, True
    while i < len(raw):
        if at_start and raw[i] == '"':
            close = i
            while True:
                close = raw.find('"', close + 1)
                if close == -1:  # never closed: the value runs to the end
                    lengths[-1] += len(raw) - i - 1
                    return lengths, len(lengths) - 1 if broken is None else broken, True
                if raw[close + 1:close + 2] != '"':
                    break
                close += 1
            lengths[-1] += close - i - 1
            i, at_start = close + 1, False
            if raw[i:i + 1] not in ("", ",", "\r", "\n") and broken is None:
                broken = len(lengths) - 1
            continue
        if raw[i] == ",":
            lengths.append(0)
            at_start = True
        elif raw[i] not in "\r\n":
            lengths[-1] += 1
            at_start = False
        i += 1
    return lengths, broken, False


def _split(value: str) -> tuple[str, ...]:
    """The non-empty values of a ``;``-separated cell, trimmed, first occurrence kept."""
    seen: dict[str, None] = {}
    for part in value.split(MULTI_SEPARATOR):
        if part.strip():
            seen.setdefault(part.strip(), None)
    return tuple(seen)


def check_birth_date(text: str, today: dt.date) -> str | None:
    """Why ``text`` is not a usable date of birth, or None when it is."""
    try:
        date = PartialDate.parse(text, "date_of_birth")
    except InvalidDate as error:
        return error.detail
    if not EARLIEST_BIRTH_YEAR <= date.year <= today.year:
        return f"year {date.year} is outside {EARLIEST_BIRTH_YEAR}-{today.year}"
    if date.year == today.year and (date.month or 0, date.day or 0) > (today.month, today.day):
        return f"{date} is in the future"
    return None


class ScreeningList:
    """A list file whose encoding and header have been checked; iterate it for its entries.

    Iterating yields, in file order, a :class:`PersonEntry` for every accepted row and one
    :class:`Rejection` per problem of a refused row. ``rows`` and ``rejected_rows`` count the
    data rows read so far (lines with no value at all hold no person and are skipped);
    :meth:`line_of` says where an accepted entry came from. Iterate once.
    """

    def __init__(self, path: Path, list_name: str, today: dt.date | None = None) -> None:
        self.path = path
        self.list_name = list_name
        self._today = today or dt.date.today()
        #: Lines in the file, header included: an upper bound on the rows, for progress bars.
        self.lines = _check_text(path, list_name)
        self._stream = path.open("r", encoding="utf-8-sig", newline="")
        try:
            self._lines = _Lines(self._stream)
            self._parser = csv.reader(self._lines, strict=True)
            self.columns, self.ignored_columns = self._header()
        except BaseException:
            self._stream.close()
            raise
        self._first_line: dict[str, int] = {}
        self.rows = 0
        self.rejected_rows = 0

    def close(self) -> None:
        """Close the file (iterating to the end closes it too)."""
        self._stream.close()

    def line_of(self, entry_id: str) -> int:
        """The line where the (first) row with this id starts."""
        return self._first_line[entry_id]

    def _header(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        try:
            names = next((r for r in self._parser if any(v.strip() for v in r)), None)
        except csv.Error as error:
            raise InvalidCsv(f"{self.path}: the header line cannot be read ({error})",
                             field=self.list_name) from None
        if names is None:
            raise InvalidCsv(f"{self.path} has no header line", field=self.list_name)
        columns = tuple(n.strip().lower() for n in names)
        repeated = sorted({c for c in columns if c and columns.count(c) > 1})
        if repeated:
            raise InvalidCsv(f"{self.path}: the header names {', '.join(repeated)} more than "
                             "once", field=repeated[0])
        missing = [c for c in REQUIRED_COLUMNS if c not in columns]
        if missing:
            hint = (" (the header has no comma: is the file separated by semicolons? "
                    "Passerelle reads comma-separated files)" if len(columns) == 1 else "")
            raise InvalidCsv(f"{self.path}: the header lacks the required column(s) "
                             f"{', '.join(missing)}{hint}", field=missing[0])
        known = set(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)
        ignored = tuple(c or f"(column {i + 1}, no name)"
                        for i, c in enumerate(columns) if c not in known)
        return columns, ignored

    def __iter__(self) -> Iterator[EntryOrRejection]:
        try:
            while True:
                self._lines.begin()
                try:
                    values = next(self._parser)
                except StopIteration:
                    return
                except csv.Error as error:
                    yield from self._refuse(self._broken(str(error)))
                    continue
                if any(v.strip() for v in values):
                    yield from self._read(values)
        finally:
            self._stream.close()

    def _read(self, values: list[str]) -> Iterator[EntryOrRejection]:
        # a short row reads its missing trailing values as empty
        cell = dict(zip(self.columns, map(str.strip, values), strict=False))
        problems = self._problems(values, cell)
        if problems:
            yield from self._refuse(problems)
            return
        self.rows += 1
        yield PersonEntry(
            id=cell["id"], full_name=cell["full_name"],
            given_name=cell.get("given_name", ""), family_name=cell.get("family_name", ""),
            name_original_script=cell.get("name_original_script", ""),
            aliases=_split(cell.get("aliases", "")),
            date_of_birth=cell.get("date_of_birth", ""),
            place_of_birth=cell.get("place_of_birth", ""),
            nationalities=_split(cell.get("nationality", "")),
            document_number=cell.get("document_number", ""),
            document_country=cell.get("document_country", ""))

    def _refuse(self, problems: Sequence[tuple[str, str]]) -> Iterator[Rejection]:
        self.rows += 1
        self.rejected_rows += 1
        for column, message in problems:
            yield Rejection(self.list_name, self._lines.start, column, message)

    def _broken(self, reason: str) -> list[tuple[str, str]]:
        """The problem of a row the CSV parser refused: its widest value when it is too
        large, else the value whose quoting is broken."""
        lengths, broken, unclosed = _scan("".join(self._lines.record))
        widest = max(range(len(lengths)), key=lengths.__getitem__)
        if lengths[widest] > MAX_VALUE_CHARS:
            return [(self._column(widest), f"the value is too large (over {MAX_VALUE_CHARS:,} "
                     f"characters; the row spans {self._lines.span()}): an unclosed quote?")]
        column = WHOLE_ROW if broken is None else self._column(broken)
        if unclosed:
            return [(column, f"a quote opened in this value is never closed: {self._lines.span()}"
                     " (to the end of the file) were read as one row")]
        return [(column, f"malformed CSV on {self._lines.span()} ({reason}): a value that "
                 "contains a quote must be quoted as a whole, its quotes doubled")]

    def _column(self, index: int) -> str:
        return self.columns[index] if index < len(self.columns) else f"(column {index + 1})"

    def _problems(self, values: list[str], cell: dict[str, str]) -> list[tuple[str, str]]:
        """Everything wrong with a parsed row, each with its column."""
        if len(values) > len(self.columns) and any(v.strip()
                                                   for v in values[len(self.columns):]):
            return [(WHOLE_ROW, f"{len(values)} values but the header has "
                     f"{len(self.columns)} columns: quote values that contain a comma")]
        lengths = list(map(len, values))
        if max(lengths) > MAX_VALUE_CHARS:
            return [(self._column(i), f"the value has {n:,} characters, more than the "
                     f"{MAX_VALUE_CHARS:,} allowed") for i, n in enumerate(lengths)
                    if n > MAX_VALUE_CHARS]
        if sum(lengths) > MAX_ROW_CHARS:
            widest = lengths.index(max(lengths))
            return [(self._column(widest), f"the row has {sum(lengths):,} characters, more "
                     f"than the {MAX_ROW_CHARS:,} allowed (this value is the largest)")]
        return self._content_problems(cell)

    def _content_problems(self, cell: dict[str, str]) -> list[tuple[str, str]]:
        problems: list[tuple[str, str]] = []
        entry_id = cell.get("id", "")
        if not entry_id:
            problems.append(("id", "the id is empty"))
        elif entry_id in self._first_line:
            problems.append(("id", f"duplicate id {entry_id!r}: first on line "
                             f"{self._first_line[entry_id]}"))
        else:  # rejected rows count too: fixing the first must not make a duplicate appear
            self._first_line[entry_id] = self._lines.start
        names = " ".join(cell.get(c, "") for c in NAME_COLUMNS)
        if not _LETTER.search(names):
            problems.append(("full_name", "no name: full_name is empty and so are "
                             "given_name, family_name and name_original_script"
                             if not names.strip() else "the name has no letter"))
        birth = cell.get("date_of_birth", "")
        why = check_birth_date(birth, self._today) if birth else None
        if why:
            problems.append(("date_of_birth", why))
        return problems


def open_list(path: Path, list_name: str, *, today: dt.date | None = None) -> ScreeningList:
    """Open a list file, checking what concerns the whole file at once.

    Raises ``InvalidCsv`` (naming the file, and the first bad line or the missing columns)
    when the file is empty, is not UTF-8 or lacks a required column, before any row is read:
    call it for every input before starting work, so that a bad file stops a run early.
    """
    return ScreeningList(path, list_name, today)


def read_entries(path: Path, list_name: str = "list") -> Iterator[EntryOrRejection]:
    """Every row of a list file, in order, as an entry or its rejection(s); file-level
    problems raise ``InvalidCsv`` from this call, before the first row."""
    return iter(open_list(path, list_name))


def format_score(score: float) -> str:
    """A score as written in the hits file: three decimals."""
    return f"{score:.3f}"


class HitsWriter:
    """Writes ``traveller_id,watchlist_id,score,band,explanation``, one row per hit."""

    def __init__(self, stream: IO[str]) -> None:
        self._writer = csv.writer(stream, lineterminator="\n")
        self._writer.writerow(HIT_COLUMNS)

    def write(self, traveller_id: str, hits: Sequence[Hit]) -> None:
        """The hits of one traveller, best first as given."""
        self._writer.writerows(
            (traveller_id, h.entry_id, format_score(h.score), h.band.value if h.band else "",
             h.explanation) for h in hits)


class RejectionsWriter:
    """Writes ``list,row,column,message``, one row per problem of a rejected row."""

    def __init__(self, stream: IO[str]) -> None:
        self._writer = csv.writer(stream, lineterminator="\n")
        self._writer.writerow(REJECTION_COLUMNS)

    def write(self, rejection: Rejection) -> None:
        """One problem."""
        self._writer.writerow((rejection.list_name, rejection.row, rejection.column,
                               rejection.message))


@contextmanager
def replaced_on_success(path: Path) -> Iterator[IO[str]]:
    """A UTF-8 (no BOM) text stream to ``path``: written under a temporary name, renamed over
    ``path`` when the block ends normally and removed when it fails, so that a failed run
    never leaves a truncated file looking complete."""
    partial = path.with_name(path.name + ".part")
    try:
        with partial.open("w", encoding="utf-8", newline="") as stream:
            yield stream
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
