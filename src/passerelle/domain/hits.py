"""Screening, candidates and hits: from an automated match to the issuer's hits inbox.

A *check* (a traveller on a list a node screens, a person or document record a partner sends)
that the watchlist matches to someone's alert becomes a :class:`Candidate`. Nothing leaves the
node and nobody acts on it before a person has reviewed it (PNR Directive Art. 6(5), LED Art.
11): a reviewer confirms or dismisses it, with a justification. A confirmed candidate becomes a
:class:`HitReport` for the agency that issued the alert — found, place, time, reason of the
check, route and destination, companions, vehicle, objects carried, the action taken — which
travels over the federation's urgent path. The issuer always learns of every confirmed hit on
its alerts; both sides then exchange :class:`HitMessage` items (an acknowledgement, replies).
Between bureaux, a hit expects a reply within ``REPLY_DEADLINE`` (12 hours).

A covert alert (discreet, inquiry or specific check) is never revealed to whoever provided the
screened list: a screening job tells its submitter how far it got and how many checks went to
review, never which alert, which category or which traveller.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from passerelle.errors import ValidationFailed

REPLY_DEADLINE = dt.timedelta(hours=12)
"""The reply expected from the issuer's bureau after a hit report (SIRENE practice)."""
MAX_FIELD = 2000
MAX_LIST = 100


class JobStatus(StrEnum):
    """Where a screening job is."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class CheckSource(StrEnum):
    """What was checked against the watchlist."""

    LIST = "list"  # a traveller of a screened list
    RECORD = "record"  # a person or document record a partner sent


class CandidateStatus(StrEnum):
    """A candidate waits for a reviewer, who confirms or dismisses it."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


class Direction(StrEnum):
    """A hit report this node sent (as the finder) or received (as the issuer)."""

    SENT = "sent"
    RECEIVED = "received"


class MessageKind(StrEnum):
    """What follows a hit report between the two bureaux."""

    ACKNOWLEDGEMENT = "acknowledgement"
    REPLY = "reply"


@dataclass(frozen=True, slots=True)
class ScreeningJob:
    """One list submitted for screening, and how far its screening got."""

    id: str
    name: str
    submitted_by: str
    submitted_at: dt.datetime
    total: int
    done: int = 0
    candidates: int = 0
    status: JobStatus = JobStatus.QUEUED
    error: str = ""
    finished_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class Feature:
    """One piece of the matcher's evidence, as the reviewer reads it."""

    field: str
    weight: float
    text: str


@dataclass(frozen=True, slots=True)
class Candidate:
    """An automated match waiting for (or past) human review.

    ``query`` is the check as it was made: the traveller's fields as listed, or the partner
    record's id and fields. ``alert_id``/``alert_version`` name the alert as it stood."""

    id: str
    source: CheckSource
    query: dict[str, Any]
    alert_id: str
    alert_version: int
    issuer: str
    score: float
    features: tuple[Feature, ...]
    created_at: dt.datetime
    job_id: str | None = None
    row: int | None = None
    record_id: str | None = None
    status: CandidateStatus = CandidateStatus.PENDING
    reviewed_by: str = ""
    reviewed_at: dt.datetime | None = None
    justification: str = ""
    hit_id: str | None = None

    @property
    def explanation(self) -> str:
        """The evidence, strongest first, on one line."""
        ordered = sorted(self.features, key=lambda f: -abs(f.weight))
        return "; ".join(f"{f.field}: {f.text}" for f in ordered)


def _limited(value: str, name: str, *, required: bool = False) -> None:
    if not isinstance(value, str):
        raise ValidationFailed("must be a string", field=name)
    if required and not value.strip():
        raise ValidationFailed("must not be empty", field=name)
    if len(value) > MAX_FIELD:
        raise ValidationFailed(f"at most {MAX_FIELD} characters", field=name)


@dataclass(frozen=True, slots=True)
class Sighting:
    """What the finder tells the issuer about the encounter (SIS/SIRENE hit form)."""

    found_at: dt.datetime
    place: str
    reason_of_check: str
    action_taken: str
    route: str = ""
    destination: str = ""
    companions: tuple[str, ...] = ()
    vehicle: str = ""
    objects_carried: tuple[str, ...] = ()
    remarks: str = ""

    def __post_init__(self) -> None:
        if self.found_at.tzinfo is None:
            raise ValidationFailed("needs a time zone", field="found_at")
        _limited(self.place, "place", required=True)
        _limited(self.reason_of_check, "reason_of_check", required=True)
        _limited(self.action_taken, "action_taken", required=True)
        for name in ("route", "destination", "vehicle", "remarks"):
            _limited(getattr(self, name), name)
        for name in ("companions", "objects_carried"):
            items = getattr(self, name)
            if len(items) > MAX_LIST:
                raise ValidationFailed(f"at most {MAX_LIST} items", field=name)
            for index, item in enumerate(items):
                _limited(item, f"{name}[{index}]", required=True)


@dataclass(frozen=True, slots=True)
class HitReport:
    """A confirmed hit, as the finder sends it and the issuer receives it.

    ``id`` is ``hit--<uuid>``, the same on both nodes (its UUID is the STIX sighting's).
    ``reply_due`` is ``reported_at + REPLY_DEADLINE``; the hit is answered once the issuer
    acknowledged or replied."""

    id: str
    alert_id: str
    issuer: str
    finder: str
    sighting: Sighting
    reported_by: str
    reported_at: dt.datetime
    direction: Direction
    candidate_id: str | None = None
    answered_at: dt.datetime | None = None
    messages: tuple[HitMessage, ...] = field(default=())

    @property
    def reply_due(self) -> dt.datetime:
        """When the issuer's answer is expected."""
        return self.reported_at + REPLY_DEADLINE

    def overdue(self, now: dt.datetime) -> bool:
        """Unanswered past its deadline."""
        return self.answered_at is None and now > self.reply_due

    @property
    def partner(self) -> str:
        """The other side: the issuer for a sent hit, the finder for a received one."""
        return self.issuer if self.direction is Direction.SENT else self.finder


@dataclass(frozen=True, slots=True)
class HitMessage:
    """An acknowledgement or a reply about a hit, from either side."""

    id: str
    hit_id: str
    kind: MessageKind
    agency: str
    author: str
    text: str
    at: dt.datetime

    def __post_init__(self) -> None:
        _limited(self.text, "text", required=self.kind is MessageKind.REPLY)


def new_hit_id() -> str:
    """A fresh hit identifier."""
    return f"hit--{uuid.uuid4()}"


def check_justification(text: str) -> str:
    """A reviewer's decision needs words that say why."""
    if not isinstance(text, str) or len(text.strip()) < 10:
        raise ValidationFailed("say why, in at least 10 characters", field="justification")
    _limited(text, "justification")
    return text.strip()
