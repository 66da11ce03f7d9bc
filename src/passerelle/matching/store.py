"""Compact storage of watchlist entries: one UTF-8 buffer and an offsets array.

Entries are kept as text, fields separated by U+001F and list items by U+001E, in a single
growing byte buffer; row ``i`` spans ``offsets[i]:offsets[i + 1]``. A million entries take
about a hundred megabytes instead of a Python object graph several times larger, and the
buffer saves and reloads as plain arrays.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from passerelle.matching.model import PersonEntry

_FIELD = "\x1f"
_ITEM = "\x1e"
_CLEAN = str.maketrans({_FIELD: " ", _ITEM: " "})


def encode(entry: PersonEntry) -> bytes:
    """The stored form of an entry."""
    # Each value is cleaned of both separators before the lists are joined: cleaning the
    # joined list would turn its item separators into spaces, one item of them all.
    fields = (
        entry.id, entry.full_name, entry.given_name, entry.family_name,
        entry.name_original_script, _ITEM.join(a.translate(_CLEAN) for a in entry.aliases),
        entry.date_of_birth, entry.place_of_birth,
        _ITEM.join(n.translate(_CLEAN) for n in entry.nationalities),
        entry.document_number, entry.document_country,
    )
    lists = (5, 8)
    return _FIELD.join(f if i in lists else f.translate(_CLEAN)
                       for i, f in enumerate(fields)).encode()


def decode(data: bytes) -> PersonEntry:
    """The entry of a stored form."""
    f = data.decode().split(_FIELD)
    if len(f) != 11:
        raise ValueError(f"a stored entry has {len(f)} fields instead of 11")
    return PersonEntry(
        id=f[0], full_name=f[1], given_name=f[2], family_name=f[3], name_original_script=f[4],
        aliases=tuple(a for a in f[5].split(_ITEM) if a), date_of_birth=f[6],
        place_of_birth=f[7], nationalities=tuple(n for n in f[8].split(_ITEM) if n),
        document_number=f[9], document_country=f[10],
    )


def decode_id(data: bytes) -> str:
    """The id of a stored form, without decoding the rest."""
    end = data.find(b"\x1f")
    return data[: end if end >= 0 else len(data)].decode()


class EntryStore:
    """Append-only rows of entries (a withdrawn entry's row stays, marked dead elsewhere)."""

    def __init__(self, blob: bytes | bytearray = b"",
                 offsets: npt.NDArray[np.int64] | None = None) -> None:
        self._blob = bytearray(blob)
        if offsets is None:
            offsets = np.zeros(1, dtype=np.int64)
        self._size = len(offsets) - 1
        self._offsets = np.zeros(max(1024, len(offsets) * 2), dtype=np.int64)
        self._offsets[: len(offsets)] = offsets

    def __len__(self) -> int:
        return self._size

    def append(self, entry: PersonEntry) -> int:
        """Store an entry; its row number."""
        data = encode(entry)
        self._blob += data
        if self._size + 2 > len(self._offsets):
            grown = np.zeros(len(self._offsets) * 2, dtype=np.int64)
            grown[: len(self._offsets)] = self._offsets
            self._offsets = grown
        self._size += 1
        self._offsets[self._size] = len(self._blob)
        return self._size - 1

    def raw(self, row: int) -> bytes:
        """The stored form of a row."""
        return bytes(self._blob[self._offsets[row]: self._offsets[row + 1]])

    def get(self, row: int) -> PersonEntry:
        """The entry of a row."""
        return decode(self.raw(row))

    def arrays(self) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.int64]]:
        """The buffer and the offsets, for saving."""
        return (np.frombuffer(bytes(self._blob), dtype=np.uint8),
                self._offsets[: self._size + 1].copy())
