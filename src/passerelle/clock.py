"""The system clock; tests inject their own ``ports.Clock``."""

from __future__ import annotations

import datetime as dt


class SystemClock:
    """Wall-clock time in UTC."""

    def now(self) -> dt.datetime:
        """The current time, timezone-aware UTC."""
        return dt.datetime.now(dt.UTC)
