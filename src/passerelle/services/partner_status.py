"""The state of the exchange with every partner node, for the dashboard and the partners page
(``domain.partner_status`` says what each figure means and how the verdict is reached).

It discloses no personal data, only configuration, counts and times, so any active account
may read it, whatever its roles, and reading it is not audited. Everything is gathered in one
read-only transaction from a few small queries, none of which grows with the number of
records: the agencies, peer keys, legal bases and checkpoints (a row or two per partner), the
outbox summarised by the store (``OutboxRepository.partner_summary``, aggregates, not rows)
and the latest nonce per key id of the replay guard.

Signed requests leave no time of receipt behind, only each nonce's ``keep_until``
(``federation.signatures``: the earlier of the signature's ``expires`` and ``created`` plus
the allowed skew). A request accepted at ``t`` was neither stale nor expired then, so
``keep_until`` is at least ``t``, and at most ``t`` plus twice the skew: ``keep_until`` minus
twice the skew is never later than the truth, which is what ``last_request_at`` reports. The
guard forgets nonces a few minutes after ``keep_until``: older requests are not seen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from passerelle.domain.agencies import Agency
from passerelle.domain.partner_status import BasisSummary, PartnerStatus
from passerelle.domain.peers import Peer
from passerelle.domain.transfers import LegalBasis
from passerelle.errors import Forbidden
from passerelle.federation.signatures import DEFAULT_MAX_SKEW_S
from passerelle.ports import Clock, OutboxSummary, SyncCheckpoint, UnitOfWorkFactory
from passerelle.services.caller import Caller

REQUEST_UNCERTAINTY = dt.timedelta(seconds=2 * DEFAULT_MAX_SKEW_S)
"""How much earlier than a nonce's ``keep_until`` its request may have been accepted."""


class PartnerStatusService:
    """The partners of the node of ``agency_id``: every registered agency but its own."""

    def __init__(self, transactions: UnitOfWorkFactory, clock: Clock, agency_id: str) -> None:
        self._transactions = transactions
        self._clock = clock
        self._agency_id = agency_id

    def partners(self, caller: Caller) -> list[PartnerStatus]:
        """One status per partner agency, by agency id. ``Forbidden`` for a disabled account
        (roles do not matter: nothing personal is shown)."""
        if not caller.user.active:
            raise Forbidden("the account is disabled")
        with self._transactions() as tx:
            agencies = [a for a in tx.agencies.list() if a.id != self._agency_id]
            peers = tx.peers.list()
            bases = {basis.partner: basis for basis in tx.federation.bases()}
            checkpoints = tx.federation.checkpoints()
            outbox = tx.outbox.partner_summary()
            requests = _requests_by_agency(peers, tx.nonces.latest_by_key())
        return [_status(agency, [p for p in peers if p.agency_id == agency.id],
                        bases.get(agency.id), checkpoints.get(agency.id),
                        outbox.get(agency.id, OutboxSummary()), requests.get(agency.id))
                for agency in agencies]


def _requests_by_agency(peers: list[Peer], latest: Mapping[str, dt.datetime]
                        ) -> dict[str, dt.datetime]:
    """The estimated time of each agency's last accepted signed request, over all its keys
    (revoked ones included: a request accepted before the revocation was contact)."""
    found: dict[str, dt.datetime] = {}
    for peer in peers:
        kept = latest.get(peer.key_id)
        if kept is None:
            continue
        estimate = kept - REQUEST_UNCERTAINTY
        found[peer.agency_id] = max(estimate, found.get(peer.agency_id, estimate))
    return found


def _status(agency: Agency, keys: list[Peer], basis: LegalBasis | None,
            checkpoint: SyncCheckpoint | None, outbox: OutboxSummary,
            last_request_at: dt.datetime | None) -> PartnerStatus:
    active = [key for key in keys if key.active]
    address_from = active or keys  # oldest first: the last one is the latest
    return PartnerStatus(
        agency_id=agency.id, name=agency.name,
        base_url=address_from[-1].base_url if address_from else None,
        key_active=bool(active), legal_basis=_basis(basis),
        last_pull_at=checkpoint.pulled_at if checkpoint else None,
        last_entry_added=checkpoint.date_added if checkpoint else None,
        outbox_pending=outbox.pending, outbox_failing=outbox.failing,
        oldest_pending_at=outbox.oldest_pending_at, next_attempt_at=outbox.next_attempt_at,
        last_delivered_at=outbox.last_delivered_at, last_error=outbox.last_error,
        last_request_at=last_request_at)


def _basis(basis: LegalBasis | None) -> BasisSummary | None:
    if basis is None:
        return None
    return BasisSummary(basis.kind, basis.reference.strip() or None, basis.expires)
