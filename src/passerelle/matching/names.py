"""Analysis of a name: script, words, particles and compounds, readings and lexicon forms.

A name is folded (:func:`passerelle.matching.text.fold`), split into words, and its particles
are resolved the way registers of the partner countries disagree about them:

* the Arabic article (al-, el-, ul-, the assimilated as-, ash-, ad-, ar-, at-, az-, an-, ال)
  carries no identity and is dropped (El Amrani = al-Amrani = Amrani = العمراني); when joined
  to its word (Elamrani) the word is read both with and without it;
* filiation and kinship particles (ben, bin, ibn, bent, ould, ait, bou, abu, abou; بن, ابن,
  ولد, ايت, بو, ابو) are joined to the next word, so that Ben Ali = Benali = بن علي; the word
  is also read without the particle, at a lower level, for records that dropped it;
* the ``abd`` compounds are one name: Abd al-Salam = Abdeslam = Abdessalam = عبد السلام,
  Abdel Kader = Abdelkader = Abd al-Qadir;
* European particles (de, van, von, der, den, du, da, di, del, la, le, ter, ten, dos) are
  joined to the family name they introduce (Van den Broeck = Vandenbroeck).

Each word then gets its skeleton readings (:mod:`passerelle.matching.skeleton`) and, for
Latin words, the Arabic-script forms the variant lexicon knows for its spelling.
Analyses are cached per name text, so a watchlist entry is analysed once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from anyascii import anyascii

from passerelle.matching.lexicon import load_lexicon
from passerelle.matching.skeleton import (
    Reading,
    arabic_skeleton,
    latin_readings,
    skeleton_similarity,
)
from passerelle.matching.text import fold

ARTICLE_DROPPED = "article al- dropped"
PARTICLE_MISSING = "without the particle"
ARTICLE_KEPT = "al- read as part of the name"


class Script(StrEnum):
    """The writing system of a word or name."""

    LATIN = "latin"
    ARABIC = "arabic"
    CYRILLIC = "cyrillic"
    GREEK = "greek"
    OTHER = "other"
    MIXED = "mixed"


def script_of(text: str) -> Script:
    """The script of the letters of ``text`` (MIXED when several, OTHER when none is known)."""
    found: set[Script] = set()
    for ch in text:
        if not ch.isalpha():
            continue
        code = ord(ch)
        if code < 0x250 or 0x1E00 <= code < 0x1F00:
            found.add(Script.LATIN)
        elif 0x600 <= code < 0x700 or 0x750 <= code < 0x780 or 0xFB50 <= code < 0xFE00 \
                or 0xFE70 <= code < 0xFF00:
            found.add(Script.ARABIC)
        elif 0x400 <= code < 0x530:
            found.add(Script.CYRILLIC)
        elif 0x370 <= code < 0x400:
            found.add(Script.GREEK)
        else:
            found.add(Script.OTHER)
    if not found:
        return Script.OTHER
    if len(found) > 1:
        return Script.MIXED
    return next(iter(found))


_LATIN_EXTRA = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d",
                              "þ": "th", "ŋ": "ng", "ı": "i", "ʻ": "", "ʼ": "", "ʿ": "",
                              "ʾ": ""})


_LEET = re.compile(r"\d")
_DIGITS = str.maketrans("0134578", "oieastb") | {ord("9"): "g", ord("6"): "g", ord("2"): "z"}
#: Two or three capitals without a vowel: initials written together (JC, AMK).
_INITIALS = re.compile(r"^[B-DF-HJ-NP-TV-Z]{2,3}\.?$")
#: Letters of scripts other than Latin and Arabic (romanised before comparison).
_ROMANISE = re.compile(r"[^\u0000-\u024f\u1e00-\u1eff\u0600-\u06ff\u0750-\u077f"
                       r"\ufb50-\ufdff\ufe70-\ufeff\W\d_]")


_ARTICLES = frozenset({"al", "el", "ul", "il", "ال"})
_SUN_ARTICLES = {"as": "s", "ash": "sh", "ad": "d", "adh": "dh", "ar": "r", "at": "t",
                 "ath": "th", "az": "z", "an": "n", "es": "s", "ed": "d", "er": "r",
                 "ez": "z", "et": "t", "en": "n", "ech": "ch"}
_FILIATION = frozenset({"ben", "bin", "ibn", "bent", "bint", "ould", "ait", "bou", "abu",
                        "abou", "bu", "بن", "ابن", "بنت", "ولد", "ايت", "بو", "ابو"})
_ABD = frozenset({"abd", "abdel", "abdul", "abdal", "abdoul", "abdil", "abdou", "abde", "عبد"})
_EUROPEAN = frozenset({"de", "van", "von", "der", "den", "du", "da", "di", "del", "della",
                       "la", "le", "ter", "ten", "dos", "das", "des", "vande", "vanden",
                       "vander", "mac", "mc"})
#: Titles and honorifics: not part of the name.
TITLES = frozenset({"mr", "mrs", "ms", "mme", "mlle", "dr", "prof", "sr", "sra", "don", "dona",
                    "sheikh", "cheikh", "shaykh", "hajj", "hadj", "haj", "imam", "sayyid",
                    "herr", "frau", "dhr", "mevr", "monsieur", "madame", "sir", "lady",
                    "president", "presidente", "minister", "ministre", "general", "gen",
                    "colonel", "col", "capt", "captain", "lt", "sgt", "rev", "hon", "emir",
                    "king", "prince", "princess", "mullah", "mawlawi", "maulvi", "qari"})
_JOINED_LATIN = ("ben", "bin", "bou", "abou", "abu", "ait", "el", "al")
_ABD_JOINED = ("abdel", "abdul", "abdal", "abdoul", "abdil")


@dataclass(frozen=True, slots=True, eq=False)
class Word:
    """One identity-bearing word of a name, as compared.

    ``text`` is folded (compounds joined, e.g. ``benali``, ``abdsalam``); ``readings`` are
    its skeletons with the conventions behind each (the default first, then readings
    without a particle, carrying the note that says so); ``forms`` are the Arabic-script
    keys the lexicon knows for it (for an Arabic word, the word itself).
    """

    text: str
    script: Script
    readings: tuple[Reading, ...]
    forms: frozenset[str]
    skeletons: frozenset[str] = frozenset()

    @classmethod
    def of(cls, text: str, script: Script, readings: tuple[Reading, ...],
           forms: frozenset[str]) -> Word:
        """A word with its set of skeletons computed."""
        return cls(text, script, readings, forms, frozenset(skel for skel, _ in readings))

    @property
    def key(self) -> str:
        """The skeleton its frequency is counted under."""
        return self.readings[0][0] if self.readings else ""

    @property
    def initial(self) -> bool:
        """True for an initial (a single Latin letter)."""
        return len(self.text) == 1


@dataclass(frozen=True, slots=True, eq=False)
class AnalysedName:
    """A name split into its words, with its script."""

    text: str
    script: Script
    words: tuple[Word, ...]


def _strip_article_arabic(word: str) -> str:
    if word.startswith("ال") and len(word) > 3:
        return word[2:]
    return word


def _group(tokens: list[str]) -> list[tuple[str, str | None]]:
    """Resolve particles: (joined word, particle left off for the secondary reading)."""
    out: list[tuple[str, str | None]] = []
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        nxt = tokens[i + 1] if i + 1 < n else None
        if nxt is not None and (tok in _ARTICLES or (
                tok in _SUN_ARTICLES and nxt.startswith(_SUN_ARTICLES[tok]))):
            i += 1
            continue
        if nxt is not None and tok in _ABD:
            j = i + 1
            if tokens[j] in _ARTICLES or tokens[j] in _SUN_ARTICLES:
                j += 1
            if j < n:
                core = _strip_article_arabic(tokens[j]) if tok == "عبد" else tokens[j]
                prefix = "عبد" if tok == "عبد" else "abd"
                out.append((prefix + core, None))
                i = j + 1
                continue
        if nxt is not None and (tok in _FILIATION or tok in _EUROPEAN):
            parts = [tok]
            j = i + 1
            while j < n - 1 and tokens[j] in _EUROPEAN:
                parts.append(tokens[j])
                j += 1
            core = tokens[j]
            if core in _ARTICLES and j + 1 < n:
                j += 1
                core = tokens[j]
            core = _strip_article_arabic(core)
            out.append(("".join(parts) + core, core))
            i = j + 1
            continue
        out.append((tok, None))
        i += 1
    return out


def _plausible_forms(text: str, readings: Iterable[Reading]) -> set[str]:
    """The lexicon's Arabic forms for a spelling whose skeleton is close to the spelling's.

    Guards against the few pairs of the sources that are not transliterations at all.
    """
    skeletons = [skel for skel, _ in readings]
    return {
        form for form in load_lexicon().arabic_forms(text)
        if any(skeleton_similarity(arabic_skeleton(form), skel) >= 0.5 for skel in skeletons)
    }


@lru_cache(maxsize=500_000)
def _latin_word(text: str, core: str | None) -> Word:
    readings: list[Reading] = list(latin_readings(text))
    forms = _plausible_forms(text, readings)
    secondary: list[str] = []
    if core is not None:
        secondary.append(core)
    elif text in _ABD:  # a lone Abdel / Abdul: the abd of a compound cut in two
        readings += list(latin_readings("abd"))
    else:
        for prefix in _ABD_JOINED:
            if text.startswith(prefix) and len(text) - len(prefix) >= 3:
                rest = text[len(prefix):]
                readings = list(latin_readings("abd" + rest)) + readings
                break
        for prefix in _JOINED_LATIN:
            if text.startswith(prefix) and len(text) - len(prefix) >= 4:
                secondary.append(text[len(prefix):])
                break
    for part in secondary:
        note = f"{PARTICLE_MISSING} {text[: len(text) - len(part)]}"
        readings += [(skel, (*notes, note)) for skel, notes in latin_readings(part)]
        forms.update(_plausible_forms(part, latin_readings(part)))
    return Word.of(text, Script.LATIN, _unique(readings), frozenset(forms))


@lru_cache(maxsize=200_000)
def _arabic_word(text: str, core: str | None) -> Word:
    stripped = _strip_article_arabic(text)
    readings: list[Reading] = [(arabic_skeleton(stripped), ())]
    forms = {stripped}
    if stripped != text:  # al- may be the article or the name's own letters (الياس)
        readings.append((arabic_skeleton(text), (ARTICLE_KEPT,)))
        forms.add(text)
    text = stripped
    if core is not None and core != text:
        note = f"{PARTICLE_MISSING} {text[: len(text) - len(core)]}"
        readings.append((arabic_skeleton(core), (note,)))
        forms.add(core)
    return Word.of(text, Script.ARABIC, _unique(readings), frozenset(forms))


def _unique(readings: list[Reading]) -> tuple[Reading, ...]:
    seen: dict[str, tuple[str, ...]] = {}
    for skel, notes in readings:
        if skel not in seen:
            seen[skel] = notes
    return tuple(seen.items())


@lru_cache(maxsize=400_000)
def analyse(name: str) -> AnalysedName:
    """The analysis of one written name (cached: the same text is analysed once)."""
    # Other scripts are romanised before folding, which would strip their marks (バ -> ハ).
    parts: list[str] = []
    for part in unicodedata.normalize("NFKC", name).replace(".", ". ").split():
        if _ROMANISE.search(part):
            part = anyascii(part)
        elif _LEET.search(part) and any(c.isalpha() for c in part):
            part = part.translate(_DIGITS)  # I9or Sech1n: digits typed for letters
        elif _INITIALS.match(part):
            part = " ".join(part.rstrip("."))  # JC Juncker: initials J and C
        parts.append(part)
    romanised = " ".join(parts)
    folded = fold(romanised).translate(_LATIN_EXTRA)
    script = script_of(folded)
    tokens: list[str] = []
    for token in folded.split():
        if script_of(token) is Script.ARABIC and token.startswith("عبدال") and len(token) > 6:
            tokens += ["عبد", token[5:]]
            continue
        tokens.append(token)
    if any(t not in TITLES for t in tokens):
        tokens = [t for t in tokens if t not in TITLES]
    words: list[Word] = []
    for text, core in _group(tokens):
        word_script = script_of(text)
        if word_script is Script.ARABIC:
            words.append(_arabic_word(text, core))
        elif word_script is Script.LATIN:
            words.append(_latin_word(text, core))
        else:
            plain = unicodedata.normalize("NFC", text)
            words.append(Word.of(plain, word_script, ((plain, ()),), frozenset()))
    return AnalysedName(name, script, tuple(w for w in words if w.text))


@lru_cache(maxsize=100_000)
def joined_words(name: AnalysedName) -> tuple[tuple[int, Word], ...]:
    """Each pair of adjacent Latin words of a name written as one word, with its position."""
    out: list[tuple[int, Word]] = []
    for i in range(len(name.words) - 1):
        first, second = name.words[i], name.words[i + 1]
        if first.script is Script.LATIN and second.script is Script.LATIN \
                and len(first.text) > 1 and len(second.text) > 1:
            out.append((i, _latin_word(first.text + second.text, None)))
    return tuple(out)
