"""The name variant lexicon: Latin spellings recorded for the same Arabic-script name.

A name written in Arabic script reaches partner agencies under many Latin spellings (``yusuf``,
``youssef``, ``yousef``...). The lexicon groups the spellings observed for each Arabic-script
form, so the matcher can tell that two Latin spellings are renderings of one name instead of
judging them on letters alone.

The shipped file, ``passerelle/matching/data/name_lexicon.tsv.gz``, is derived from public
transliteration data by ``scripts/derive_name_lexicon.py`` (sources, licences and format in
``passerelle/matching/data/README.md``). Every form is a *key* in the sense of
:func:`passerelle.matching.text.fold`: the Arabic side folded with its letters joined, the Latin
side a single folded word of ``a-z``. Lookups expect folded input; any other string is simply
unknown.

Counts are how often a spelling was observed for a form in the sources: a hint of how usual a
spelling is, not a probability.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from importlib import resources
from typing import NoReturn

_RESOURCE_PACKAGE = "passerelle.matching.data"
_RESOURCE_NAME = "name_lexicon.tsv.gz"
_COUNT = re.compile("[1-9][0-9]*")
_SPELLING = re.compile("[a-z]+:[1-9][0-9]*")
_ROW = re.compile(r"(\S+)\t([1-9][0-9]*)\t([a-z]+:[1-9][0-9]*(?: [a-z]+:[1-9][0-9]*)*)")
_NO_FORMS: tuple[str, ...] = ()


def held_out(arabic_key: str) -> bool:
    """Whether an Arabic-script form is held out of the shipped lexicon (about one in five).

    These forms are left out of the shipped lexicon so evaluation runs on names it never saw:
    a benchmark that measures the matcher on held-out forms measures what the lexicon teaches
    about spelling in general, not its memory of the very pairs it is tested on. The choice is a
    stable hash of the key (first byte of its BLAKE2b digest, divisible by 5), the same on every
    machine and in every release; changing it would let evaluation names leak into the lexicon.
    """
    return hashlib.blake2b(arabic_key.encode("utf-8")).digest()[0] % 5 == 0


def _by_count(counts: Iterable[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counts, key=lambda item: (-item[1], item[0])))


class Lexicon:
    """Arabic-script name forms and the Latin spellings observed for each, with counts.

    Read-only once built. ``len`` and ``in`` speak of Arabic-script keys; iteration yields them
    in sorted order. Unknown forms are not errors: lookups answer empty tuples and zero counts.
    """

    __slots__ = ("_arabic_by_latin", "_arabic_totals", "_latin_by_arabic", "_latin_totals")

    def __init__(self, spellings: Mapping[str, Iterable[tuple[str, int]]]) -> None:
        """Build from each Arabic key's Latin spellings and counts; counts must be positive."""
        ranked: dict[str, tuple[tuple[str, int], ...]] = {}
        for arabic_key, latin_counts in spellings.items():
            ranked[arabic_key] = _by_count(latin_counts)
            if not ranked[arabic_key] or any(count <= 0 for _, count in ranked[arabic_key]):
                raise ValueError(f"Arabic key {arabic_key!r} needs spellings with positive counts")
        self._index(ranked)

    def _index(self, ranked: dict[str, tuple[tuple[str, int], ...]]) -> None:
        # ``ranked`` is trusted: spellings sorted, counts positive. Runs at every process start,
        # hence the plain loops and the single-key fast path (most spellings have one key).
        self._latin_by_arabic = {key: tuple(latin for latin, _ in pairs)
                                 for key, pairs in ranked.items()}
        self._arabic_totals = {key: sum(count for _, count in pairs)
                               for key, pairs in ranked.items()}
        keys_of: dict[str, list[tuple[str, int]]] = {}
        for arabic_key, pairs in ranked.items():
            for latin, count in pairs:
                found = keys_of.get(latin)
                if found is None:
                    keys_of[latin] = [(arabic_key, count)]
                else:
                    found.append((arabic_key, count))
        self._latin_totals: dict[str, int] = {}
        self._arabic_by_latin: dict[str, tuple[str, ...]] = {}
        for latin, found in keys_of.items():
            if len(found) == 1:
                self._latin_totals[latin] = found[0][1]
                self._arabic_by_latin[latin] = (found[0][0],)
            else:
                self._latin_totals[latin] = sum(count for _, count in found)
                self._arabic_by_latin[latin] = tuple(key for key, _ in _by_count(found))

    @classmethod
    def from_lines(cls, lines: Iterable[str]) -> Lexicon:
        """Parse the lexicon file format; ``#`` comments and blank lines are skipped.

        Each row is ``arabic_key<TAB>total_count<TAB>latin:count latin:count ...``. A malformed
        row raises :class:`ValueError` naming its line number (counted from 1).
        """
        ranked: dict[str, tuple[tuple[str, int], ...]] = {}
        for number, line in enumerate(lines, start=1):
            if not line or line[0] == "#" or line.isspace():
                continue
            row = _ROW.fullmatch(line.rstrip("\r\n"))
            if row is None:
                _diagnose(line.rstrip("\r\n"), number)
            arabic_key, total, joined = row.groups()
            if arabic_key in ranked:
                raise ValueError(f"line {number}: Arabic key {arabic_key!r} appears twice")
            ranked[arabic_key] = _row_spellings(joined, int(total), number)
        lexicon = cls.__new__(cls)
        lexicon._index(ranked)
        return lexicon

    def arabic_forms(self, latin: str) -> tuple[str, ...]:
        """The Arabic keys a Latin spelling is recorded for, most frequently observed first."""
        return self._arabic_by_latin.get(latin, _NO_FORMS)

    def latin_forms(self, arabic_key: str) -> tuple[str, ...]:
        """The Latin spellings recorded for an Arabic key, most frequent first, then a-z."""
        return self._latin_by_arabic.get(arabic_key, _NO_FORMS)

    def variants(self, latin: str) -> frozenset[str]:
        """Every Latin spelling that shares an Arabic key with ``latin``, itself included.

        One step only: spellings of spellings are not followed, since chaining through short,
        ambiguous forms would soon make every name a variant of every other.
        """
        found = {latin}
        for arabic_key in self.arabic_forms(latin):
            found.update(self._latin_by_arabic[arabic_key])
        return frozenset(found)

    def latin_count(self, latin: str) -> int:
        """How often a Latin spelling was observed, over all Arabic keys; 0 when unknown."""
        return self._latin_totals.get(latin, 0)

    def arabic_count(self, arabic_key: str) -> int:
        """How often an Arabic key was observed, over all its spellings; 0 when unknown."""
        return self._arabic_totals.get(arabic_key, 0)

    def __len__(self) -> int:
        return len(self._latin_by_arabic)

    def __contains__(self, arabic_key: object) -> bool:
        return arabic_key in self._latin_by_arabic

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._latin_by_arabic))


