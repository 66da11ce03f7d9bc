"""STIX patterns, checked against the STIX 2.1 grammar."""

from __future__ import annotations

import re
from functools import lru_cache

from stix2patterns.validator import run_validator  # type: ignore[import-untyped]

from passerelle.errors import InvalidStix


def check_pattern(pattern: str, field: str) -> None:
    """Refuse a STIX pattern the STIX 2.1 grammar does not accept.

    The domain only checks the brackets; a record whose pattern makes every partner's validator
    fail must not enter through STIX. Services may call this at write time as well (export does
    not re-check, to keep large feeds cheap).
    """
    if _simple(pattern):
        return
    errors = _grammar_errors(pattern)
    if errors:
        raise InvalidStix(f"not a valid STIX 2.1 pattern: {errors[0]}", field=field)


# One comparison of an object path with a string, e.g. ``[file:hashes.'SHA-256' = '…']``: the
# shape of nearly every shared indicator. Whatever this matches, the grammar accepts (a test
# checks it), and it costs microseconds where the full parser costs milliseconds.
_STEP = r"(?:\.(?:[a-z_][a-z0-9_]*|'[A-Za-z0-9_ -]+')|\[(?:\d+|\*)\])"
SIMPLE_PATTERN = re.compile(
    r"^\[[a-z][a-z0-9_-]*:[a-z_][a-z0-9_]*" + _STEP + r"*\s*!?=\s*"
    r"'(?:[^'\\]|\\['\\])*'\]$")


_HASH = re.compile(r"^\[[a-z][a-z0-9_-]*:hashes\.'?([A-Za-z0-9-]+)'?\s*=\s*'([0-9A-Fa-f]*)'\]$")
_HEX_LENGTH = {"MD5": 32, "SHA-1": 40, "SHA-256": 64, "SHA-512": 128}


def _simple(pattern: str) -> bool:
    """A single string comparison the grammar accepts; hash values must have their length."""
    if not SIMPLE_PATTERN.match(pattern):
        return False
    if "hashes" not in pattern:
        return True
    found = _HASH.match(pattern)
    return found is not None and _HEX_LENGTH.get(found[1]) == len(found[2])


@lru_cache(maxsize=4096)
def _grammar_errors(pattern: str) -> tuple[str, ...]:
    # Parsing costs milliseconds; feeds resend the same patterns with every new version.
    return tuple(run_validator(pattern, stix_version="2.1"))
