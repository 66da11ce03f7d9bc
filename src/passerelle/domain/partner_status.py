"""How the exchange with each partner node is going, as the dashboard and the partners page
show it: configuration (key, address, legal basis), synchronisation and delivery.

A ``PartnerStatus`` holds no personal data: counts, times, an agency's name and the text of a
delivery error. Nothing here reads the database; ``services.partner_status`` gathers the facts.

Contact is only observed, never probed: this node knows a partner is alive when it took
entries from the partner's feed (``last_pull_at``), when the partner confirmed an outbox
delivery (``last_delivered_at``), or when it accepted a signed request from the partner
(``last_request_at``). A pull that finds nothing new moves no checkpoint, so a partner whose
feed is quiet, that this node pushes nothing to and that does not call, shows no recent
contact even when it is up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from passerelle.domain.transfers import BasisKind

FRESH_CONTACT = dt.timedelta(minutes=5)
"""Contact within this long, and nothing waiting longer to be delivered, is ``ok``."""
LOST_CONTACT = dt.timedelta(hours=1)
"""No contact for this long (or never) is ``unreachable``."""


class PartnerState(StrEnum):
    """The one-word verdict on a partner, most serious first (see ``PartnerStatus.state``)."""

    NOT_CONFIGURED = "not_configured"
    UNREACHABLE = "unreachable"
    LAGGING = "lagging"
    OK = "ok"


@dataclass(frozen=True, slots=True)
class BasisSummary:
    """The legal basis recorded for transfers to the partner: its kind, the instrument it
    names (None when the record names none) and when it expires (None: no end date)."""

    kind: BasisKind
    reference: str | None
    expires: dt.date | None = None


@dataclass(frozen=True, slots=True)
class PartnerStatus:
    """One partner agency of this node, as seen from this node.

    - ``base_url``: where the partner serves TAXII, from its latest active key (its latest
      revoked key when none is active); None when no key was ever registered.
    - ``key_active``: at least one of its registered keys is not revoked.
    - ``last_pull_at``/``last_entry_added``: when this node last took entries from the
      partner's feed, and the feed's ``date_added`` of the last entry taken.
    - ``outbox_pending``/``oldest_pending_at``/``next_attempt_at``: undelivered outbox items,
      when the oldest was enqueued, when the next attempt is due; ``outbox_failing`` counts
      those that failed at least once, ``last_error`` is the latest failure's error text.
    - ``last_delivered_at``: the latest confirmed delivery still kept (delivered items are
      purged after a while).
    - ``last_request_at``: a conservative estimate of when the partner's last signed request
      was accepted (never later than the truth), known only for a few minutes afterwards.
    """

    agency_id: str
    name: str
    base_url: str | None = None
    key_active: bool = False
    legal_basis: BasisSummary | None = None
    last_pull_at: dt.datetime | None = None
    last_entry_added: dt.datetime | None = None
    outbox_pending: int = 0
    outbox_failing: int = 0
    oldest_pending_at: dt.datetime | None = None
    next_attempt_at: dt.datetime | None = None
    last_delivered_at: dt.datetime | None = None
    last_error: str | None = None
    last_request_at: dt.datetime | None = None

    @property
    def last_contact(self) -> dt.datetime | None:
        """The latest sign of life: the last pull, delivery or accepted signed request."""
        seen = [t for t in (self.last_pull_at, self.last_delivered_at, self.last_request_at)
                if t is not None]
        return max(seen, default=None)

    def sync_lag(self, now: dt.datetime) -> dt.timedelta | None:
        """How long since this node last took entries from the partner's feed (None: never)."""
        return None if self.last_pull_at is None else now - self.last_pull_at

    def state(self, now: dt.datetime) -> PartnerState:
        """The verdict at ``now``, the first rule that applies:

        1. ``not_configured``: no active key, or no TAXII address to reach the partner at;
        2. ``unreachable``: an undelivered item failed (it carries an error), or there was no
           contact for ``LOST_CONTACT`` (an hour), or never any;
        3. ``ok``: contact within ``FRESH_CONTACT`` (5 minutes) and no item waiting longer
           than that to be delivered;
        4. ``lagging``: otherwise (contact within the hour but not the last 5 minutes, or items
           waiting more than 5 minutes without having failed).
        """
        if not self.key_active or self.base_url is None:
            return PartnerState.NOT_CONFIGURED
        contact = self.last_contact
        if self.outbox_failing or contact is None or now - contact > LOST_CONTACT:
            return PartnerState.UNREACHABLE
        waiting = self.oldest_pending_at is not None and \
            now - self.oldest_pending_at > FRESH_CONTACT
        if now - contact <= FRESH_CONTACT and not waiting:
            return PartnerState.OK
        return PartnerState.LAGGING