def _row_spellings(joined: str, total: int, number: int) -> tuple[tuple[str, int], ...]:
    # The row matched the pattern, so every item is latin:count with a positive count.
    pairs = []
    for item in joined.split(" "):
        latin, _, count = item.partition(":")
        pairs.append((latin, int(count)))
    if total != sum(count for _, count in pairs):
        raise ValueError(f"line {number}: total {total} is not the sum of the spelling counts")
    if len(pairs) > 1:
        if len({latin for latin, _ in pairs}) != len(pairs):
            raise ValueError(f"line {number}: a Latin spelling appears twice")
        return _by_count(pairs)
    return tuple(pairs)


def _diagnose(text: str, number: int) -> NoReturn:
    # The slow path, for a row the fast pattern refused: say what is wrong with it.
    fields = text.split("\t")
    if len(fields) != 3:
        raise ValueError(f"line {number}: expected 3 tab-separated fields, found {len(fields)}")
    arabic_key, total, joined = fields
    if not arabic_key or any(c.isspace() for c in arabic_key):
        raise ValueError(f"line {number}: Arabic key is empty or contains spaces")
    if not _COUNT.fullmatch(total):
        raise ValueError(f"line {number}: expected a positive total count, got {total!r}")
    for item in joined.split(" "):
        if not _SPELLING.fullmatch(item):
            raise ValueError(f"line {number}: expected latin:count (a-z, count > 0), got {item!r}")
    raise ValueError(f"line {number}: malformed row")


@functools.cache
def load_lexicon() -> Lexicon:
    """The lexicon shipped with the package, read once per process.

    Shared by every caller: treat it as read-only. Needs nothing outside the installed package.
    """
    raw = resources.files(_RESOURCE_PACKAGE).joinpath(_RESOURCE_NAME).read_bytes()
    return Lexicon.from_lines(gzip.decompress(raw).decode("utf-8").splitlines())


def lexicon_rows(spellings: Mapping[str, Sequence[tuple[str, int]]]) -> Iterator[str]:
    """The file rows for a mapping of Arabic key to Latin spellings, in canonical order.

    Sorted by Arabic key, spellings by descending count then a-z, so that the same data always
    gives the same bytes. Used by the derivation script and by tests; the inverse of
    :meth:`Lexicon.from_lines` for the rows (comments aside).
    """
    for arabic_key in sorted(spellings):
        ranked = _by_count(spellings[arabic_key])
        total = sum(count for _, count in ranked)
        joined = " ".join(f"{latin}:{count}" for latin, count in ranked)
        yield f"{arabic_key}\t{total}\t{joined}"
