"""Blocking keys: which watchlist entries are worth comparing with a traveller.

An entry is filed under keys derived from its names, date and document, each a 64-bit hash:

* ``s:`` every skeleton reading of every name word (in every script and convention), and for
  skeletons of four classes or more, each skeleton with one class deleted, so that two words
  one edit apart (a typo, a dropped h) share a key;
* ``y:`` the default skeleton of each word with the year of birth (a traveller is looked up
  under their year and the years either side), and ``m:`` with the year and month, which
  rank namesakes born the same year and month first when a name is very common;
* ``d:`` the document number with confusable letters folded.

Retrieval adds, for each entry, the inverse document frequency of the keys it shares with
the query; the best-ranked entries are then compared in full by the scorer.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from functools import lru_cache

from passerelle.matching.dates import parse_birth_date
from passerelle.matching.documents import confusion_key
from passerelle.matching.model import PersonEntry
from passerelle.matching.names import Word, analyse

MIN_DELETION_LENGTH = 4
MAX_READINGS = 3


@lru_cache(maxsize=2_000_000)
def key_hash(key: str) -> int:
    """A stable 63-bit hash of a key (the same on every machine and run)."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little") >> 1


#: How much a shared key of each kind counts when candidates are ranked (times its IDF):
#: a shared document number settles it, a name word with the year of birth counts more
#: than the word alone, a word one edit away less.
KIND_WEIGHTS = {"s": 1.0, "e": 0.35, "y": 1.5, "m": 1.5, "d": 12.0}


@lru_cache(maxsize=200_000)
def _skeleton_keys(skeleton: str) -> tuple[str, ...]:
    keys = ["s:" + skeleton]
    if len(skeleton) >= MIN_DELETION_LENGTH:
        keys += ["e:" + skeleton[:i] + skeleton[i + 1:] for i in range(len(skeleton))]
    return tuple(dict.fromkeys(keys))


def _readings(word: Word) -> Iterator[str]:
    """The skeletons a word is filed under: its first readings and any with a convention
    behind it, and ``=`` + the word itself for a reading without consonants."""
    for skeleton, _notes in word.readings[:MAX_READINGS] + tuple(
            r for r in word.readings[MAX_READINGS:] if r[1]):
        if skeleton:
            yield skeleton
        elif word.text:
            yield "=" + word.text


@lru_cache(maxsize=400_000)
def _name_keys(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(skeleton keys, default skeletons) of one written name."""
    keys: dict[str, None] = {}
    defaults: dict[str, None] = {}
    for word in analyse(name).words:
        if not word.readings:
            continue
        if word.key:
            defaults.setdefault(word.key, None)
        for reading in _readings(word):
            if reading.startswith("="):
                keys.setdefault("s:" + reading, None)
            else:
                keys.update(dict.fromkeys(_skeleton_keys(reading)))
    return tuple(keys), tuple(defaults)


@lru_cache(maxsize=400_000)
def spelling_keys(name: str) -> tuple[tuple[str, ...], ...]:
    """The ``s:`` skeleton keys of each word of a written name, one tuple per word that has
    readings, in the order written.

    Two spellings of a word in any script or convention share a key ("Youssef", "Yusuf",
    "Youssouf" and "يوسف" are all ``s:SF``; "Jusuf" is ``s:JSF``, ``s:XSF`` or ``s:SF``), so a
    word matches another when their tuples intersect. These are the whole-skeleton keys of the
    blocking index, without the one-deletion ``e:`` keys: a search index built on them finds
    spellings, not typos. Particles ("El", "bin") have no readings and give no tuple.
    """
    out: list[tuple[str, ...]] = []
    for word in analyse(name).words:
        keys = tuple(dict.fromkeys("s:" + reading for reading in _readings(word)))
        if keys:
            out.append(keys)
    return tuple(out)


def name_skeletons(entry: PersonEntry) -> set[str]:
    """The default skeletons of every word of every name of the entry (counted per entry)."""
    out: set[str] = set()
    for name in entry.names():
        out.update(_name_keys(name)[1])
    return out


def entry_keys(entry: PersonEntry, *, query: bool = False) -> list[tuple[int, float]]:
    """The hashed blocking keys of an entry with their kind's weight.

    A query also looks at the years either side of its year of birth, and matches a word
    one edit away both ways: its own deletions against the entries' whole skeletons and
    the entries' deletions, and its whole skeletons against the entries' deletions.
    """
    skeleton_keys: dict[str, None] = {}
    defaults: dict[str, None] = {}
    for name in entry.names():
        keys, skeletons = _name_keys(name)
        skeleton_keys.update(dict.fromkeys(keys))
        defaults.update(dict.fromkeys(skeletons))
    out = [(key_hash(k), KIND_WEIGHTS[k[0]]) for k in skeleton_keys]
    if query:
        # One edit either way: an extra class in the entry (its deletion equals our
        # skeleton) or in the query (our deletion equals its skeleton).
        crossed = {("e:" if k[0] == "s" else "s:") + k[2:] for k in skeleton_keys}
        out += [(key_hash(k), KIND_WEIGHTS["e"]) for k in crossed - skeleton_keys.keys()]
    date = parse_birth_date(entry.date_of_birth)
    if date is not None:
        years = (date.year - 1, date.year, date.year + 1) if query else (date.year,)
        out += [(key_hash(f"y:{year}:{skel}"), KIND_WEIGHTS["y"])
                for year in years for skel in defaults]
        if date.month is not None and not date.defaulted:
            out += [(key_hash(f"m:{date.year}-{date.month}:{skel}"), KIND_WEIGHTS["m"])
                    for skel in defaults]
    if entry.document_number.strip():
        document = confusion_key(entry.document_number)
        if len(document) >= 5:
            out.append((key_hash("d:" + document), KIND_WEIGHTS["d"]))
    return out
