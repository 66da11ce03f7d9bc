"""The labelled pairs of the matcher's quality benchmark (``bench/matching_quality.py``).

Each task is a list of :class:`Pair` (a query entry, a candidate entry, the truth), built from a
seed alone, so two runs with the same seed and sizes score the very same pairs. Most tasks are
*query-shaped*: every query (a traveller) meets its one true match and ``negatives`` entries
that are someone else, which is what "false alerts per 100 travellers" counts against.

Names come from public transliteration data (``../shared/data/names``), and only from the part
the shipped lexicon never saw: Arabic keys that :func:`passerelle.matching.lexicon.held_out`
holds out, plus the google/transliteration eval and test words whose Arabic key the shipped
lexicon does not hold (the lexicon is derived from the other Wikidata rows and the *train*
split). Rows go through the lexicon derivation's own noise rule (``normalise``, ``plausible``),
so a positive pair is a real transliteration, not a data-entry slip. Negatives are never a
known reading of the query: a candidate whose Arabic key is one the query's Latin spelling is
recorded for (in the evaluation rows or in the shipped lexicon) is not used as a negative.

Tasks built from the data: ``cross_script_tokens``, ``cross_script_names``,
``latin_variants``, ``with_dob``, ``nomenklatura``; ``synthetic`` needs no data (see
:mod:`quality_people`).
"""

from __future__ import annotations

import csv
import math
import random
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import accumulate
from pathlib import Path

from rapidfuzz.distance import OSA
from scripts.derive_name_lexicon import (
    NETRANSLITERATION,
    normalise,
    plausible,
    read_google,
    read_netransliteration,
)

from passerelle.matching.lexicon import held_out, load_lexicon
from passerelle.matching.model import PersonEntry
from passerelle.matching.text import fold

#: ``../shared/data/names`` beside the repository (absent from a user's clone).
NAMES_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "names"
GOOGLE_EVALUATION = ("google-ar2en-eval.txt", "google-ar2en-test.txt")
NOMENKLATURA_CASES = "nomenklatura-name-bench-cases.csv"
THREE_PART_SHARE = 0.3  # names of three words (given, middle, family) in cross_script_names


@dataclass(frozen=True, slots=True)
class Pair:
    """One labelled comparison: the query (the traveller) against one candidate.

    ``kind`` says how the candidate was chosen (``match``, ``random``, ``neighbour``: a name
    starting with the same two letters, ``same_given``, ``same_family``, ``same_year``,
    ``case``); ``group`` numbers the query within its task.
    """

    query: PersonEntry
    candidate: PersonEntry
    is_match: bool
    kind: str
    group: int


@dataclass(frozen=True, slots=True)
class Task:
    """A named set of pairs; ``queries`` is what "per 100 travellers" divides by."""

    name: str
    what: str
    pairs: tuple[Pair, ...]
    queries: int
    negatives_per_query: int | None  # None: pairs as published, not query-shaped
    dates: bool = False

    @property
    def positives(self) -> int:
        """How many pairs are the same person."""
        return sum(p.is_match for p in self.pairs)


