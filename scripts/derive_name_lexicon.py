"""Derive the shipped name variant lexicon from public transliteration data.

Run from the repository root::

    .venv/bin/python scripts/derive_name_lexicon.py \
        --names ../shared/data/names --out src/passerelle/matching/data/name_lexicon.tsv.gz

Inputs (a folder, by default ``../shared/data/names``):

* ``netransliteration-wd_arabic.tsv``: ``latin<TAB>spaced Arabic letters<TAB>count`` name tokens
  from Wikidata (steveash/NETransliteration-COLING2018, CC0 1.0);
* ``google-ar2en-train.txt``: ``arabic<TAB>latin`` pairs (google/transliteration, Apache License
  2.0), each counted once. The eval and test splits are never read: they are kept for evaluation.

Each pair is folded with :func:`passerelle.matching.text.fold`. The Arabic key is the folded
Arabic with its letters joined; it must be made of Arabic letters only. The Latin side must fold
to a single word of ``a-z`` (``d'Arlandes`` folds to two words and ``øvrebø`` keeps a letter
outside a-z: such pairs are dropped and counted). Pairs whose Arabic key is
:func:`passerelle.matching.lexicon.held_out` are dropped, whatever their source.

Noise rule. The Wikidata tokens were aligned automatically, and some pairs are not
transliterations: a translation (من/of, الأمير/prince), an ordinal (الثاني/ii), a letter name
(دبليو/w), a misaligned neighbour (كولينز/ave) or an Arabic token that lost its first letter
(يفبفر/lefebvre). Two cheap checks drop them:

* initial sound: the first Latin letter must be one the first Arabic letter is commonly written
  with (``_INITIALS``), allowing for a leading alef or article (ابراهيم/brahim, الهادي/hedi,
  العربي/larbi), a leading Latin vowel (بن/ibn) and silent ``kn``/``wr`` (رايت/wright);
* length: the Latin word has between half and three times as many letters as the Arabic key,
  which drops ordinals and abbreviations (الرابع/iv, جاي/j) and compounds split on one side only
  (عبد/abdulhussain).

The output is deterministic: rows sorted by Arabic key, gzip with no name and mtime 0.
"""

from __future__ import annotations

import argparse
import gzip
import io
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from passerelle.matching.lexicon import held_out, lexicon_rows
from passerelle.matching.text import fold

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_NAMES = REPO_ROOT.parent / "shared" / "data" / "names"
DEFAULT_OUT = REPO_ROOT / "src" / "passerelle" / "matching" / "data" / "name_lexicon.tsv.gz"
NETRANSLITERATION = "netransliteration-wd_arabic.tsv"
GOOGLE_TRAIN = "google-ar2en-train.txt"
COMMAND = (
    "python scripts/derive_name_lexicon.py --names ../shared/data/names"
    " --out src/passerelle/matching/data/name_lexicon.tsv.gz"
)

_VOWELS = "aeiou"
# The Latin letters a word may start with when its Arabic form starts with a given letter
# (after fold: no hamza seats, no ta marbuta, no alef maqsura). Generous on purpose: it is
# there to catch pairs that are not transliterations at all, not to judge spelling.
_INITIALS = {
    "ا": _VOWELS + "yh", "ء": _VOWELS, "ب": "bpv", "ت": "tdcqz", "ث": "ts", "ج": "jgdzyc",
    "ح": "hkx", "خ": "khxcjg", "د": "dt", "ذ": "dzt", "ر": "r", "ز": "zsxj", "س": "sczx",
    "ش": "scxj", "ص": "s", "ض": "dz", "ط": "td", "ظ": "zdt", "ع": _VOWELS + "y", "غ": "gr",
    "ف": "fvpw", "ق": "qkgc", "ك": "kcqgx", "ل": "l", "م": "m", "ن": "n", "ه": "h",
    "و": "wvou", "ي": "yijeu", "پ": "p", "چ": "ct", "ڤ": "v", "ڨ": "g", "ک": "kcg", "گ": "g",
    "ھ": "h", "ہ": "h", "ی": "yije",
}
_ARABIC_KEY = re.compile("[" + "".join(_INITIALS) + "]+")
_LATIN_WORD = re.compile("[a-z]+")
_SILENT_LATIN = ("kn", "wr")


@dataclass
class Stats:
    """What the derivation read, kept and dropped (and why), for the summary on stderr."""

    read: Counter[str] = field(default_factory=Counter)
    kept: Counter[str] = field(default_factory=Counter)
    dropped: Counter[str] = field(default_factory=Counter)


def read_netransliteration(path: Path) -> Iterator[tuple[str, str, int]]:
    """Yield (arabic, latin, count) from the Wikidata token file."""
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            fields = line.rstrip("\n").split("\t")
            if len(fields) != 3 or not fields[2].isdigit():
                raise ValueError(f"{path.name} line {number}: expected latin, arabic, count")
            yield fields[1], fields[0], int(fields[2])


