"""The text of a records CSV file: checked as UTF-8 as a whole, then fed to the CSV parser
one physical line at a time.

The whole file is decoded once before its header is read, so that a file that is not UTF-8
is refused before a single row is handed out (a caller importing rows must never have stored
half of a file it then has to refuse). A stream that cannot be rewound is first copied to a
temporary file (in memory while small) for the same reason.
"""

from __future__ import annotations

import codecs
import io
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from passerelle.errors import InvalidCsv

SPOOL_BYTES = 8 << 20
"""A stream that cannot be rewound is kept in memory up to this size, on disk beyond."""

_CHUNK_BYTES = 1 << 16
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_SAVE_AS = "save it as UTF-8 (in a spreadsheet: 'CSV UTF-8') and try again"


class RowTooLarge(Exception):
    """Raised by :class:`Lines` inside the CSV parser when the current row outgrows its bound;
    the parser starts afresh on the next line."""


def _not_utf8(name: str, line: int, offset: int, byte: int) -> InvalidCsv:
    return InvalidCsv(f"{name} is not UTF-8: byte 0x{byte:02X} at offset {offset:,} (line "
                      f"{line}) cannot be decoded; {_SAVE_AS}")


def check_utf8(stream: IO[bytes], name: str) -> int:
    """Decode ``stream`` to its end; raise ``InvalidCsv`` naming the line and the offset of the
    first byte that is not UTF-8 (or is NUL, which no text holds and UTF-16 is full of).
    Returns the number of lines, a bound on the rows for a progress bar."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = newlines = 0
    last = b""
    while chunk := stream.read(_CHUNK_BYTES):
        if offset == 0 and chunk.startswith(_UTF16_BOMS):
            raise InvalidCsv(f"{name} is UTF-16, not UTF-8: {_SAVE_AS}")
        kept = decoder.getstate()[0]  # the start of a character cut by the previous chunk
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as error:  # positioned in kept + chunk
            data = kept + chunk
            raise _not_utf8(name, newlines + data.count(b"\n", 0, error.start) + 1,
                            offset - len(kept) + error.start, data[error.start]) from None
        nul = chunk.find(b"\x00")
        if nul >= 0:
            line = newlines + chunk.count(b"\n", 0, nul) + 1
            raise InvalidCsv(f"{name} holds a NUL byte at offset {offset + nul:,} (line {line})"
                             f": is it UTF-16? Save it as UTF-8 (in a spreadsheet: 'CSV UTF-8') "
                             "and try again")
        offset += len(chunk)
        newlines += chunk.count(b"\n")
        last = chunk[-1:]
    kept = decoder.getstate()[0]
    if kept:  # the file ends in the middle of a character
        raise _not_utf8(name, newlines + 1, offset - len(kept), kept[0])
    return newlines + (last not in (b"", b"\n"))


class Source:
    """A path or a byte stream opened as checked UTF-8 text (a byte-order mark is skipped).

    Closes what it opened (the file of a path, the copy of a stream) and leaves a caller's
    stream open, read to its end.
    """

    def __init__(self, source: Path | IO[bytes], name: str | None) -> None:
        if isinstance(source, io.TextIOBase):
            raise TypeError("give a path or a binary stream: the reader checks the encoding")
        self._owned = isinstance(source, Path) or not source.seekable()
        raw = self._open(source)
        self.name = name or (str(source) if isinstance(source, Path) else
                             str(getattr(source, "name", "the CSV file")))
        try:
            start = raw.tell()
            #: Lines in the file, header included.
            self.lines = check_utf8(raw, self.name)
            raw.seek(start)
        except BaseException:
            if self._owned:
                raw.close()
            raise
        self.text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        self._closed = False

    @staticmethod
    def _open(source: Path | IO[bytes]) -> IO[bytes]:
        if isinstance(source, Path):
            return source.open("rb")
        if source.seekable():
            return source
        copy = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
        shutil.copyfileobj(source, copy)
        copy.seek(0)
        return copy

    def close(self) -> None:
        """Close what this source opened; a caller's stream stays open."""
        if self._closed:
            return
        self._closed = True
        if self._owned:
            self.text.close()
        else:
            self.text.detach()


class Lines:
    """Feeds the CSV parser one physical line at a time, remembering the lines of the current
    row: where it starts (the header is line 1) and its raw text, up to ``limit`` characters.

    A row that outgrows ``limit`` (an unclosed quote swallowing the file) raises
    :class:`RowTooLarge` out of the parser; the rest of the line is skipped and reading goes on
    with the next line, so that memory stays bounded and the rows after it are still read.
    """

    def __init__(self, text: IO[str], limit: int) -> None:
        self._text = text
        self._limit = limit
        self._raw: list[str] = []
        self._size = 0
        self.line = 0
        self.start = 1

    def __iter__(self) -> Lines:
        return self

    def __next__(self) -> str:
        text = self._text.readline(self._limit - self._size + 1)
        if not text:
            raise StopIteration
        self.line += 1
        self._raw.append(text)
        self._size += len(text)
        if self._size > self._limit:
            self._skip_rest(text)
            raise RowTooLarge
        return text

    def _skip_rest(self, text: str) -> None:
        while text and not text.endswith(("\n", "\r")):
            text = self._text.readline(self._limit)

    def begin(self) -> None:
        """Mark the start of the next row."""
        self._raw.clear()
        self._size = 0
        self.start = self.line + 1

    def raw(self) -> str:
        """The text read for the current row (at most ``limit`` characters)."""
        return "".join(self._raw)

    def span(self) -> str:
        """``line 12`` or ``lines 12-40`` for the current row."""
        end = max(self.line, self.start)
        return f"line {self.start}" if end == self.start else f"lines {self.start}-{end}"


@dataclass(frozen=True, slots=True)
class Quoting:
    """What the raw text of a row says about its values, to name the column at fault when
    the CSV parser refuses the row: each value's length, the first value whose quoting is
    broken, and whether a quote is left open at the end."""

    lengths: tuple[int, ...]
    broken: int | None
    unclosed: bool

    @property
    def widest(self) -> int:
        """The index of the largest value."""
        return max(range(len(self.lengths)), key=self.lengths.__getitem__)


def quoting(raw: str) -> Quoting:
    """Scan the raw text of one row (comma-separated, ``"`` quotes doubled inside quotes)."""
    lengths, broken = [0], None
    fresh = True
    quoted = closed = False
    i = 0
    while i < len(raw):
        char = raw[i]
        if quoted and char == '"' and raw[i + 1:i + 2] == '"':
            lengths[-1] += 1
            i += 1
        elif quoted and char == '"':
            quoted, closed = False, True
        elif quoted:
            lengths[-1] += 1
        elif char == ",":
            lengths.append(0)
            fresh, closed = True, False
        elif char == '"' and fresh:
            quoted, fresh = True, False
        elif char not in "\r\n":
            if closed and broken is None:  # a value goes on after its closing quote
                broken = len(lengths) - 1
            lengths[-1] += 1
            fresh = False
        i += 1
    if quoted and broken is None:
        broken = len(lengths) - 1
    return Quoting(tuple(lengths), broken, quoted)
