"""Live notices for the node's users: new candidates to review, hits received, replies.

A notice names what happened and its id, never the personal data itself: a page or a partner
tool that is told "candidate X is waiting" reads X through the API, under the policy and the
audit log like any other read. Each notice says which roles may be told; a subscriber receives
the notices meant for its user's roles (``roles``), in the order they were published.

Publishing is synchronous and cheap: each subscriber's callback only hands the notice over (to
an asyncio queue, say) and must never block or raise. Services publish after their commit, so
that nobody is told of something that was rolled back.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from passerelle.domain.users import Role, User

log = logging.getLogger(__name__)


class NoticeKind(StrEnum):
    """What a notice announces."""

    CANDIDATE = "candidate"  # a check waits for review
    SCREENING = "screening"  # a screening job progressed or ended
    HIT = "hit"  # a hit report received (as issuer) or sent
    MESSAGE = "message"  # an acknowledgement or a reply about a hit


REVIEWERS = frozenset({Role.REVIEWER})
HIT_READERS = frozenset({Role.ANALYST, Role.REVIEWER})


@dataclass(frozen=True, slots=True)
class Notice:
    """One announcement: ``kind``, the ``subject`` id, when, and a few non-personal facts."""

    kind: NoticeKind
    subject: str
    at: dt.datetime
    roles: frozenset[Role]
    data: dict[str, Any] = field(default_factory=dict)
    seq: int = 0


Listener = Callable[[Notice], None]


class Notifications:
    """Publish/subscribe within one node's process (see the module docstring)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: dict[int, tuple[frozenset[Role], Listener]] = {}
        self._ids = itertools.count(1)
        self._seq = itertools.count(1)

    def subscribe(self, user: User, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` with each notice meant for ``user``'s roles; returns the
        function that ends the subscription."""
        key = next(self._ids)
        with self._lock:
            self._listeners[key] = (user.roles if user.active else frozenset(), listener)

        def unsubscribe() -> None:
            with self._lock:
                self._listeners.pop(key, None)
        return unsubscribe

    @property
    def subscribers(self) -> int:
        """How many subscriptions are open."""
        with self._lock:
            return len(self._listeners)

    def publish(self, kind: NoticeKind, subject: str, at: dt.datetime,
                roles: frozenset[Role], **data: Any) -> Notice:
        """Hand a notice to every subscriber allowed to see it."""
        with self._lock:
            notice = Notice(kind, subject, at, roles, data, next(self._seq))
            listeners = [listener for wanted, listener in self._listeners.values()
                         if wanted & roles]
        for listener in listeners:
            try:
                listener(notice)
            except Exception:  # one broken subscriber must not stop the others
                log.exception("a notice listener failed")
        return notice
