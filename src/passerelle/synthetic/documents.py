"""Passport-like document numbers, plausible per issuing country and unique per person.

Why: document numbers are the strongest identifier officers exchange, so benchmarks
need them realistic (a French number looks like ``19AB12345``, a Spanish one like
``PAA123456``) and unique, otherwise two fictional people would falsely share one.
Uniqueness comes from a seeded bijection of the person key onto ``[0, 2**26)``: every
format encodes that index injectively, and formats that could look alike either share
the same encoder or differ in a fixed character. Keys below 2**26 (67 million) thus
never share a number; the random parts (issue year, series letter) only add realism.
"""

from __future__ import annotations

from collections.abc import Callable

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_DE_ALPHABET = "CFGHJKLMNPRTVWXYZ0123456789"
_SPACE_BITS = 26
_MASK = (1 << _SPACE_BITS) - 1


def document_index(key: int, seed_salt: int) -> int:
    """Map ``key`` to a seed-dependent index in ``[0, 2**26)``, bijectively for small keys.

    Built from invertible steps modulo 2**26 (xor with a constant, odd multiply,
    xor-shift), so distinct keys below 2**26 get distinct indexes.
    """
    x = (key ^ (key >> _SPACE_BITS) ^ seed_salt) & _MASK
    x = (x * 0x2C1B3C6D + (seed_salt >> 26)) & _MASK
    x ^= x >> 13
    x = (x * 0x297A2D39) & _MASK
    x ^= x >> 11
    return x


# Each encoder receives the unique index and 32 random bits for the cosmetic parts.
Encoder = Callable[[int, int], str]


def _fr(idx: int, bits: int) -> str:
    # Issue year (two digits), two letters, five digits: 19AB12345.
    rest, digits = divmod(idx, 100_000)
    return f"{10 + bits % 15:02d}{_LETTERS[rest // 26]}{_LETTERS[rest % 26]}{digits:05d}"


def _es(idx: int, bits: int) -> str:
    # Series letter then two letters and six digits: PAA123456.
    rest, digits = divmod(idx, 1_000_000)
    return f"{'PX'[bits % 2]}{_LETTERS[rest // 26]}{_LETTERS[rest % 26]}{digits:06d}"


def _be(idx: int, bits: int) -> str:
    # Two letters and six digits: EM123456.
    rest, digits = divmod(idx, 1_000_000)
    return f"{'EFG'[rest // 26]}{_LETTERS[rest % 26]}{digits:06d}"


def _ll7(idx: int, bits: int) -> str:
    # Two letters and seven digits (Morocco, Italy and the default): AB1234567.
    rest, digits = divmod(idx, 10_000_000)
    return f"{_LETTERS[bits % 26]}{_LETTERS[rest]}{digits:07d}"


def _l7(idx: int, bits: int) -> str:
    # One letter and seven digits (India, Austria): K1234567.
    rest, digits = divmod(idx, 10_000_000)
    return f"{'JKLMNPRSTUVWZ'[rest]}{digits:07d}"


def _de(idx: int, bits: int) -> str:
    # German style: C, a digit, then seven characters without vowels: C01X00T47.
    rest, first = divmod(idx, 10)
    chars = []
    for _ in range(7):
        rest, r = divmod(rest, len(_DE_ALPHABET))
        chars.append(_DE_ALPHABET[r])
    return f"C{first}{''.join(chars)}"


def _d9(idx: int, bits: int) -> str:
    # Nine digits (United Kingdom, Ireland, United States): 512345678.
    return f"{1 + bits % 9}{idx:08d}"


def _nl(idx: int, bits: int) -> str:
    # Dutch style: N, a series letter, two letters and five digits: NX AB 12345.
    rest, digits = divmod(idx, 100_000)
    return f"N{_LETTERS[bits % 26]}{_LETTERS[rest // 26]}{_LETTERS[rest % 26]}{digits:05d}"


def _letter8(letter: str) -> Encoder:
    def encode(idx: int, bits: int) -> str:
        return f"{letter}{idx:08d}"

    return encode


_ENCODERS: dict[str, Encoder] = {
    "FR": _fr, "ES": _es, "BE": _be, "CA": _be, "MA": _ll7, "IT": _ll7, "DE": _de,
    "AT": _l7, "IN": _l7, "GB": _d9, "IE": _d9, "US": _d9, "NL": _nl,
    "TR": _letter8("U"), "CN": _letter8("E"), "VN": _letter8("B"), "KR": _letter8("M"),
    "JP": _letter8("T"),
}


def document_number(country: str, idx: int, bits: int) -> str:
    """Format the unique index ``idx`` as a passport number of ``country``."""
    return _ENCODERS.get(country, _ll7)(idx, bits)
