"""Text normalisation shared by the search index and the matcher.

Names are compared as *keys*: Unicode NFKC, case-folded, Latin accents removed, Arabic letter
forms unified (alef with hamza or madda -> alef, ta marbuta -> ha, alef maqsura -> ya), Arabic
diacritics and tatweel dropped, punctuation turned into spaces. A key never changes the script:
romanisation and spelling conventions are the matcher's business, not the index's.
"""

from __future__ import annotations

import re
import unicodedata

_ARABIC_FOLD = str.maketrans({
    "\u0622": "\u0627", "\u0623": "\u0627", "\u0625": "\u0627", "\u0671": "\u0627",  # alef forms
    "\u0629": "\u0647",  # ta marbuta -> ha
    "\u0649": "\u064a",  # alef maqsura -> ya
    "\u0624": "\u0648",  # waw with hamza -> waw
    "\u0626": "\u064a",  # ya with hamza -> ya
    "\u0640": None,  # tatweel
})
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed]")
_SEPARATORS = re.compile(r"[^\w]+|_")
_DOCUMENT = re.compile(r"[^0-9A-Z]")


def fold(text: str) -> str:
    """The comparable form of a piece of text, words separated by single spaces."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _ARABIC_MARKS.sub("", text.translate(_ARABIC_FOLD))
    decomposed = unicodedata.normalize("NFD", text)
    text = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    text = unicodedata.normalize("NFC", text).replace("ß", "ss").replace("ı", "i")
    return " ".join(_SEPARATORS.sub(" ", text).split())


def name_tokens(text: str) -> list[str]:
    """The words of a name, folded, in order, without duplicates."""
    seen: dict[str, None] = {}
    for token in fold(text).split():
        seen.setdefault(token, None)
    return list(seen)


def document_key(number: str) -> str:
    """A document number reduced to upper-case letters and digits (spaces, dashes dropped)."""
    return _DOCUMENT.sub("", unicodedata.normalize("NFKC", number).upper())
