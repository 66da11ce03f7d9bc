"""Spelling conventions and the table format shared by the synthetic name pools.

Why this module exists: the same name is written differently by a French, Spanish,
Flemish, English or German officer (Youssef / Yusef / Jusuf / Yusuf / Jussuf), and a
Moroccan record may hold it in Arabic script (يوسف). The generator must be able to
render one fictional person under each of these conventions, so every name in the
pools is stored as a :class:`NameForms` holding one Latin spelling per convention,
the Arabic-script form when there is one, and extra spellings seen in the wild.

Tables are written by hand as compact text (one row per name, or comma-separated
lists for pools whose names are written the same everywhere) and parsed once at import.
"""

from __future__ import annotations

import re
from typing import NamedTuple

#: Latin romanisation conventions, in the order used by :attr:`NameForms.latin`.
LATIN_CONVENTIONS: tuple[str, ...] = ("fr", "es", "nl", "en", "de")
#: All conventions a record can be written in; "ar" means Arabic script.
CONVENTIONS: tuple[str, ...] = (*LATIN_CONVENTIONS, "ar")
CONVENTION_INDEX: dict[str, int] = {c: i for i, c in enumerate(LATIN_CONVENTIONS)}


class NameForms(NamedTuple):
    """One name as each convention writes it.

    ``latin`` is indexed like :data:`LATIN_CONVENTIONS`; ``arabic`` is the Arabic-script
    form (None for names that have none); ``spellings`` lists every distinct Latin
    spelling (conventions first, then extras) so aliases and variants can draw from it.
    """

    latin: tuple[str, str, str, str, str]
    arabic: str | None
    spellings: tuple[str, ...]


def _distinct(items: list[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for item in items:
        if item and item not in seen:
            seen[item] = None
    return tuple(seen)


def make_forms(latin: list[str], arabic: str | None, extras: list[str]) -> NameForms:
    """Build a :class:`NameForms`, checking the row has five Latin spellings."""
    if len(latin) != 5 or not all(latin):
        raise ValueError(f"expected five Latin spellings, got {latin!r}")
    five = (latin[0], latin[1], latin[2], latin[3], latin[4])
    return NameForms(five, arabic, _distinct([*latin, *extras]))


def parse_script_table(text: str) -> tuple[NameForms, ...]:
    """Parse rows ``arabic|fr|es|nl|en|de|extra;extra`` (hand-written romanisations)."""
    rows: list[NameForms] = []
    for raw in text.strip().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        cells = [c.strip() for c in line.split("|")]
        if len(cells) not in (6, 7):
            raise ValueError(f"bad row {line!r}")
        extras = [e.strip() for e in cells[6].split(";")] if len(cells) == 7 else []
        rows.append(make_forms(cells[1:6], cells[0], extras))
    return tuple(rows)


# --- Spellings derived from a French transcription -------------------------------
# Used for Amazigh names, whose French transcription is the usual reference in
# Moroccan and Algerian civil registers; the other conventions follow the same sound
# correspondences the Arabic tables show (ou -> u / oe, ch -> sh / sj / sch, ...).

_RULES: dict[str, dict[str, str]] = {
    "es": {"ou": "u", "kh": "j", "dj": "y", "j": "y", "gh": "g", "ss": "s", "w": "u",
           "ï": "i", "è": "e", "é": "e"},
    "nl": {"ou": "oe", "ch": "sj", "kh": "ch", "y": "j", "è": "e", "é": "e"},
    "en": {"ou": "u", "ch": "sh", "dj": "j", "ï": "i", "è": "e", "é": "e"},
    "de": {"ou": "u", "ch": "sch", "kh": "ch", "dj": "dsch", "j": "dsch", "y": "j",
           "ï": "i", "è": "e", "é": "e"},
}
_RULE_PATTERNS: dict[str, re.Pattern[str]] = {
    conv: re.compile("|".join(sorted(map(re.escape, rules), key=len, reverse=True)))
    for conv, rules in _RULES.items()
}
_FINAL_E = re.compile(r"(?<=[bcdfghjklmnpqrstvwxz])e\b")


def _recase(word: str, template: str) -> str:
    return word[:1].upper() + word[1:] if template[:1].isupper() else word


def respell_from_french(french: str, convention: str) -> str:
    """Respell a French transcription under another Latin convention.

    Applied word by word, keeping capitals; English and Spanish also drop the mute
    final -e French adds after a consonant (Amine -> Amin).
    """
    if convention == "fr":
        return french
    rules = _RULES[convention]
    pattern = _RULE_PATTERNS[convention]
    words = []
    for word in re.split(r"([ \-'])", french):
        if not word or word in " -'":
            words.append(word)
            continue
        lowered = pattern.sub(lambda m: rules[m.group(0)], word.lower())
        if convention in ("en", "es") and len(lowered) > 4:
            lowered = _FINAL_E.sub("", lowered)
        words.append(_recase(lowered, word))
    return "".join(words)


def parse_french_table(text: str) -> tuple[NameForms, ...]:
    """Parse rows ``arabic|fr|extra;extra``, deriving es/nl/en/de from the French form."""
    rows: list[NameForms] = []
    for raw in text.strip().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        cells = [c.strip() for c in line.split("|")]
        if len(cells) not in (2, 3):
            raise ValueError(f"bad row {line!r}")
        french = cells[1]
        latin = [respell_from_french(french, conv) for conv in LATIN_CONVENTIONS]
        extras = [e.strip() for e in cells[2].split(";")] if len(cells) == 3 else []
        rows.append(make_forms(latin, cells[0], extras))
    return tuple(rows)


def parse_world_list(text: str) -> tuple[NameForms, ...]:
    """Parse a comma-separated list, most frequent first.

    An entry is either one spelling used everywhere (``Peeters``) or five
    slash-separated spellings ``fr/es/nl/en/de`` for names transliterated from
    another script (``Sergueï/Serguéi/Sergej/Sergey/Sergej``).
    """
    rows: list[NameForms] = []
    for item in text.replace("\n", ",").split(","):
        entry = item.strip()
        if not entry:
            continue
        parts = [p.strip() for p in entry.split("/")]
        if len(parts) == 1:
            rows.append(make_forms(parts * 5, None, []))
        elif len(parts) == 5:
            rows.append(make_forms(parts, None, []))
        else:
            raise ValueError(f"bad entry {entry!r}")
    return tuple(rows)
