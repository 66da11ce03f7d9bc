"""STIX patterns, checked against the STIX 2.1 grammar."""

from __future__ import annotations

from functools import lru_cache

from stix2patterns.validator import run_validator  # type: ignore[import-untyped]

from passerelle.errors import InvalidStix


def check_pattern(pattern: str, field: str) -> None:
    """Refuse a STIX pattern the STIX 2.1 grammar does not accept.

    The domain only checks the brackets; a record whose pattern makes every partner's validator
    fail must not enter through STIX. Services may call this at write time as well (export does
    not re-check, to keep large feeds cheap).
    """
    errors = _grammar_errors(pattern)
    if errors:
        raise InvalidStix(f"not a valid STIX 2.1 pattern: {errors[0]}", field=field)


@lru_cache(maxsize=4096)
def _grammar_errors(pattern: str) -> tuple[str, ...]:
    # Parsing costs milliseconds; feeds resend the same patterns with every new version.
    return tuple(run_validator(pattern, stix_version="2.1"))
