"""The screening index: a watchlist that answers "who on the list could this be?".

Entries are filed under blocking keys (:mod:`passerelle.matching.blocking`) held as numpy
arrays: the sorted unique key hashes, the start of each key's postings, and the postings
(row numbers), plus a small table of postings added since the arrays were last rebuilt. A
withdrawn entry is marked dead at once and its postings are skipped until the next rebuild,
so both an alert raised and an alert withdrawn take effect on the very next query.

A query collects the postings of its keys, ranks entries by the summed inverse document
frequency of the keys they share (keys shared by more than ``MAX_POSTINGS`` entries, such as
the skeleton of "Mohamed", are too common to rank anything and are skipped), and compares the
best ``candidates`` in full (:func:`passerelle.matching.scoring.compare`) with name
frequencies counted on the list itself.

Indexes are saved as one ``.npz`` file of plain arrays, loaded with ``allow_pickle=False`` and
checked before use: a damaged or foreign file is refused, never executed.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from passerelle.matching.blocking import entry_keys, name_skeletons
from passerelle.matching.frequencies import NameFrequencies
from passerelle.matching.model import (
    DEFAULT_THRESHOLD,
    Comparison,
    Hit,
    MatchingInputError,
    PersonEntry,
)
from passerelle.matching.scoring import compare as compare_entries
from passerelle.matching.scoring import prior_bits
from passerelle.matching.store import EntryStore, decode_id

FORMAT = "passerelle-matcher"
VERSION = 1
MAX_POSTINGS = 20_000
PENDING_LIMIT = 300_000
CHUNK = 10_000
RELATIVE_FLOOR = 0.4
#: Always compared in full, whatever their share (a shared stolen document must not hide
#: the entry that matches by name).
MIN_CANDIDATES = 3
#: Postings kept before duplicates are removed: a row repeats once per key it shares.
WIDEN = 30
_EMPTY_KEYS: npt.NDArray[np.uint64] = np.zeros(0, dtype=np.uint64)


class MatcherFileError(ValueError):
    """A saved index that cannot be loaded; the message says what is wrong."""


def validate(entry: PersonEntry) -> None:
    """Refuse an entry the matcher cannot use, naming the field."""
    if not entry.id.strip():
        raise MatchingInputError("id", "is empty")
    if not any(name.strip() for name in entry.names()):
        raise MatchingInputError("full_name", "the entry has no name")


def compare(a: PersonEntry, b: PersonEntry) -> Comparison:
    """The calibrated comparison of two entries, with the features that made it.

    Name frequencies are the prior ones (no list is counted); see :class:`Matcher` for
    comparisons weighed against a watchlist.
    """
    validate(a)
    validate(b)
    return compare_entries(a, b)


class Matcher:
    """A watchlist index with incremental add/remove and batch screening."""

    def __init__(self, *, threshold: float = DEFAULT_THRESHOLD, candidates: int = 40) -> None:
        if not 0.0 <= threshold <= 1.0:
            raise MatchingInputError("threshold", "must be between 0 and 1")
        self.threshold = threshold
        self.candidates = candidates
        self._store = EntryStore()
        self._alive = np.zeros(1024, dtype=np.bool_)
        self._rows: dict[str, int] = {}
        self._keys: npt.NDArray[np.uint64] = _EMPTY_KEYS
        self._starts: npt.NDArray[np.int64] = np.zeros(1, dtype=np.int64)
        self._postings: npt.NDArray[np.int32] = np.zeros(0, dtype=np.int32)
        self._pending: dict[int, list[int]] = {}
        self._pending_count = 0
        self._counts: dict[str, int] = {}
        self._scratch: npt.NDArray[np.float64] = np.zeros(0, dtype=np.float64)
        self._frequencies = NameFrequencies(self._count, self.__len__)

    # -- size and membership -------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._rows

    def _count(self, key: str) -> int:
        return self._counts.get(key, 0)

    def get(self, entry_id: str) -> PersonEntry | None:
        """The indexed entry with this id, if any."""
        row = self._rows.get(entry_id)
        return None if row is None else self._store.get(row)

    # -- changes -------------------------------------------------------------------------

    def _store_entry(self, entry: PersonEntry) -> tuple[int, list[int]]:
        validate(entry)
        keys = [key for key, _weight in entry_keys(entry)]
        if entry.id in self._rows:
            self.remove(entry.id)
        row = self._store.append(entry)
        if row >= len(self._alive):
            grown = np.zeros(len(self._alive) * 2, dtype=np.bool_)
            grown[: len(self._alive)] = self._alive
            self._alive = grown
        self._alive[row] = True
        self._rows[entry.id] = row
        for skeleton in name_skeletons(entry):
            self._counts[skeleton] = self._counts.get(skeleton, 0) + 1
        self._frequencies.forget()
        return row, keys

    def add(self, entry: PersonEntry) -> None:
        """Index an entry (replacing any entry with the same id); takes effect at once."""
        row, keys = self._store_entry(entry)
        for key in set(keys):
            self._pending.setdefault(key, []).append(row)
        self._pending_count += len(keys)
        if self._pending_count > PENDING_LIMIT:
            self.compact()

    def add_many(self, entries: Iterable[PersonEntry],
                 progress: Callable[[int], None] | None = None) -> int:
        """Index many entries at once; ``progress(n)`` gets the count done after each chunk.

        Entries are validated one by one: the first invalid entry raises MatchingInputError
        (entries before it stay indexed). Returns the number of entries indexed.
        """
        hashes: list[int] = []
        rows: list[int] = []
        done = 0
        try:
            for entry in entries:
                row, keys = self._store_entry(entry)
                unique = set(keys)
                hashes.extend(unique)
                rows.extend([row] * len(unique))
                done += 1
                if progress is not None and done % CHUNK == 0:
                    progress(done)
        finally:
            self._merge(np.array(hashes, dtype=np.uint64), np.array(rows, dtype=np.int32))
        if progress is not None:
            progress(done)
        return done

    def remove(self, entry_id: str) -> bool:
        """Withdraw an entry; True if it was there. Takes effect at once."""
        row = self._rows.pop(entry_id, None)
        if row is None:
            return False
        self._alive[row] = False
        for skeleton in name_skeletons(self._store.get(row)):
            left = self._counts.get(skeleton, 0) - 1
            if left > 0:
                self._counts[skeleton] = left
            else:
                self._counts.pop(skeleton, None)
        self._frequencies.forget()
        return True

    def compact(self) -> None:
        """Fold the postings added one by one into the sorted arrays, dropping dead rows."""
        if self._pending:
            sizes = [len(rows) for rows in self._pending.values()]
            hashes = np.repeat(np.array(list(self._pending), dtype=np.uint64), sizes)
            rows = np.array([r for rs in self._pending.values() for r in rs], dtype=np.int32)
            self._pending = {}
            self._pending_count = 0
            self._merge(hashes, rows)
        elif len(self._postings) and not self._alive[self._postings].all():
            self._merge(np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int32))

    def _merge(self, hashes: npt.NDArray[np.uint64], rows: npt.NDArray[np.int32]) -> None:
        old_hashes = np.repeat(self._keys, np.diff(self._starts))
        all_hashes = np.concatenate([old_hashes, hashes])
        all_rows = np.concatenate([self._postings, rows])
        keep = self._alive[all_rows]
        all_hashes, all_rows = all_hashes[keep], all_rows[keep]
        order = np.lexsort((all_rows, all_hashes))
        all_hashes, all_rows = all_hashes[order], all_rows[order]
        keys, starts = np.unique(all_hashes, return_index=True)
        self._keys = keys
        self._starts = np.append(starts, len(all_hashes)).astype(np.int64)
        self._postings = np.ascontiguousarray(all_rows, dtype=np.int32)

    # -- queries -------------------------------------------------------------------------

    def _candidates(self, entry: PersonEntry) -> npt.NDArray[np.int64]:
        weighted = dict(entry_keys(entry, query=True))
        keys = list(weighted)
        if not keys or not self._rows:
            return np.zeros(0, dtype=np.int64)
        population = len(self._store)
        wanted = np.array(keys, dtype=np.uint64)
        slots = np.searchsorted(self._keys, wanted)
        chunks: list[npt.NDArray[np.int32]] = []
        weights: list[float] = []
        for key, slot in zip(keys, slots.tolist(), strict=True):
            found: npt.NDArray[np.int32] | None = None
            if slot < len(self._keys) and int(self._keys[slot]) == key:
                found = self._postings[self._starts[slot]: self._starts[slot + 1]]
            extra = self._pending.get(key)
            if extra:
                more = np.array(extra, dtype=np.int32)
                found = more if found is None else np.concatenate([found, more])
            if found is None or len(found) > MAX_POSTINGS:
                continue
            chunks.append(found)
            weights.append(weighted[key] * math.log(1.0 + population / len(found)))
        if not chunks:
            return np.zeros(0, dtype=np.int64)
        # Rows are unique within a key, so each key's weight is added to a scratch array
        # by plain fancy indexing; no sort of the (possibly long) postings is needed.
        scratch = self._scratch_for(population)
        for found, weight in zip(chunks, weights, strict=True):
            scratch[found] += weight
        touched = np.concatenate(chunks)
        scores = scratch[touched] * self._alive[touched]
        scratch[touched] = 0.0
        wide = self.candidates * WIDEN
        if len(touched) > wide:
            top = np.argpartition(-scores, wide)[:wide]
            touched, scores = touched[top], scores[top]
        rows, first = np.unique(touched, return_index=True)
        scores = scores[first]
        live = scores > 0.0
        rows, scores = rows[live], scores[live]
        if len(rows) > self.candidates:
            best = np.argpartition(-scores, self.candidates)[: self.candidates]
            rows, scores = rows[best], scores[best]
        if len(rows) > MIN_CANDIDATES:
            # Beyond the few best, entries sharing only a fraction of what the best
            # candidate shares are not worth a full comparison.
            order = np.argsort(-scores, kind="stable")
            rows, scores = rows[order], scores[order]
            keep = scores >= RELATIVE_FLOOR * scores[0]
            keep[:MIN_CANDIDATES] = True
            rows = rows[keep]
        return rows.astype(np.int64)

    def _scratch_for(self, size: int) -> npt.NDArray[np.float64]:
        if len(self._scratch) < size:
            self._scratch = np.zeros(max(1024, size * 2), dtype=np.float64)
        return self._scratch

    def query(self, entry: PersonEntry, *, threshold: float | None = None,
              top: int = 10) -> list[Hit]:
        """The best hits for one person at or above the threshold, best first."""
        validate(entry)
        limit = self.threshold if threshold is None else threshold
        hits: list[Hit] = []
        prior = prior_bits(len(self._rows))
        for row in self._candidates(entry).tolist():
            candidate = self._store.get(row)
            comparison = compare_entries(entry, candidate, self._frequencies, prior)
            if comparison.score >= limit:
                hits.append(Hit(candidate.id, comparison))
        hits.sort(key=lambda h: (-h.score, h.entry_id))
        return hits[:top]

    def query_many(self, entries: Iterable[PersonEntry], *, threshold: float | None = None,
                   top: int = 10) -> Iterator[tuple[PersonEntry, list[Hit]]]:
        """Screen many people; yields each with its hits, in input order."""
        for entry in entries:
            yield entry, self.query(entry, threshold=threshold, top=top)

    def compare(self, a: PersonEntry, b: PersonEntry) -> Comparison:
        """Compare two entries with name frequencies counted on this list."""
        validate(a)
        validate(b)
        return compare_entries(a, b, self._frequencies, prior_bits(len(self._rows)))

    # -- persistence ---------------------------------------------------------------------

    def save(self, path: Path) -> None:
        """Persist the index as one ``.npz`` of plain arrays (never pickle)."""
        self.compact()
        blob, offsets = self._store.arrays()
        count_keys = "\n".join(self._counts).encode()
        meta = {"format": FORMAT, "version": VERSION, "threshold": self.threshold,
                "candidates": self.candidates, "entries": len(self._store)}
        tmp = path.with_name(path.name + ".tmp")
        with tmp.open("wb") as out:
            np.savez(
                out,
                meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8),
                keys=self._keys, starts=self._starts, postings=self._postings,
                alive=self._alive[: len(self._store)], blob=blob, offsets=offsets,
                count_keys=np.frombuffer(count_keys, dtype=np.uint8),
                count_values=np.array(list(self._counts.values()), dtype=np.int64),
            )
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> Matcher:
        """Reload an index written by :meth:`save`, refusing anything malformed."""
        try:
            with np.load(path, allow_pickle=False) as data:
                arrays = {name: data[name] for name in data.files}
        except (OSError, ValueError, EOFError) as error:
            raise MatcherFileError(f"{path}: not a readable index ({error})") from None
        return cls._from_arrays(path, arrays)

    @classmethod
    def _from_arrays(cls, path: Path, arrays: dict[str, Any]) -> Matcher:
        def fail(why: str) -> MatcherFileError:
            return MatcherFileError(f"{path}: {why}")

        expected = {"meta", "keys", "starts", "postings", "alive", "blob", "offsets",
                    "count_keys", "count_values"}
        if set(arrays) != expected:
            raise fail(f"arrays {sorted(set(arrays) ^ expected)} missing or unexpected")
        try:
            meta = json.loads(arrays["meta"].tobytes().decode())
        except (UnicodeDecodeError, ValueError):
            raise fail("its header is not JSON") from None
        if not isinstance(meta, dict) or meta.get("format") != FORMAT:
            raise fail("not a Passerelle matcher index")
        if meta.get("version") != VERSION:
            raise fail(f"index version {meta.get('version')} is not {VERSION}")
        keys, starts, postings = arrays["keys"], arrays["starts"], arrays["postings"]
        alive, blob, offsets = arrays["alive"], arrays["blob"], arrays["offsets"]
        size = len(offsets) - 1
        checks = [
            (keys.dtype == np.uint64 and starts.dtype == np.int64
             and postings.dtype == np.int32 and alive.dtype == np.bool_
             and blob.dtype == np.uint8 and offsets.dtype == np.int64, "wrong array types"),
            (len(starts) == len(keys) + 1 and size >= 0 and len(alive) == size,
             "array lengths disagree"),
            (bool(np.all(np.diff(keys.astype(np.float64)) >= 0)) if len(keys) else True,
             "keys are not sorted"),
            (len(starts) > 0 and starts[0] == 0 and starts[-1] == len(postings)
             and bool(np.all(np.diff(starts) > 0)), "postings offsets are broken"),
            (len(postings) == 0 or (postings.min() >= 0 and postings.max() < size),
             "postings point outside the entries"),
            (len(offsets) > 0 and offsets[0] == 0 and offsets[-1] == len(blob)
             and bool(np.all(np.diff(offsets) >= 0)), "entry offsets are broken"),
        ]
        for ok, why in checks:
            if not ok:
                raise fail(why)
        matcher = cls(threshold=float(meta.get("threshold", DEFAULT_THRESHOLD)),
                      candidates=int(meta.get("candidates", 30)))
        matcher._store = EntryStore(blob.tobytes(), offsets)
        matcher._alive = np.zeros(max(1024, size * 2), dtype=np.bool_)
        matcher._alive[:size] = alive
        matcher._keys, matcher._starts, matcher._postings = keys, starts, postings
        raw_blob = blob.tobytes()
        try:
            for row in np.flatnonzero(alive).tolist():
                matcher._rows[decode_id(raw_blob[offsets[row]: offsets[row + 1]])] = row
            count_keys = arrays["count_keys"].tobytes().decode().split("\n")
        except UnicodeDecodeError:
            raise fail("entries are not UTF-8") from None
        values = arrays["count_values"].tolist()
        if count_keys == [""] and not values:
            count_keys = []
        if len(count_keys) != len(values):
            raise fail("name counts are broken")
        matcher._counts = dict(zip(count_keys, values, strict=True))
        return matcher
