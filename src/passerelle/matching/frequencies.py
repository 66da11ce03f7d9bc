"""How common a name is: the chance that two different people agree on it by accident.

In Fellegi-Sunter terms this is the *u*-probability of agreement on a name word. A shared
"Mohamed" says little (many people bear it), a shared "Abdeslam" a lot. Names are counted by
skeleton (:mod:`passerelle.matching.skeleton`), the level at which the matcher agrees.

Three sources, from the most general to the most specific:

* a floor by skeleton length: short skeletons are shared by many names (``SF`` is Youssef,
  Seif, Safia, Sofia...);
* the counts of the shipped variant lexicon, and a short list of given and family names known
  to be very common in the partner countries (counted among the people they list, names of
  Maghrebi, Iberian, French and Flemish usage);
* the list being screened: a watchlist of millions tells how common each skeleton is among
  its own entries. Its counts are blended with the prior as if the prior came from
  ``PRIOR_WEIGHT`` pseudo-entries, so a small list keeps the prior and a large one speaks for
  itself. The counts move only when entries are added or withdrawn: nothing is learnt from
  queries or from the officers' decisions.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from passerelle.matching.lexicon import load_lexicon
from passerelle.matching.skeleton import arabic_skeleton, latin_readings

PRIOR_WEIGHT = 20_000.0
MAX_U = 0.08
_LENGTH_FLOOR = (0.06, 0.02, 0.003, 0.0008, 0.0003, 0.00015)
_RARE_FLOOR = 0.00008

#: Names very common among the people the partner agencies list (given and family names).
VERY_COMMON = (
    "mohamed", "ahmed", "ali", "hassan", "hussein", "youssef", "omar", "abdellah", "said",
    "karim", "rachid", "mustapha", "brahim", "khalid", "hamid", "fatima", "khadija", "aicha",
    "amina", "nadia", "samira", "malika", "zineb", "meryem", "naima", "bouchra", "hakim",
    "mehdi", "yassine", "amine", "hicham", "nabil", "adil", "jamal", "driss", "abdelkader",
    "benali", "alaoui", "idrissi", "amrani", "bennani", "tazi", "belkacem", "saidi", "hamdi",
    "maria", "jose", "juan", "antonio", "manuel", "francisco", "carmen", "ana", "garcia",
    "martinez", "lopez", "sanchez", "rodriguez", "fernandez", "gonzalez", "perez",
    "jean", "pierre", "marie", "michel", "philippe", "martin", "bernard", "dubois", "thomas",
    "robert", "richard", "petit", "durand", "leroy", "moreau", "simon", "laurent",
    "peeters", "janssens", "maes", "jacobs", "mertens", "willems", "claes", "goossens",
)


def length_floor(key: str) -> float:
    """The least u a skeleton of this length can have."""
    return _LENGTH_FLOOR[len(key)] if len(key) < len(_LENGTH_FLOOR) else _RARE_FLOOR


@cache
def prior() -> dict[str, float]:
    """The prior u of every skeleton the lexicon or the common-name list knows."""
    lexicon = load_lexicon()
    counts: dict[str, int] = {}
    total = 0
    for arabic in lexicon:
        count = lexicon.arabic_count(arabic)
        key = arabic_skeleton(arabic)
        counts[key] = counts.get(key, 0) + count
        total += count
    table = {key: min(MAX_U, 2.0 * count / total) for key, count in counts.items() if total}
    for name in VERY_COMMON:
        key = latin_readings(name)[0][0]
        table[key] = max(table.get(key, 0.0), 0.03)
    return table


def prior_u(key: str) -> float:
    """The u of a skeleton before any list is counted."""
    return min(MAX_U, max(length_floor(key), prior().get(key, 0.0)))


class NameFrequencies:
    """u-probabilities of name skeletons, from the prior and optionally a list's own counts."""

    def __init__(self, count: Callable[[str], int] | None = None,
                 population: Callable[[], int] | None = None) -> None:
        self._count = count
        self._population = population
        self._prior = prior()
        self._memo: dict[str, float] = {}

    def forget(self) -> None:
        """Drop memoised values (the list's counts changed)."""
        self._memo.clear()

    def u(self, key: str) -> float:
        """The chance that two different people agree on this skeleton."""
        value = self._memo.get(key)
        if value is None:
            value = self._memo[key] = self._compute(key)
        return value

    def _compute(self, key: str) -> float:
        base = min(MAX_U, max(length_floor(key), self._prior.get(key, 0.0)))
        if self._count is None or self._population is None:
            return base
        seen = self._count(key)
        size = self._population()
        return min(MAX_U, (seen + PRIOR_WEIGHT * base) / (size + PRIOR_WEIGHT))


PRIOR_FREQUENCIES = NameFrequencies()
