"""How the same name, date or number drifts between records of different agencies.

Why: the matcher is benchmarked on pairs of records of one fictional person written by
different officers. The drift modelled here is the drift seen in practice: diacritics
lost or expanded by machine-readable zones (Müller -> Muller / Mueller), particles
written apart, joined or dropped (El Amrani / Elamrani / Amrani, Ben Ali / Benali,
Van den Broeck / Vandenbroeck), Spanish second surnames dropped, compound given names
hyphenated or not, keyboard and phonetic typos, and OCR confusions in numbers (0/O, 1/I).
"""

from __future__ import annotations

import random
import re
import unicodedata

_SPECIAL = str.maketrans({
    "ß": "ss", "ł": "l", "Ł": "L", "ı": "i", "İ": "I", "ø": "o", "Ø": "O", "đ": "d",
    "Đ": "D", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "’": "'",
})
_MRZ_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


def strip_diacritics(text: str) -> str:
    """Drop accents the way most databases and keyboards do (García -> Garcia)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def mrz_spelling(text: str) -> str:
    """Spell as a machine-readable zone would, expanding German umlauts (Müller -> Mueller)."""
    return strip_diacritics(text.translate(_MRZ_GERMAN))


_ARTICLE = re.compile(r"^(?:El|Al|el|al)[ -](?=\w)")
_BEN = re.compile(r"^(?:Ben|Bin)[ -]?(?=[A-Z])")
_AIT = re.compile(r"^(?:Aït|Ait|Aït-|Ait-)[ -]?(?=[A-Z])")
_LOW_PARTICLES = re.compile(
    r"^((?:(?:van|de|den|der|het|du|des|le|la|da|di|del|della)\s|d'|o'|n')+)(.+)$",
    re.IGNORECASE,
)


def particle_variants(family: str, double_surname: bool = False) -> list[str]:
    """Other ways registers write a family name's article or particle, possibly none.

    ``double_surname`` marks Iberian-style "first second" surnames, of which other
    countries often keep only the first.
    """
    out: list[str] = []
    if match := _ARTICLE.match(family):
        core = family[match.end():]
        out += [f"El {core}", f"El-{core}", f"Al-{core}", f"al-{core}", core,
                f"El{core.lower()}"]
    elif match := _BEN.match(family):
        core = family[match.end():]
        out += [f"Ben {core}", f"Ben{core.lower()}", f"Ben-{core}", f"Bin {core}"]
    elif match := _AIT.match(family):
        core = family[match.end():]
        out += [f"Aït {core}", f"Ait {core}", f"Ait{core.lower()}", f"Ait-{core}"]
    elif low := _LOW_PARTICLES.match(family):
        particles, core = low.group(1), low.group(2)
        fused = particles.replace(" ", "").replace("'", "") + core.lower()
        spaced = particles.replace("'", " ").replace("  ", " ")
        out += [fused[:1].upper() + fused[1:], spaced.title() + core, particles.lower() + core]
    elif double_surname and " " in family:
        first, second = family.split(" ", 1)
        out += [first, f"{first}-{second}"]
    return [v for v in out if v != family]


def compound_variants(given: str) -> list[str]:
    """Compound given names hyphenated, spaced, or reduced to one element.

    Arabic compounds with a lowercase article (Abd al-Salam) are left to the tables.
    """
    if any(part[:1].islower() for part in re.split(r"[ -]", given)):
        return []
    if "-" in given:
        first, rest = given.split("-", 1)
        return [given.replace("-", " "), first, (first + rest.lower())]
    if " " in given:
        first, rest = given.split(" ", 1)
        return [given.replace(" ", "-"), first, rest]
    return []


_KEYBOARD = {
    "a": "qsz", "e": "rzd", "i": "uok", "o": "ipl", "u": "yi", "n": "bm", "m": "n",
    "s": "dqa", "r": "et", "t": "ry", "l": "km", "d": "sf", "h": "gj", "k": "jl",
}
_PHONETIC = (("ou", "u"), ("ph", "f"), ("y", "i"), ("i", "y"), ("c", "k"), ("k", "c"),
             ("ss", "s"), ("z", "s"), ("e", "a"), ("a", "e"), ("ck", "k"), ("th", "t"))


def typo(text: str, rng: random.Random) -> str:
    """One plausible typing or hearing mistake; never changes the first letter's case."""
    if len(text) < 3:
        return text + text[-1:]
    kind = rng.randrange(6)
    pos = rng.randrange(1, len(text) - 1)
    if kind == 0:  # deletion
        return text[:pos] + text[pos + 1:]
    a, b = text[pos], text[pos + 1]
    if kind == 1 and a != b and a.isalpha() and b.isalpha():  # transposition
        return text[:pos] + b + a + text[pos + 2:]
    if kind == 2:  # doubling
        return text[:pos] + text[pos] + text[pos:]
    if kind == 3:  # keyboard neighbour
        near = _KEYBOARD.get(text[pos].lower())
        if near:
            return text[:pos] + rng.choice(near) + text[pos + 1:]
    if kind == 4:  # phonetic respelling
        for src, dst in rng.sample(_PHONETIC, len(_PHONETIC)):
            at = text.lower().find(src, 1)
            if at > 0:
                return text[:at] + dst + text[at + len(src):]
    # undoubling, or deletion when no double letter exists
    for i in range(1, len(text) - 1):
        if text[i] == text[i + 1]:
            return text[:i] + text[i + 1:]
    return text[:pos] + text[pos + 1:]


_OCR = {"0": "O", "O": "0", "1": "I", "I": "1", "5": "S", "S": "5", "8": "B", "B": "8",
        "2": "Z", "Z": "2", "6": "G", "G": "6"}


def ocr_confuse(number: str, rng: random.Random) -> str:
    """Swap one character for its OCR look-alike, else transpose two different characters.

    Falls back to dropping the last character, so the result always differs.
    """
    spots = [i for i, ch in enumerate(number) if ch in _OCR]
    if spots:
        i = rng.choice(spots)
        return number[:i] + _OCR[number[i]] + number[i + 1:]
    pairs = [i for i in range(len(number) - 1) if number[i] != number[i + 1]]
    if pairs:
        i = rng.choice(pairs)
        return number[:i] + number[i + 1] + number[i] + number[i + 2:]
    return number[:-1]
