"""Partial dates, as officers record them: a year, a year and month, or a full date."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from passerelle.errors import InvalidDate

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, slots=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day. A day is never known without its month."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if not 1800 <= self.year <= 2200:
            raise InvalidDate(f"year {self.year} is out of range 1800-2200")
        if self.day is not None and self.month is None:
            raise InvalidDate("a day needs a month")
        if self.month is not None and not 1 <= self.month <= 12:
            raise InvalidDate(f"month {self.month} does not exist")
        if self.day is not None and self.month is not None:
            try:
                dt.date(self.year, self.month, self.day)
            except ValueError:
                raise InvalidDate(
                    f"{self.year:04d}-{self.month:02d}-{self.day:02d} does not exist"
                ) from None

    @classmethod
    def parse(cls, text: str, field_name: str = "date") -> PartialDate:
        """Read ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise an error naming ``field_name``."""
        match = _PATTERN.match(text.strip()) if isinstance(text, str) else None
        if match is None:
            raise InvalidDate(
                f"{text!r} is not YYYY, YYYY-MM or YYYY-MM-DD", field=field_name
            )
        year, month, day = match.groups()
        try:
            return cls(int(year), int(month) if month else None, int(day) if day else None)
        except InvalidDate as error:
            raise InvalidDate(error.detail, field=field_name) from None

    def isoformat(self) -> str:
        """The shortest ISO 8601 form that holds what is known."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    def __str__(self) -> str:
        return self.isoformat()


def parse_timestamp(text: str, field_name: str) -> dt.datetime:
    """Read an ISO 8601 timestamp; naive values are taken as UTC."""
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, AttributeError, TypeError):
        raise InvalidDate(f"{text!r} is not an ISO 8601 timestamp", field=field_name) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    try:
        return value.astimezone(dt.UTC)
    except OverflowError:
        raise InvalidDate("outside the supported range of dates", field=field_name) from None
