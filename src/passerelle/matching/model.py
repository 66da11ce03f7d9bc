"""What the matcher compares and what it answers.

A :class:`PersonEntry` is one person as a list holds them: a watchlist entry or a traveller.
Every field but ``id`` and one name is optional; the matcher uses what is there and never
treats a missing field as a disagreement. A :class:`Comparison` is the verdict on a pair:
a calibrated score in ``[0, 1]`` (the estimated probability that both describe the same
person), the band it falls in, and the :class:`Feature` list that made it, each with its
weight of evidence in bits, so that the officer who reviews a hit sees why it was raised.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

#: Score at and above which a pair is reported by default: the recommended operating point
#: (see bench/README.md for the recall and false-alert rate it gives).
DEFAULT_THRESHOLD = 0.5
#: Lower bounds of the bands, strongest first.
STRONG_AT = 0.9
POSSIBLE_AT = 0.5
WEAK_AT = 0.2


class MatchingInputError(ValueError):
    """An entry the matcher cannot use; ``field`` names the offending field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class Band(StrEnum):
    """How strongly a pair is believed to be one person."""

    STRONG = "strong"
    POSSIBLE = "possible"
    WEAK = "weak"

    @classmethod
    def of(cls, score: float) -> Band | None:
        """The band of a score, or None below the weakest band."""
        if score >= STRONG_AT:
            return cls.STRONG
        if score >= POSSIBLE_AT:
            return cls.POSSIBLE
        if score >= WEAK_AT:
            return cls.WEAK
        return None


@dataclass(frozen=True, slots=True)
class PersonEntry:
    """One person as a list holds them.

    ``full_name`` is in any script and any order; ``given_name`` and ``family_name``, when
    given, say which part is which; ``name_original_script`` is the name as written in its
    original script (Arabic, say) when the record also has it. ``date_of_birth`` is
    ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``. ``nationalities`` are ISO 3166-1 codes or
    country names in English, French or Spanish. No field describes religion, ethnicity or
    opinions, and none may be added.
    """

    id: str
    full_name: str = ""
    given_name: str = ""
    family_name: str = ""
    name_original_script: str = ""
    aliases: tuple[str, ...] = ()
    date_of_birth: str = ""
    place_of_birth: str = ""
    nationalities: tuple[str, ...] = ()
    document_number: str = ""
    document_country: str = ""

    def names(self) -> list[str]:
        """Every name written for this person: full, given + family, original script, aliases."""
        out: list[str] = []
        if self.full_name.strip():
            out.append(self.full_name)
        parts = " ".join(p for p in (self.given_name, self.family_name) if p.strip())
        if parts.strip() and parts.strip() != self.full_name.strip():
            out.append(parts)
        if self.name_original_script.strip():
            out.append(self.name_original_script)
        out += [a for a in self.aliases if a.strip()]
        return out


@dataclass(frozen=True, slots=True)
class Feature:
    """One piece of evidence: which field, its weight in bits (negative against), in words."""

    field: str
    weight: float
    text: str

    def __str__(self) -> str:
        return f"{self.field}: {self.text}"


@dataclass(frozen=True, slots=True)
class Comparison:
    """The verdict on a pair of entries."""

    score: float
    features: tuple[Feature, ...] = field(default=())
    #: The total weight of evidence in bits, prior included (score = 1 / (1 + 2 ** -bits)).
    bits: float = 0.0

    @property
    def band(self) -> Band | None:
        """The band of the score, None below the weakest."""
        return Band.of(self.score)

    @property
    def explanation(self) -> str:
        """The features, strongest evidence first, as one line an officer can read."""
        ordered = sorted(self.features, key=lambda f: -abs(f.weight))
        return "; ".join(str(f) for f in ordered)


@dataclass(frozen=True, slots=True)
class Hit:
    """A watchlist entry found for a query, with the comparison that found it."""

    entry_id: str
    comparison: Comparison

    @property
    def score(self) -> float:
        """The calibrated score of the pair."""
        return self.comparison.score

    @property
    def band(self) -> Band | None:
        """The band of the score."""
        return self.comparison.band

    @property
    def explanation(self) -> str:
        """Why the pair was scored so."""
        return self.comparison.explanation