def read_google(path: Path) -> Iterator[tuple[str, str, int]]:
    """Yield (arabic, latin, 1) from a google/transliteration split."""
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            fields = line.rstrip("\n").split("\t")
            if len(fields) != 2:
                raise ValueError(f"{path.name} line {number}: expected arabic, latin")
            yield fields[0], fields[1], 1


def normalise(arabic: str, latin: str) -> tuple[str, str] | str:
    """The (Arabic key, Latin word) of a pair, or the reason it cannot be one."""
    arabic_key = fold(arabic).replace(" ", "")
    latin_word = fold(latin)
    if not _ARABIC_KEY.fullmatch(arabic_key):
        return "Arabic side not made of Arabic letters"
    if not _LATIN_WORD.fullmatch(latin_word):
        return "Latin side not a single a-z word"
    return arabic_key, latin_word


def _starts(word: str, skippable: bool) -> set[str]:
    return {word[0], word[1]} if skippable else {word[0]}


def plausible(arabic_key: str, latin: str) -> str | None:
    """None when a pair passes the noise rule, else the reason it fails."""
    if not len(arabic_key) / 2 <= len(latin) <= 3 * len(arabic_key):
        return "length out of bounds"
    arabic_starts = _starts(arabic_key, arabic_key[0] == "ا" and len(arabic_key) > 2)
    if arabic_key.startswith("ال") and len(arabic_key) > 3:
        arabic_starts.add(arabic_key[2])
    latin_skip = latin[:2] in _SILENT_LATIN or (latin[0] in _VOWELS and len(latin) > 2)
    latin_starts = _starts(latin, latin_skip)
    if any(c in _INITIALS.get(a, "") for a in arabic_starts for c in latin_starts):
        return None
    return "initial sounds disagree"


def derive(names: Path, stats: Stats | None = None) -> dict[str, Counter[str]]:
    """For each Arabic key kept, its Latin spellings with summed counts."""
    stats = stats if stats is not None else Stats()
    spellings: dict[str, Counter[str]] = {}
    sources = (
        (NETRANSLITERATION, read_netransliteration(names / NETRANSLITERATION)),
        (GOOGLE_TRAIN, read_google(names / GOOGLE_TRAIN)),
    )
    for source, pairs in sources:
        for arabic, latin, count in pairs:
            stats.read[source] += 1
            reason = _add(spellings, arabic, latin, count)
            if reason is None:
                stats.kept[source] += 1
            else:
                stats.dropped[f"{source}: {reason}"] += 1
    return spellings


def _add(spellings: dict[str, Counter[str]], arabic: str, latin: str, count: int) -> str | None:
    pair = normalise(arabic, latin)
    if isinstance(pair, str):
        return pair
    arabic_key, latin_word = pair
    if held_out(arabic_key):
        return "Arabic key held out"
    reason = plausible(arabic_key, latin_word)
    if reason is None:
        spellings.setdefault(arabic_key, Counter())[latin_word] += count
    return reason


def render(spellings: dict[str, Counter[str]]) -> str:
    """The lexicon file: comment header, then one row per Arabic key."""
    header = [
        "Passerelle name variant lexicon: Latin spellings observed for Arabic-script name forms.",
        "Source: netransliteration-wd_arabic.tsv from steveash/NETransliteration-COLING2018,"
        " CC0 1.0",
        "Source: google/transliteration ar2en train split, Apache License 2.0"
        " (eval and test splits not used)",
        f"Derived with: {COMMAND}",
        "Held out: every Arabic key whose BLAKE2b digest starts with a byte divisible by 5"
        " (passerelle.matching.lexicon.held_out)",
        "Noise rule: initial sounds must agree and the Latin word has 1/2 to 3 times the letters"
        " of the Arabic key (see the script)",
        "Format: arabic_key<TAB>total_count<TAB>latin:count ... by descending count, then a-z",
    ]
    rows = lexicon_rows({key: list(counts.items()) for key, counts in spellings.items()})
    return "".join(f"# {line}\n" for line in header) + "".join(f"{row}\n" for row in rows)


def write_gzip(text: str, out: Path) -> int:
    """Write ``text`` gzip-compressed with no file name and mtime 0; return the byte count."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as gz:
        gz.write(text.encode("utf-8"))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(buffer.getvalue())
    return len(buffer.getvalue())


def _report(stats: Stats, spellings: dict[str, Counter[str]], out: Path, size: int) -> None:
    for source, count in sorted(stats.read.items()):
        print(f"{source}: {count} pairs read, {stats.kept[source]} kept", file=sys.stderr)
    for reason, count in sorted(stats.dropped.items()):
        print(f"  dropped, {reason}: {count}", file=sys.stderr)
    pairs = sum(len(counts) for counts in spellings.values())
    print(f"{len(spellings)} Arabic keys, {pairs} spellings -> {out} ({size} bytes)",
          file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--names", type=Path, default=DEFAULT_NAMES,
                        help="folder holding the source files (default: ../shared/data/names)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the .tsv.gz to write")
    args = parser.parse_args(argv)
    stats = Stats()
    print(f"reading {args.names}", file=sys.stderr)
    spellings = derive(args.names, stats)
    size = write_gzip(render(spellings), args.out)
    _report(stats, spellings, args.out, size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
