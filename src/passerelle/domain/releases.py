"""The per-partner release feed: what each partner's node may fetch, in the order it changed.

When a record is written, the node decides for every registered partner whether the new
version may go there (:func:`passerelle.domain.policy.decide_release` and
:func:`passerelle.domain.transfers.decide_transfer`) and appends the outcome to that partner's
feed: the version is *shared*, or a version shared earlier is *withdrawn* (its markings no
longer allow it) or *erased*. A partner's TAXII collection is its feed, read in
``date_added`` order; a withdrawal or an erasure reaches every node that received the record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal


class Change(StrEnum):
    """What happened to a record for one partner."""

    SHARED = "shared"
    WITHDRAWN = "withdrawn"
    ERASED = "erased"


Which = Literal["all", "last", "first"]
"""Which entries of a partner's feed to read: every one, or only each record's last (or first)
entry in that partner's feed (TAXII's ``match[version]=last|first``)."""


@dataclass(frozen=True, slots=True)
class Release:
    """One entry of a partner's feed; ``seq`` is assigned by the store (0 before)."""

    partner: str
    record_id: str
    version: int
    change: Change
    date_added: dt.datetime
    seq: int = 0
