"""Pairwise comparison: evidence weighed in bits and turned into a calibrated score.

The model is Fellegi-Sunter's: every field compared gives an agreement level, and each level
a weight ``log2(m / u)`` where *m* is the chance of that level when both entries describe the
same person and *u* the chance when they do not. Weights add (the fields are treated as
independent evidence), a prior ``PRIOR_BITS`` states how unlikely it is that a given pair from
a large list is one person, and the score is the posterior probability
``1 / (1 + 2 ** -(PRIOR_BITS + sum of weights))``.

Names weigh by rarity (the *u* of a word is how common its skeleton is, see
:mod:`passerelle.matching.frequencies`); dates, documents, nationality and place of birth by
the tables below, whose *m* and *u* were set from the error rates registers are known for
(day/month swaps, partial dates, OCR confusions, renewed passports) and checked against the
benchmarks in ``bench/``. Nothing is learnt at run time. No protected characteristic (sex,
religion, ethnicity, opinions) is a feature, and none may be added.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from itertools import pairwise
from typing import Any

from rapidfuzz.distance import OSA, Levenshtein

from passerelle.matching.countries import country_key
from passerelle.matching.dates import DateAgreement, compare_dates, parse_birth_date
from passerelle.matching.documents import DocumentAgreement, compare_documents
from passerelle.matching.frequencies import PRIOR_FREQUENCIES, NameFrequencies
from passerelle.matching.model import Comparison, Feature, PersonEntry
from passerelle.matching.names import (
    PARTICLE_MISSING,
    AnalysedName,
    Script,
    Word,
    analyse,
    joined_words,
)
from passerelle.matching.skeleton import skeleton_similarity

#: log2 of the prior odds that a pair is one person: about one in 130,000.
PRIOR_BITS = -17.0

DATE_BITS = {
    DateAgreement.SAME: 13.5,
    DateAgreement.SWAPPED: 8.5,
    DateAgreement.YEAR_OFF_BY_ONE: 8.0,
    DateAgreement.SAME_YEAR_MONTH: 8.5,
    DateAgreement.SAME_YEAR: 4.5,
    DateAgreement.SAME_YEAR_DAY_DIFFERS: 1.0,
    DateAgreement.SAME_YEAR_OTHER_DAY: -2.0,
    DateAgreement.NEAR_YEAR: -0.5,
    DateAgreement.DIFFERENT: -7.0,
}
DOCUMENT_BITS = {
    DocumentAgreement.SAME: 20.0,
    DocumentAgreement.CHECK_DIGIT: 19.0,
    DocumentAgreement.CONFUSED: 17.0,
    DocumentAgreement.DIFFERENT_SAME_COUNTRY: -1.5,
    DocumentAgreement.DIFFERENT: -0.5,
}
NATIONALITY_SHARED = 1.0
NATIONALITY_NONE_SHARED = -2.0
PLACE_SAME = 2.5
PLACE_SIMILAR = 1.0
PLACE_DIFFERENT = -0.5
#: A word of the shorter name that matches nothing in the other (a different family name).
UNMATCHED_WORD = -5.5
#: Share of UNMATCHED_WORD forgiven for the consonants two unpaired words share.
DISAGREEMENT_GRADING = 0.6
LONG_NAME_DISAGREEMENT = 2.0
#: Name words are not independent evidence (given and family names of one language go
#: together): every agreeing word after the strongest counts for this share of its weight.
WORD_DEPENDENCE = 0.75
#: ...and every one after the second for this share: in long names (father's and
#: grandfather's names, tribal names), relatives share most words.
LATER_WORD_DEPENDENCE = 0.4
#: A further word of the longer name (a middle name, a second surname); at most EXTRA_CAP.
EXTRA_WORD = -1.0
EXTRA_CAP = -2.0
CLOSE_AT = 0.7
_EMPTY_ONLY = frozenset({""})
#: Readings of each word tried for a near miss (the most usual ones).
CLOSE_READINGS = 3


class WordLevel(StrEnum):
    """How two name words agree."""

    EXACT = "same spelling"
    VARIANT = "known variant"
    SKELETON = "same skeleton"
    CLOSE = "similar"
    INITIAL = "initial"


_M = {WordLevel.EXACT: 0.9, WordLevel.VARIANT: 0.85, WordLevel.SKELETON: 0.75,
      WordLevel.CLOSE: 0.75, WordLevel.INITIAL: 0.2}
CLOSE_PENALTY = 2.0
CROSS_SCRIPT_CLOSE_PENALTY = 2.0
#: Each convention other than the default one that a reading needs costs this much.
CONVENTION_PENALTY = 0.75
VOWEL_PENALTY = 8.0
_VOWEL_CLASSES = str.maketrans({"a": "a", "e": "e", "i": "i", "y": "i", "o": "u", "u": "u",
                                "w": "u"})


def vowel_similarity(a: str, b: str) -> float:
    """How alike the vowels of two Latin words are (ou = u = o, y = i; doubled ones count once)."""
    return float(Levenshtein.normalized_similarity(_vowels(a), _vowels(b)))


@lru_cache(maxsize=200_000)
def _vowels(word: str) -> str:
    out: list[str] = []
    for ch in word.replace("ou", "u").replace("oe", "u").replace("ee", "i"):
        if ch in "aeiouyw":
            cls = ch.translate(_VOWEL_CLASSES)
            if not out or out[-1] != cls:
                out.append(cls)
        elif out and out[-1] != "|":
            out.append("|")
    return "".join(out)


@dataclass(frozen=True, slots=True)
class WordAgreement:
    """The best agreement found between two words, with the conventions that explain it."""

    level: WordLevel
    similarity: float
    notes: tuple[str, ...]


@lru_cache(maxsize=1_000_000)
def agree(a: Word, b: Word) -> WordAgreement | None:
    """How two words agree, or None when they do not."""
    if a.text == b.text:
        return WordAgreement(WordLevel.EXACT, 1.0, ())
    if a.forms and b.forms and not a.forms.isdisjoint(b.forms):
        return WordAgreement(WordLevel.VARIANT, 1.0, ())
    common = a.skeletons & b.skeletons
    if common == _EMPTY_ONLY and a.readings[0][0] == b.readings[0][0] == "":
        # Words of vowels and glides only (Wei, Yi, Aya): as alike as they can be.
        return WordAgreement(WordLevel.SKELETON, 1.0, ())
    if common and common != _EMPTY_ONLY:
        best: tuple[str, ...] | None = None
        for skel_a, notes_a in a.readings:
            if skel_a not in common:
                continue
            for skel_b, notes_b in b.readings:
                if skel_a == skel_b:
                    notes = tuple(dict.fromkeys(notes_a + notes_b))
                    if best is None or len(notes) < len(best):
                        best = notes
        return WordAgreement(WordLevel.SKELETON, 1.0, best or ())
    closest = 0.0
    for skel_a, _ in a.readings[:CLOSE_READINGS]:
        for skel_b, _ in b.readings[:CLOSE_READINGS]:
            if len(skel_a) >= 2 and len(skel_b) >= 2:
                similarity = skeleton_similarity(skel_a, skel_b, CLOSE_AT)
                if similarity > closest:
                    closest = similarity
    if closest < CLOSE_AT and a.script == b.script == Script.LATIN \
            and len(a.text) >= 4 and len(b.text) >= 4:
        closest = max(closest, _text_similarity(a.text, b.text))
    if closest >= CLOSE_AT:
        return WordAgreement(WordLevel.CLOSE, closest, ())
    if (a.initial or b.initial) and a.text[:1] == b.text[:1]:
        return WordAgreement(WordLevel.INITIAL, 1.0, ())
    return None


def _text_similarity(a: str, b: str) -> float:
    """1 - edit distance / longer length (a swap of two neighbours is one edit), for typos
    the skeleton does not absorb."""
    return float(OSA.normalized_similarity(a, b))


def _length_penalty(a: Word, b: Word) -> float:
    """Bits against an Arabic-script word much longer or shorter than its Latin partner.

    Arabic script writes consonants and long vowels: it runs 0.5 to 1.25 times the length
    of a Latin spelling of the same name in 99% of published pairs.
    """
    arabic, latin = (a, b) if a.script is Script.ARABIC else (b, a)
    if arabic.script is not Script.ARABIC or latin.script is not Script.LATIN:
        return 0.0
    ratio = len(arabic.text) / max(1, len(latin.text))
    return 12.0 * (max(0.0, ratio - 1.25) + max(0.0, 0.5 - ratio))


def word_weight(a: Word, b: Word, agreement: WordAgreement, freqs: NameFrequencies) -> float:
    """The weight in bits of an agreement between two words."""
    if agreement.level is WordLevel.INITIAL:
        return math.log2(_M[WordLevel.INITIAL] / 0.06)
    u = max(freqs.u(a.key), freqs.u(b.key))
    if agreement.level is WordLevel.EXACT:
        u *= 0.6
    elif a.script != b.script:
        u = min(0.5, u * 3.0)
    weight = math.log2(_M[agreement.level] / u)
    if a.script != b.script:
        weight -= _length_penalty(a, b)
    if agreement.level is WordLevel.CLOSE:
        # A near miss: the agreement a same-spelling pair would give, less a penalty that
        # grows with the distance (a typo in a rare name still says a lot).
        weight -= CLOSE_PENALTY + 12.0 * (1.0 - agreement.similarity)
        if a.script != b.script:
            weight -= CROSS_SCRIPT_CLOSE_PENALTY
    if agreement.level is WordLevel.SKELETON:
        weight -= CONVENTION_PENALTY * len(agreement.notes)
    if agreement.level in (WordLevel.SKELETON, WordLevel.CLOSE) \
            and a.script == b.script == Script.LATIN:
        # Same consonants, other vowels: Youssef/Yusuf keep their weight, Craterus/Crothers
        # do not.
        weight -= VOWEL_PENALTY * (1.0 - vowel_similarity(a.text, b.text))
    return weight


def _describe(a: Word, b: Word, agreement: WordAgreement, u: float) -> str:
    level = agreement.level.value
    if agreement.level is WordLevel.SKELETON and a.script != b.script:
        level = "same consonant skeleton across scripts"
    elif agreement.level is WordLevel.VARIANT and a.script != b.script:
        level = "known transliteration"
    elif agreement.level is WordLevel.CLOSE:
        level = f"similar ({agreement.similarity:.0%})"
    parts = [f"{a.text} ~ {b.text}: {level}", *agreement.notes]
    if agreement.level is not WordLevel.INITIAL:
        if u >= 0.01:
            parts.append("common name")
        elif u <= 0.0005:
            parts.append("rare name")
    return ", ".join(parts)


@lru_cache(maxsize=500_000)
def _cores(word: Word) -> tuple[str, ...]:
    """The skeletons of a word without its particle if it has one (ben Salem: SLM)."""
    cores = [skel for skel, notes in word.readings
             if any(n.startswith(PARTICLE_MISSING) for n in notes)]
    return tuple(cores or [skel for skel, _ in word.readings[:CLOSE_READINGS]])


def _disagreement(left_a: list[Word], left_b: list[Word], missing: int) -> float:
    """The weight of the words left unpaired, graded by how far apart they are.

    Two words that share half their consonants disagree less than two that share none.
    """
    likeness = sorted((max((Levenshtein.normalized_similarity(ra, rb)
                            for ra in _cores(wa) for rb in _cores(wb)), default=0.0)
                       for wa in left_a for wb in left_b), reverse=True)[:missing]
    return sum(UNMATCHED_WORD * (1.0 - DISAGREEMENT_GRADING * x) for x in likeness) + \
        UNMATCHED_WORD * (missing - len(likeness))


def _all_paired(a: AnalysedName, b: AnalysedName, candidates: list[Any]) -> bool:
    """Whether every word of both names agrees with some word of the other."""
    return len({c[1] for c in candidates}) == len(a.words) and \
        len({c[2] for c in candidates}) == len(b.words)


def compare_names(a: AnalysedName, b: AnalysedName,
                  freqs: NameFrequencies = PRIOR_FREQUENCIES) -> tuple[float, list[Feature]]:
    """The weight of two names' agreement and the features that make it.

    Words pair up whatever their order (given and family names swapped or missing); each
    word is used once, the strongest agreements first. When the names have different
    lengths, or some word agrees with nothing, two adjacent words of one may also pair with
    one word of the other (Jean Pierre / Jeanpierre, Patr ushev / Patrushev).
    """
    candidates: list[tuple[float, tuple[int, ...], tuple[int, ...], Word, Word,
                           WordAgreement]] = []
    for i, wa in enumerate(a.words):
        for j, wb in enumerate(b.words):
            agreement = agree(wa, wb)
            if agreement is not None:
                candidates.append((word_weight(wa, wb, agreement, freqs), (i,), (j,), wa, wb,
                                   agreement))
    if len(a.words) != len(b.words) or not _all_paired(a, b, candidates):
        for longer, shorter, flip in ((a, b, False), (b, a, True)):
            if len(longer.words) < len(shorter.words) or len(longer.words) < 2:
                continue
            for i, joined in joined_words(longer):
                for j, single in enumerate(shorter.words):
                    agreement = agree(joined, single)
                    if agreement is None or agreement.level is WordLevel.INITIAL:
                        continue
                    weight = word_weight(joined, single, agreement, freqs)
                    pair, one = (i, i + 1), (j,)
                    if flip:
                        candidates.append((weight, one, pair, single, joined, agreement))
                    else:
                        candidates.append((weight, pair, one, joined, single, agreement))
    candidates.sort(key=lambda c: -c[0])
    used_a: set[int] = set()
    used_b: set[int] = set()
    total = 0.0
    features: list[Feature] = []
    order: list[tuple[int, int]] = []
    for weight, ia, jb, wa, wb, agreement in candidates:
        # A weak agreement still beats a clear disagreement (UNMATCHED_WORD).
        if weight <= UNMATCHED_WORD or used_a.intersection(ia) or used_b.intersection(jb):
            continue
        used_a.update(ia)
        used_b.update(jb)
        if order and weight > 0.0:
            weight *= WORD_DEPENDENCE if len(order) == 1 else LATER_WORD_DEPENDENCE
        order.append((ia[0], jb[0]))
        total += weight
        u = max(freqs.u(wa.key), freqs.u(wb.key))
        features.append(Feature("name", round(weight, 1), _describe(wa, wb, agreement, u)))
    left_a = len(a.words) - len(used_a)
    left_b = len(b.words) - len(used_b)
    missing = min(left_a, left_b)
    extra = abs(left_a - left_b)
    if missing:
        left_words_a = [w for k, w in enumerate(a.words) if k not in used_a]
        left_words_b = [w for k, w in enumerate(b.words) if k not in used_b]
        weight = _disagreement(left_words_a, left_words_b, missing)
        if len(order) >= 3:
            # A word that differs amid several that agree is what tells relatives apart
            # (a father's or grandfather's name in a long name).
            weight *= LONG_NAME_DISAGREEMENT
        total += weight
        features.append(Feature("name", round(weight, 1), " ".join(w.text for w in left_words_a)
                                + " ≠ " + " ".join(w.text for w in left_words_b)))
    if extra:
        weight = max(EXTRA_CAP, EXTRA_WORD * extra)
        total += weight
        features.append(Feature("name", weight, f"{extra} more name word(s) on one side"))
    if not order and not a.words and not b.words:
        return 0.0, []
    crossing = [j for _, j in sorted(order)]
    if any(x > y for x, y in pairwise(crossing)):
        features.append(Feature("name", 0.0, "word order differs"))
    return total, features


def _best_names(a: PersonEntry, b: PersonEntry,
                freqs: NameFrequencies) -> tuple[float, list[Feature]]:
    best: tuple[float, list[Feature]] | None = None
    for name_a in a.names():
        analysed_a = analyse(name_a)
        for name_b in b.names():
            result = compare_names(analysed_a, analyse(name_b), freqs)
            if best is None or result[0] > best[0]:
                best = result
    return best if best is not None else (0.0, [])


def _dates(a: PersonEntry, b: PersonEntry) -> list[Feature]:
    date_a = parse_birth_date(a.date_of_birth)
    date_b = parse_birth_date(b.date_of_birth)
    if date_a is None or date_b is None:
        return []
    agreement = compare_dates(date_a, date_b)
    return [Feature("date of birth", DATE_BITS[agreement], agreement.value)]


def _documents(a: PersonEntry, b: PersonEntry) -> list[Feature]:
    if not a.document_number.strip() or not b.document_number.strip():
        return []
    agreement = compare_documents(a.document_number, b.document_number,
                                  country_key(a.document_country) if a.document_country else "",
                                  country_key(b.document_country) if b.document_country else "")
    return [Feature("document", DOCUMENT_BITS[agreement], agreement.value)]


def _nationalities(a: PersonEntry, b: PersonEntry) -> list[Feature]:
    keys_a = {country_key(n) for n in a.nationalities if n.strip()}
    keys_b = {country_key(n) for n in b.nationalities if n.strip()}
    if not keys_a or not keys_b:
        return []
    shared = keys_a & keys_b
    if shared:
        return [Feature("nationality", NATIONALITY_SHARED, f"shared ({', '.join(sorted(shared))})")]
    return [Feature("nationality", NATIONALITY_NONE_SHARED, "none shared")]


def _places(a: PersonEntry, b: PersonEntry) -> list[Feature]:
    if not a.place_of_birth.strip() or not b.place_of_birth.strip():
        return []
    place_a, place_b = analyse(a.place_of_birth), analyse(b.place_of_birth)
    if [w.text for w in place_a.words] == [w.text for w in place_b.words]:
        return [Feature("place of birth", PLACE_SAME, "same")]
    best = 0.0
    for wa in place_a.words:
        for wb in place_b.words:
            agreement = agree(wa, wb)
            if agreement is not None and agreement.level is not WordLevel.INITIAL:
                best = max(best, agreement.similarity if agreement.level is WordLevel.CLOSE
                           else 1.0)
    if best >= 1.0:
        return [Feature("place of birth", PLACE_SAME, "same place, other spelling")]
    if best >= 0.75:
        return [Feature("place of birth", PLACE_SIMILAR, "similar spelling")]
    return [Feature("place of birth", PLACE_DIFFERENT, "different")]


def score_of(bits: float) -> float:
    """The posterior probability for a total weight of evidence (prior included)."""
    if bits > 60:
        return 1.0
    if bits < -60:
        return 0.0
    return float(1.0 / (1.0 + 2.0 ** -bits))


def prior_bits(population: int) -> float:
    """The prior for a pair drawn from a list of ``population`` entries.

    A traveller who is on a list of N entries is one of them: the prior odds that a given
    entry is the one are about 1 in N (never taken above ``PRIOR_BITS``).
    """
    return min(PRIOR_BITS, -math.log2(max(population, 1)) - 1.0)


def compare(a: PersonEntry, b: PersonEntry, freqs: NameFrequencies = PRIOR_FREQUENCIES,
            prior: float = PRIOR_BITS) -> Comparison:
    """The calibrated comparison of two entries, with the features that made it."""
    weight, features = _best_names(a, b, freqs)
    for evidence in (_dates(a, b), _documents(a, b), _nationalities(a, b), _places(a, b)):
        for feature in evidence:
            weight += feature.weight
            features.append(feature)
    return Comparison(score_of(prior + weight), tuple(features), prior + weight)
