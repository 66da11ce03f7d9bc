"""Consonant skeletons: the comparable key of a name word in any romanisation or in Arabic script.

Arabic script is written without short vowels, and every romanisation renders its long vowels,
its emphatic consonants and its gutturals its own way (Youssef, Yusuf, Jusuf, يوسف; Khalid,
Jalid, خالد; Chakib, Shakib, شكيب). A word is therefore reduced to the sequence of its consonant
*classes*: vowels, the glides w and y, ayn and hamza drop out; doubled letters collapse; letters
a romanisation confuses share a class (q = k, v = f, p = b, z = s, ث = t, ذ = d).

Latin spelling is ambiguous where the partner countries' conventions disagree, so a Latin word
gets every skeleton its spelling allows, each with the convention that reads it so:

=========  ==================================  ======================================
letters    default reading                      other readings
=========  ==================================  ======================================
``j``      French/English j (ج)                  Spanish j = kh (خ), Dutch/German j = y
``ch``     French ch = sh (ش)                    German/Dutch ch = kh (خ)
``g`` +e/i hard g                               French g = j (ج), Spanish g = kh (خ)
=========  ==================================  ======================================

Unambiguous digraphs are read once: kh = خ, gh = غ, sh/sch/sj = ش, dj/zh = ج, th = ت, dh = ذ,
ph = f, ou/oe = u (a vowel), qu/ck/q/c (before a, o, u) = k, c before e/i = s, x = ks.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

#: Classes: B (b p), T (t ط ث), D (d ض ذ ظ), S (s z ص س ز), C (sh ش, tch چ), J (j ج),
#: X (kh خ), H (h ح ه), K (k q c ق ك), G (g غ گ), F (f v ف ڤ), L, M, N, R.
_ARABIC = {
    "ب": "B", "پ": "B", "ت": "T", "ط": "T", "ث": "T", "د": "D", "ض": "D", "ذ": "D",
    "ظ": "D", "س": "S", "ص": "S", "ز": "S", "ش": "C", "چ": "C", "ج": "J", "ژ": "J",
    "خ": "X", "ح": "H", "ه": "H", "ق": "K", "ك": "K", "ک": "K", "غ": "G", "گ": "G",
    "ف": "F", "ڤ": "F", "ل": "L", "م": "M", "ن": "N", "ر": "R",
}
_ARABIC_SILENT = frozenset("اأإآٱءعوؤيئىة")

_VOWELS = frozenset("aeiouyw")
_FRONT = frozenset("eiy")

#: Notes naming the convention behind a non-default reading, used in explanations.
SPANISH_J = "Spanish j = kh"
DUTCH_J = "Dutch/German j = y"
GERMAN_CH = "German/Dutch ch = kh"
FRENCH_G = "French g = j"
SPANISH_G = "Spanish g = kh"
EGYPTIAN_G = "Egyptian/English g = j"
MAGHREBI_G = "Maghrebi g = q"
FRENCH_C = "French ç = s"
SPANISH_LL = "Spanish ll = y"
FRENCH_SILENT = "French silent final letter"
SLAVIC_C = "Slavic c = ch"
TURKISH_C = "Turkish c = j"
ITALIAN_C = "Italian c = ch"
ITALIAN_GL = "Italian gli = li"
ITALIAN_GN = "Italian gn = ny"
GERMAN_W = "German w = v"
PERSIAN_V = "Persian/Turkish v = w"
SILENT_GH = "English silent gh"

#: Near classes: a substitution between them costs half an edit (k/g, t/d, s/z-sh...).
_NEAR = frozenset({
    frozenset("KG"), frozenset("TD"), frozenset("SC"), frozenset("JC"), frozenset("JG"),
    frozenset("XH"), frozenset("XK"), frozenset("XG"), frozenset("BF"), frozenset("SD"),
    frozenset("JX"), frozenset("TS"), frozenset("NM"), frozenset("LR"),
})
#: Substitution costs other than 1: nothing for the same class, half for near classes.
_SUBSTITUTION = {(x, x): 0.0 for x in "BTDSCJXHKGFLMNR"} | {
    (x, y): 0.5 for pair in _NEAR for x in pair for y in pair if x != y}
_MAX_READINGS = 6

Reading = tuple[str, tuple[str, ...]]
"""A skeleton and the conventions (notes) used to read it; no notes for the default reading."""


def _collapse(classes: str) -> str:
    out: list[str] = []
    for c in classes:
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


def arabic_skeleton(word: str) -> str:
    """The skeleton of a folded Arabic-script word (a final ه, ta marbuta folded, is silent)."""
    if word.endswith("ه") and len(word) > 2:
        word = word[:-1]
    # The usual spellings of English and Spanish ch, and of dj.
    word = word.replace("تش", "ش").replace("دج", "ج")
    return _collapse("".join(_ARABIC.get(ch, "") for ch in word if ch not in _ARABIC_SILENT))


def _step(word: str, i: int) -> tuple[int, list[tuple[str, str | None]]]:
    """The readings of the letters at ``i``: how many letters they take and their classes."""
    rest = word[i:]
    nxt = word[i + 1] if i + 1 < len(word) else ""
    ch = word[i]
    if ch in _VOWELS:
        return 1, [("", None)]
    for prefix in ("tsch", "dsch", "sch", "tch"):
        if rest.startswith(prefix):
            return len(prefix), [("J" if prefix == "dsch" else "C", None)]
    two = rest[:2]
    if two == "ch":
        return 2, [("C", None), ("X", GERMAN_CH)]
    if two == "wh":
        return 2, [("", None)]
    simple = {"sh": "C", "sj": "C", "kh": "X", "gh": "G", "dj": "J", "zh": "J", "th": "T",
              "dh": "D", "ph": "F", "ck": "K", "qu": "K"}
    if two == "gh" and i + 2 == len(word) and i > 0:
        return 2, [("G", None), ("", SILENT_GH)]
    if two in simple:
        return 2, [(simple[two], None)]
    if ch == "v":
        return 1, [("F", None), ("", PERSIAN_V)]
    if ch == "j":
        return 1, [("J", None), ("X", SPANISH_J), ("", DUTCH_J)]
    if ch == "g":
        if nxt == "u" and i + 2 < len(word) and word[i + 2] in _FRONT:
            return 2, [("G", None)]
        if nxt in _FRONT:
            return 1, [("G", None), ("J", FRENCH_G), ("X", SPANISH_G)]
        return 1, [("G", None), ("K", MAGHREBI_G), ("J", EGYPTIAN_G)]
    if ch == "c":
        if nxt in _FRONT:
            return 1, [("S", None), ("C", ITALIAN_C), ("J", TURKISH_C)]
        if nxt in ("a", "o", "u"):
            return 1, [("K", None), ("S", FRENCH_C), ("J", TURKISH_C)]
        if i > 0 and word[i - 1] in _VOWELS:  # Jukic, Halilovic: c/ć/č = ch
            return 1, [("K", None), ("C", SLAVIC_C)]
        return 1, [("K", None)]
    if two == "gl" and nxt == "l" and word[i + 2: i + 3] == "i":
        return 2, [("GL", None), ("L", ITALIAN_GL)]
    if two == "gn":
        return 2, [("GN", None), ("N", ITALIAN_GN)]
    if ch == "w" and i == 0 and nxt in _VOWELS:
        return 1, [("", None), ("F", GERMAN_W)]
    if two == "ll":
        return 2, [("L", None), ("", SPANISH_LL)]
    if ch == "h":
        # Often silent after a vowel: at the end of a word (Fatimah, Abdallah, but Samah =
        # سماح) and before a consonant (John, Kohler, but Ahmed = احمد).
        if i > 0 and word[i - 1] in _VOWELS and (not nxt or nxt not in _VOWELS):
            if not nxt:
                return 1, [("", None), ("H", None)]
            return 1, [("H", None), ("", None)]
        return 1, [("H", None)]
    if ch == "x":
        return 1, [("KS", None)]
    table = {"b": "B", "p": "B", "t": "T", "d": "D", "s": "S", "z": "S", "k": "K", "q": "K",
             "f": "F", "l": "L", "m": "M", "n": "N", "r": "R"}
    return 1, [(table.get(ch, ""), None)]


_SILENT_END = re.compile(r"(?<=[aeiouy])(?:lt|ts|ds|t|d|s|x|z)$|(?<=i)er$|(?<=[aeiou]r)[dt]$"
                         r"|(?<=[aeiou]s)er$")


@lru_cache(maxsize=200_000)
def latin_readings(word: str) -> tuple[Reading, ...]:
    """Every skeleton a folded Latin word may have, the default reading first.

    At most a handful of readings are kept: the default, then those needing the fewest
    conventions. French words that end in a silent consonant (Dassault, Maillot, Tillier)
    are also read without it.
    """
    readings = _readings(word)
    if len(word) >= 5 and (silent := _SILENT_END.search(word)):
        quiet = word[: silent.start()] + ("e" if silent.group() == "er" else "")
        seen = {skel for skel, _ in readings}
        extra = [(skel, (*notes, FRENCH_SILENT)) for skel, notes in _readings(quiet)[:2]
                 if skel not in seen]
        readings = readings[: _MAX_READINGS - len(extra)] + tuple(extra)
    return readings


def _readings(word: str) -> tuple[Reading, ...]:
    partial: list[tuple[str, tuple[str, ...]]] = [("", ())]
    i = 0
    while i < len(word):
        width, options = _step(word, i)
        grown: list[tuple[str, tuple[str, ...]]] = []
        for text, notes in partial:
            for cls, note in options:
                grown.append((text + cls, notes + ((note,) if note else ())))
        grown.sort(key=lambda r: len(r[1]))
        partial = grown[: _MAX_READINGS * 3]
        i += width
    seen: dict[str, tuple[str, ...]] = {}
    for text, notes in partial:
        skeleton = _collapse(text)
        if skeleton not in seen or len(notes) < len(seen[skeleton]):
            seen[skeleton] = tuple(dict.fromkeys(notes))
    ranked = sorted(seen.items(), key=lambda r: len(r[1]))
    return tuple(ranked[:_MAX_READINGS])


@lru_cache(maxsize=500_000)
def skeleton_similarity(a: str, b: str, floor: float = 0.5) -> float:
    """1 - weighted edit distance / longer length.

    Near classes substitute for half an edit, and h (often silent) comes and goes for half.

    Pairs that cannot reach ``floor`` get 0 without the full computation.
    """
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    longest = max(len(a), len(b))
    if Levenshtein.distance(a, b) > 2 * (1.0 - floor) * longest:
        return 0.0  # even with every substitution at half cost it stays below ``floor``
    sub = _SUBSTITUTION
    gaps_b = [0.5 if cb == "H" else 1.0 for cb in b]
    previous = [0.0]
    for gap in gaps_b:
        previous.append(previous[-1] + gap)
    for ca in a:
        gap_a = 0.5 if ca == "H" else 1.0
        left = previous[0] + gap_a
        current = [left]
        for j, cb in enumerate(b):
            diagonal = previous[j] + sub.get((ca, cb), 1.0)
            up = previous[j + 1] + gap_a
            left = left + gaps_b[j]
            if up < left:
                left = up
            if diagonal < left:
                left = diagonal
            current.append(left)
        previous = current
    return max(0.0, 1.0 - previous[-1] / max(len(a), len(b)))
