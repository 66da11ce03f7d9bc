"""The matchers the quality benchmark scores: Passerelle's and the baselines, one interface.

Each is a function ``(query, candidate) -> score in [0, 1]`` over the same ``PersonEntry``
pairs, with its default threshold:

* ``passerelle``: ``passerelle.matching.matcher.compare``, at ``DEFAULT_THRESHOLD``.
* ``rapidfuzz``: ``fuzz.token_sort_ratio / 100`` of the names made ASCII by ``anyascii`` and
  lower-cased, the best over every name of both entries. Dates and other fields are ignored.
  It has no documented default threshold; 0.80 is used, a usual cut-off for it.
* ``logic-v2`` and ``name-based``: OpenSanctions' matchers (``nomenklatura.matching``),
  ``Algorithm.compare(query, result, Algorithm.default_config())`` on followthemoney
  ``Person`` entities: ``name`` (full name, given + family, original script), ``alias``,
  ``firstName``/``lastName``, ``birthDate``, ``nationality``, ``birthPlace``,
  ``passportNumber``, whichever the entry has. Threshold 0.70: yente's default
  ``SCORE_THRESHOLD``, above which its ``/match`` API calls a result a match.

The baselines are bench-only dependencies (``pip install -e '.[bench]'``); a matcher whose
package is missing is skipped with the reason, and the others still run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from passerelle.matching.model import DEFAULT_THRESHOLD, PersonEntry

Score = Callable[[PersonEntry, PersonEntry], float]
INSTALL = "pip install -e '.[bench]'"


@dataclass(frozen=True, slots=True)
class MatcherSpec:
    """A matcher by name, its default threshold and why that one."""

    name: str
    threshold: float
    threshold_source: str
    make: Callable[[], Score]


def _passerelle() -> Score:
    from passerelle.matching.matcher import compare

    def score(a: PersonEntry, b: PersonEntry) -> float:
        return compare(a, b).score
    return score


def _rapidfuzz() -> Score:
    from anyascii import anyascii
    from rapidfuzz import fuzz

    @lru_cache(maxsize=65_536)
    def ascii_names(entry: PersonEntry) -> tuple[str, ...]:
        return tuple(anyascii(name).lower() for name in entry.names())

    def score(a: PersonEntry, b: PersonEntry) -> float:
        return max((fuzz.token_sort_ratio(x, y) / 100.0
                    for x in ascii_names(a) for y in ascii_names(b)), default=0.0)
    return score


def _nomenklatura(algorithm_name: str) -> Callable[[], Score]:
    def make() -> Score:
        from followthemoney import model
        from nomenklatura.matching import get_algorithm

        algorithm = get_algorithm(algorithm_name)
        if algorithm is None:
            raise ImportError(f"nomenklatura has no algorithm {algorithm_name!r}")
        config = algorithm.default_config()

        @lru_cache(maxsize=65_536)
        def entity(entry: PersonEntry) -> Any:
            # nomenklatura memoises name analysis by entity id: the id must name the content.
            proxy = model.make_entity("Person")
            proxy.id = hashlib.blake2b(repr(_fields(entry)).encode(), digest_size=12).hexdigest()
            for prop, values in _fields(entry):
                proxy.add(prop, list(values), quiet=True)
            return proxy

        def score(a: PersonEntry, b: PersonEntry) -> float:
            return float(algorithm.compare(entity(a), entity(b), config).score)
        return score
    return make


def _fields(entry: PersonEntry) -> tuple[tuple[str, tuple[str, ...]], ...]:
    main = [n for n in entry.names() if n not in entry.aliases]
    fields = {
        "name": tuple(main), "alias": entry.aliases,
        "firstName": (entry.given_name,), "lastName": (entry.family_name,),
        "birthDate": (entry.date_of_birth,), "birthPlace": (entry.place_of_birth,),
        "nationality": tuple(n.lower() for n in entry.nationalities),
        "passportNumber": (entry.document_number,),
    }
    return tuple((prop, tuple(v for v in values if v.strip()))
                 for prop, values in fields.items() if any(v.strip() for v in values))


MATCHERS: dict[str, MatcherSpec] = {
    "passerelle": MatcherSpec("passerelle", DEFAULT_THRESHOLD,
                              "passerelle.matching.model.DEFAULT_THRESHOLD", _passerelle),
    "rapidfuzz": MatcherSpec("rapidfuzz", 0.80, "no documented default; 0.80 chosen",
                             _rapidfuzz),
    "logic-v2": MatcherSpec("logic-v2", 0.70, "yente SCORE_THRESHOLD",
                            _nomenklatura("logic-v2")),
    "name-based": MatcherSpec("name-based", 0.70, "yente SCORE_THRESHOLD",
                              _nomenklatura("name-based")),
}


def select(names: list[str]) -> tuple[list[MatcherSpec], dict[str, str]]:
    """The matchers asked for that can run here, and why each other one is skipped."""
    ready: list[MatcherSpec] = []
    skipped: dict[str, str] = {}
    for name in names:
        spec = MATCHERS.get(name)
        if spec is None:
            skipped[name] = f"unknown matcher (known: {', '.join(MATCHERS)})"
            continue
        try:
            _MADE[name] = spec.make()
        except ImportError as error:
            skipped[name] = f"{error.name or error} is not installed: {INSTALL}"
            continue
        ready.append(spec)
    return ready, skipped


_MADE: dict[str, Score] = {}


def scorer(name: str) -> Score:
    """The score function of a matcher, made once per process."""
    if name not in _MADE:
        _MADE[name] = MATCHERS[name].make()
    return _MADE[name]
