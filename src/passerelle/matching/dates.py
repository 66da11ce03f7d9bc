"""Dates of birth as lists hold them: full or partial, with the drift seen between registers.

Compared at the precision both sides have. Drift a match survives: day and month swapped
(03/04 read as 04/03), a mistyped year one off, a date reduced to its year, and 1 January
registered for an unknown day and month (common in some civil registers): such a date is
compared as a year only.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from passerelle.matching.model import MatchingInputError

_FORMAT = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
EARLIEST_YEAR = 1880


@dataclass(frozen=True, slots=True)
class BirthDate:
    """A date of birth: a year, maybe a month, maybe a day (never a day without a month)."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def defaulted(self) -> bool:
        """True for 1 January, the date many registers record when only the year is known."""
        return self.month == 1 and self.day == 1


@lru_cache(maxsize=100_000)
def parse_birth_date(text: str, field: str = "date_of_birth") -> BirthDate | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; None for an empty text.

    Raises MatchingInputError naming ``field`` for any other form or an impossible date.
    """
    text = text.strip()
    if not text:
        return None
    match = _FORMAT.match(text)
    if match is None:
        raise MatchingInputError(field, f"{text!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    day = int(match.group(3)) if match.group(3) else None
    if not EARLIEST_YEAR <= year <= dt.date.today().year:
        raise MatchingInputError(field, f"year {year} is not a plausible year of birth")
    if month is not None and not 1 <= month <= 12:
        raise MatchingInputError(field, f"{text!r} has no month {month}")
    if day is not None and month is not None:
        try:
            dt.date(year, month, day)
        except ValueError:
            raise MatchingInputError(field, f"{text!r} is not a calendar date") from None
    return BirthDate(year, month, day)


class DateAgreement(StrEnum):
    """How two dates of birth agree."""

    SAME = "same date of birth"
    SWAPPED = "day and month swapped"
    YEAR_OFF_BY_ONE = "same day and month, year one apart"
    SAME_YEAR_MONTH = "same year and month (day missing on one side)"
    SAME_YEAR = "same year (day and month missing or defaulted)"
    SAME_YEAR_DAY_DIFFERS = "same year and month, another day"
    SAME_YEAR_OTHER_DAY = "same year, another day and month"
    NEAR_YEAR = "years one apart (partial dates)"
    DIFFERENT = "different years of birth"


def compare_dates(a: BirthDate, b: BirthDate) -> DateAgreement:
    """The agreement level of two dates of birth."""
    if a.defaulted or b.defaulted:
        a, b = BirthDate(a.year), BirthDate(b.year)
    gap = abs(a.year - b.year)
    full = a.day is not None and b.day is not None
    if full:
        if a == b:
            return DateAgreement.SAME
        if gap == 0 and a.day == b.month and a.month == b.day:
            return DateAgreement.SWAPPED
        if gap == 1 and a.month == b.month and a.day == b.day:
            return DateAgreement.YEAR_OFF_BY_ONE
        if gap == 0 and a.month == b.month:
            return DateAgreement.SAME_YEAR_DAY_DIFFERS
        if gap == 0:
            return DateAgreement.SAME_YEAR_OTHER_DAY
        return DateAgreement.DIFFERENT
    if gap == 0:
        if a.month is not None and b.month is not None:
            if a.month == b.month:
                return DateAgreement.SAME_YEAR_MONTH
            if (a.day is not None and a.day == b.month) or (b.day is not None and b.day == a.month):
                return DateAgreement.SWAPPED
            return DateAgreement.SAME_YEAR_OTHER_DAY
        return DateAgreement.SAME_YEAR
    if gap == 1:
        return DateAgreement.NEAR_YEAR
    return DateAgreement.DIFFERENT