@dataclass(frozen=True, slots=True)
class Sizes:
    """How many queries a task has (at most) and how many negatives each query meets."""

    positives: int = 2000
    negatives: int = 20
    population: int = 50_000  # synthetic people generated to find namesakes

    @classmethod
    def limited(cls, limit: int | None, positives: int, negatives: int,
                population: int) -> Sizes:
        """Sizes keeping each task under ``limit`` pairs (one positive and its negatives each)."""
        if limit is not None:
            positives = max(1, min(positives, limit // (1 + negatives)))
        return cls(positives, negatives, population)


@dataclass(frozen=True)
class EvaluationNames:
    """Held-out Arabic keys with their Latin spellings (and counts) and Arabic spelling."""

    spellings: dict[str, Counter[str]]
    arabic: dict[str, str]
    readings: dict[str, frozenset[str]]  # Latin word -> every Arabic key it is recorded for

    def ordered_keys(self) -> list[str]:
        """The Arabic keys, in a fixed order."""
        return sorted(self.spellings)

    def weight(self, key: str) -> float:
        """How likely a key is to be drawn: the square root of how often it was observed, so
        common names come up often without drowning the rest."""
        return math.sqrt(sum(self.spellings[key].values()))

    def is_reading(self, latin: str, key: str) -> bool:
        """Whether ``latin`` is recorded as a spelling of ``key`` anywhere we know of."""
        return key in self.readings.get(latin, frozenset())


def load_evaluation_names(names: Path) -> EvaluationNames:
    """The evaluation rows: held-out Wikidata keys and the unseen google eval/test words."""
    lexicon = load_lexicon()
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    rows: list[tuple[str, str, int]] = [
        (arabic, latin, count)
        for arabic, latin, count in read_netransliteration(names / NETRANSLITERATION)
        if held_out(fold(arabic).replace(" ", ""))]
    for file in GOOGLE_EVALUATION:
        rows += read_google(names / file)
    for arabic, latin, count in rows:
        pair = normalise(arabic, latin)
        if isinstance(pair, str) or lexicon.latin_forms(pair[0]):
            continue  # not a clean pair, or a key the shipped lexicon was derived from
        key, word = pair
        if plausible(key, word) is None:
            spellings[key][word] += count
            forms[key]["".join(arabic.split())] += count
    readings: dict[str, set[str]] = defaultdict(set)
    for key, words in spellings.items():
        for word in words:
            readings[word].add(key)
    known = {word: frozenset(keys | set(lexicon.arabic_forms(word)))
             for word, keys in readings.items()}
    return EvaluationNames(dict(spellings), {k: _top(c) for k, c in forms.items()}, known)


def _ranked(counts: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _top(counts: Counter[str]) -> str:
    return _ranked(counts)[0][0]


class Drawer:
    """Seeded draws of Arabic keys (by weight) and of spellings (by count)."""

    def __init__(self, names: EvaluationNames, rng: random.Random) -> None:
        self.names, self.rng = names, rng
        self.keys = names.ordered_keys()
        self._cumulative = list(accumulate(names.weight(k) for k in self.keys))

    def key(self) -> str:
        """A key drawn with replacement, by weight."""
        x = self.rng.random() * self._cumulative[-1]
        return self.keys[min(bisect_right(self._cumulative, x), len(self.keys) - 1)]

    def sample(self, keys: Sequence[str], n: int) -> list[str]:
        """``n`` distinct keys by weight (Efraimidis-Spirakis), in the order drawn."""
        scored = sorted(((self.rng.random() ** (1.0 / self.names.weight(k)), k) for k in keys),
                        reverse=True)
        return [k for _, k in scored[:n]]

    def spelling(self, key: str) -> str:
        """One Latin spelling of the key, the common ones more often."""
        words = sorted(self.names.spellings[key].items())
        return self.rng.choices([w for w, _ in words], weights=[c for _, c in words])[0]


def _entry(entry_id: str, name: str) -> PersonEntry:
    return PersonEntry(id=entry_id, full_name=name)


def _latin(words: Iterable[str]) -> str:
    return " ".join(w.title() for w in words)


def _prefixes(names: EvaluationNames, words: dict[str, str]) -> dict[str, list[str]]:
    # Keys by the first two letters of their usual spelling: the "neighbour" negatives, names
    # that start alike as a blocking index would put them side by side.
    out: dict[str, list[str]] = defaultdict(list)
    for key in names.ordered_keys():
        out[words[key][:2]].append(key)
    return out


def _usual(names: EvaluationNames) -> dict[str, str]:
    return {k: _top(c) for k, c in names.spellings.items()}


def _negative_keys(drawer: Drawer, key: str, count: int, neighbours: Sequence[str],
                   usable: Callable[[str], bool]) -> list[tuple[str, str]]:
    """``count`` other keys that pass ``usable``: half start alike, half random.

    Arabic keys one edit apart (دميتري / ديمتري, هرمان / هيرمان) are as often as not two
    spellings of one name: such a key is never drawn as the other's negative, whatever the
    sources say, so that label noise does not reward a matcher for telling them apart.
    """
    usable = partial(_distinct_name, key, usable)
    near = [k for k in neighbours if k != key and usable(k)]
    chosen = [(k, "neighbour") for k in drawer.rng.sample(near, min(len(near), count // 2))]
    seen = {k for k, _ in chosen} | {key}
    while len(chosen) < count:
        other = drawer.key()
        if other not in seen and usable(other):
            seen.add(other)
            chosen.append((other, "random"))
    return chosen


def cross_script_tokens(names: EvaluationNames, seed: int, sizes: Sizes) -> Task:
    """One name word in Latin script against Arabic script: the same row or another's."""
    drawer = Drawer(names, random.Random(f"{seed}:cross_script_tokens"))
    prefixes = _prefixes(names, _usual(names))
    pairs: list[Pair] = []
    keys = drawer.sample(drawer.keys, sizes.positives)
    for q, key in enumerate(keys):
        word = drawer.spelling(key)
        query = _entry(f"tok{q}", _latin([word]))
        pairs.append(Pair(query, _entry(f"tok{q}-m", names.arabic[key]), True, "match", q))
        for j, (other, kind) in enumerate(_negative_keys(
                drawer, key, sizes.negatives, prefixes[word[:2]],
                partial(_not_a_reading, names, word))):
            pairs.append(Pair(query, _entry(f"tok{q}-{j}", names.arabic[other]), False, kind, q))
    return Task("cross_script_tokens", "one held-out name word, Latin vs Arabic script",
                tuple(pairs), len(keys), sizes.negatives)


def cross_script_names(names: EvaluationNames, seed: int, sizes: Sizes) -> Task:
    """Two- and three-word names of held-out words, Latin against Arabic script; negatives
    share the given name or the family name (a fifth each) or nothing."""
    drawer = Drawer(names, random.Random(f"{seed}:cross_script_names"))
    rng = drawer.rng
    pairs: list[Pair] = []
    hard = sizes.negatives // 5
    for q in range(sizes.positives):
        keys = _distinct(drawer, 3 if rng.random() < THREE_PART_SHARE else 2)
        words = [drawer.spelling(k) for k in keys]
        query = _entry(f"nam{q}", _latin(words))
        pairs.append(Pair(query, _entry(f"nam{q}-m", _arabic(names, keys)), True, "match", q))
        plans = ["same_given"] * hard + ["same_family"] * hard
        plans += ["random"] * (sizes.negatives - len(plans))
        for j, kind in enumerate(plans):
            other = _negative_name(drawer, keys, words, kind)
            pairs.append(Pair(query, _entry(f"nam{q}-{j}", _arabic(names, other)), False, kind, q))
    return Task("cross_script_names", "given (middle) family names of held-out words, "
                "Latin vs Arabic script", tuple(pairs), sizes.positives, sizes.negatives)


def _distinct(drawer: Drawer, n: int) -> list[str]:
    keys: list[str] = []
    while len(keys) < n:
        key = drawer.key()
        if key not in keys:
            keys.append(key)
    return keys


def _arabic(names: EvaluationNames, keys: Sequence[str]) -> str:
    return " ".join(names.arabic[k] for k in keys)


def _negative_name(drawer: Drawer, keys: list[str], words: list[str], kind: str) -> list[str]:
    """Another name, no word of which all could be readings of the query's words."""
    def readable(key: str) -> bool:
        return any(drawer.names.is_reading(w, key) for w in words)
    while True:
        if kind == "same_given":
            other = [keys[0], drawer.key()]
        elif kind == "same_family":
            other = [drawer.key(), keys[-1]]
        else:
            other = _distinct(drawer, 3 if drawer.rng.random() < THREE_PART_SHARE else 2)
        if len(set(other)) == len(other) and not all(readable(k) for k in other):
            return other


def latin_variants(names: EvaluationNames, seed: int, sizes: Sizes) -> Task:
    """Two Latin spellings of one held-out Arabic key, against spellings of other keys.

    Each key with several spellings gives up to two pairs: its two commonest spellings, then
    the commonest with the third, so that one-off misspellings are rarely the pair.
    """
    drawer = Drawer(names, random.Random(f"{seed}:latin_variants"))
    rng, usual = drawer.rng, _usual(names)
    slots = [(key, i) for key in drawer.keys for i in range(min(2, len(names.spellings[key]) - 1))]
    chosen = sorted(((rng.random() ** (1.0 / names.weight(k)), k, i) for k, i in slots),
                    reverse=True)[:sizes.positives]
    prefixes = _prefixes(names, usual)
    pairs: list[Pair] = []
    for q, (_, key, slot) in enumerate(chosen):
        ranked = [w for w, _ in _ranked(names.spellings[key])]
        first, second = ranked[0], ranked[1 + slot]
        if rng.random() < 0.5:
            first, second = second, first
        query = _entry(f"var{q}", _latin([first]))
        pairs.append(Pair(query, _entry(f"var{q}-m", _latin([second])), True, "match", q))
        negatives = _negative_keys(drawer, key, sizes.negatives, prefixes[first[:2]],
                                   partial(_has_unrelated, names, first))
        for j, (other, kind) in enumerate(negatives):
            spellings = _unrelated(names, other, first)
            word = rng.choices([w for w, _ in spellings], weights=[c for _, c in spellings])[0]
            pairs.append(Pair(query, _entry(f"var{q}-{j}", _latin([word])), False, kind, q))
    return Task("latin_variants", "two Latin spellings of one held-out Arabic name word",
                tuple(pairs), len(chosen), sizes.negatives)


def _distinct_name(key: str, usable: Callable[[str], bool], other: str) -> bool:
    return OSA.distance(key, other) > 1 and usable(other)


def _not_a_reading(names: EvaluationNames, word: str, key: str) -> bool:
    return not names.is_reading(word, key)


def _has_unrelated(names: EvaluationNames, query: str, key: str) -> bool:
    return bool(_unrelated(names, key, query))


def _unrelated(names: EvaluationNames, key: str, query: str) -> list[tuple[str, int]]:
    """The spellings of another key (with counts) that share no Arabic key with ``query``."""
    query_keys = names.readings.get(query, frozenset())
    return [(w, c) for w, c in sorted(names.spellings[key].items())
            if w != query and not names.readings.get(w, frozenset()) & query_keys]


def nomenklatura_cases(path: Path, seed: int, limit: int | None) -> Task:
    """The Person cases of OpenSanctions' name benchmark, as published (name1 vs name2)."""
    with path.open(encoding="utf-8", newline="") as file:
        rows = [row for row in csv.DictReader(file) if row["schema"] == "Person"]
    if limit is not None and limit < len(rows):
        picked = sorted(random.Random(f"{seed}:nomenklatura").sample(range(len(rows)), limit))
        rows = [rows[i] for i in picked]
    pairs = tuple(
        Pair(_entry(f"nk{i}-a", row["name1"]), _entry(f"nk{i}-b", row["name2"]),
             row["is_match"].strip().lower() == "true", "case", i)
        for i, row in enumerate(rows))
    return Task("nomenklatura", "Person cases of nomenklatura's name benchmark", pairs,
                max(1, sum(p.is_match for p in pairs)), None)
