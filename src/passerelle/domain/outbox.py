"""The outbox: objects this node must push to a partner's node, until the partner has them.

Pulling (each node reading its partners' feeds every few seconds) is enough for most records;
some objects cannot wait for the next pull — alerts, hit reports, revocations, corrections. They
are written to the outbox, in the same transaction as the change that causes them, and a sender
posts them to the partner's inbox (TAXII ``add_objects``) until the partner confirms each one.

Delivery is at least once: an item whose confirmation was lost (the sender stopped after
posting, the answer never came) is posted again, and the receiving node stores a version it
already holds as a success that changes nothing. An item is never given up on: a partner that
is down gets everything once it returns. Failed attempts are spaced out (``retry_delay``).

Nothing here does I/O.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

FIRST_RETRY = dt.timedelta(seconds=1)
MAX_RETRY = dt.timedelta(minutes=5)
PARTNER_MAX_RETRY = dt.timedelta(seconds=30)
"""The longest wait before a partner that could not be reached is asked again: one request
every 30 s costs nothing, and a hit report waiting for a partner that came back must not wait
minutes. (An object a partner refuses waits up to ``MAX_RETRY``: its cause needs a person.)"""
JITTER = 0.2
"""A retry comes up to this fraction of its delay early, so that items that failed together
(a partner went down) do not all come due at the same microsecond."""
BATCH_DELAY = dt.timedelta(seconds=30)
"""How long an object that is not urgent may wait, to travel with others."""
ERROR_MAX = 1000
"""The longest ``last_error`` kept: an error page from a proxy can be long."""


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """One object for one partner, with its delivery state.

    ``object_version`` is the version the partner's status must confirm (``modified``, else
    ``created``, as written in the object; empty when it has neither). ``next_attempt_at`` is
    when the sender may post it (again); ``delivered_at`` is set once the partner confirmed it.
    """

    id: str
    partner: str
    object: Mapping[str, Any] = field(hash=False)
    object_id: str
    object_version: str
    enqueued_at: dt.datetime
    next_attempt_at: dt.datetime
    attempts: int = 0
    delivered_at: dt.datetime | None = None
    last_error: str | None = None

    @property
    def delivered(self) -> bool:
        """True once the partner confirmed it."""
        return self.delivered_at is not None


def version_of(obj: Mapping[str, Any]) -> str:
    """The version a TAXII status names for ``obj``: ``modified``, else ``created``, else
    empty."""
    for name in ("modified", "created"):
        value = obj.get(name)
        if isinstance(value, str):
            return value
    return ""


def retry_delay(item_id: str, attempts: int, cap: dt.timedelta = MAX_RETRY) -> dt.timedelta:
    """How long to wait after the ``attempts``-th failed attempt (1 for the first): 1 s,
    2 s, 4 s... up to ``cap`` (5 minutes), less up to 20 % (the same for the same item and
    attempt, so that a retry is reproducible in tests and logs)."""
    exponent = max(attempts, 1) - 1
    delay = cap if exponent >= 20 else min(FIRST_RETRY * (2 ** exponent), cap)
    digest = hashlib.sha256(f"{item_id}:{attempts}".encode()).digest()
    fraction = int.from_bytes(digest[:8], "big") / 2 ** 64
    return delay * (1 - JITTER * fraction)


def short_error(text: str) -> str:
    """``text`` cut to ``ERROR_MAX`` characters."""
    return text if len(text) <= ERROR_MAX else text[:ERROR_MAX - 1] + "…"
