"""Travel and identity document numbers: normalised, confusion-tolerant, check-digit aware.

Numbers are compared as upper-case letters and digits. Scanners and officers confuse O and 0,
I and 1, S and 5, B and 8, Z and 2, G and 6 (and D/Q with 0): two numbers that agree once
those are folded are the same number read twice. A machine-readable zone appends a check digit
(ICAO 9303: weights 7, 3, 1; letters count 10-35, the filler ``<`` 0): a number that equals the
other plus a valid check digit is the same document.
"""

from __future__ import annotations

from enum import StrEnum

from passerelle.matching.text import document_key

_CONFUSIONS = str.maketrans("OQDILSBZG", "000115826")
_WEIGHTS = (7, 3, 1)


def mrz_check_digit(number: str) -> int:
    """The ICAO 9303 check digit of a document number."""
    total = 0
    for i, ch in enumerate(number):
        if ch.isdigit():
            value = int(ch)
        elif "A" <= ch <= "Z":
            value = ord(ch) - 55
        else:
            value = 0
        total += value * _WEIGHTS[i % 3]
    return total % 10


def confusion_key(number: str) -> str:
    """The number with every confusable letter read as the digit it is mistaken for."""
    return document_key(number).translate(_CONFUSIONS)


class DocumentAgreement(StrEnum):
    """How two document numbers agree."""

    SAME = "same document number"
    CONFUSED = "same document number up to O/0, I/1 or S/5 confusions"
    CHECK_DIGIT = "same document number, one with its MRZ check digit"
    DIFFERENT_SAME_COUNTRY = "another document of the same country"
    DIFFERENT = "another document"


def compare_documents(a: str, b: str, a_country: str = "",
                      b_country: str = "") -> DocumentAgreement:
    """The agreement of two document numbers (both non-empty)."""
    ka, kb = document_key(a), document_key(b)
    if ka == kb:
        return DocumentAgreement.SAME
    if len(ka) >= 5 and confusion_key(ka) == confusion_key(kb):
        return DocumentAgreement.CONFUSED
    for short, long in ((ka, kb), (kb, ka)):
        if len(long) == len(short) + 1 and len(short) >= 5 and long[-1].isdigit() \
                and confusion_key(long[:-1]) == confusion_key(short) \
                and mrz_check_digit(long[:-1]) == int(long[-1]):
            return DocumentAgreement.CHECK_DIGIT
    if a_country and b_country and a_country.upper() == b_country.upper():
        return DocumentAgreement.DIFFERENT_SAME_COUNTRY
    return DocumentAgreement.DIFFERENT
