"""The composition root: one node's services wired to its storage, clock and settings.

Adapters (API, web pages, CLI) receive a ``Node`` and call its services; they never build
repositories themselves. ``open_node`` is the one place that picks the storage adapter.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from passerelle.clock import SystemClock
from passerelle.ports import Clock, UnitOfWorkFactory
from passerelle.services.accounts import AccountService
from passerelle.services.auditing import AuditService
from passerelle.services.federation import FederationService
from passerelle.services.hits import HitService
from passerelle.services.imports import ImportService
from passerelle.services.notifications import Notifications
from passerelle.services.outbox import OutboxService
from passerelle.services.partner_status import PartnerStatusService
from passerelle.services.peers import PeerService
from passerelle.services.records import RecordService
from passerelle.services.replay_guard import DatabaseReplayGuard
from passerelle.services.review import ReviewService
from passerelle.services.screening import ScreeningService
from passerelle.services.watchlist import Watchlist
from passerelle.settings import Settings


@dataclass(frozen=True)
class Node:
    """Everything one node's adapters need."""

    settings: Settings
    clock: Clock
    transactions: UnitOfWorkFactory
    records: RecordService
    accounts: AccountService
    audit: AuditService
    imports: ImportService
    federation: FederationService
    peers: PeerService
    replay_guard: DatabaseReplayGuard
    outbox: OutboxService
    notifications: Notifications
    watchlist: Watchlist
    screening: ScreeningService
    review: ReviewService
    hits: HitService
    partner_status: PartnerStatusService

    @classmethod
    def build(cls, settings: Settings, transactions: UnitOfWorkFactory,
              clock: Clock | None = None) -> Node:
        """Wire the services over ``transactions``."""
        clock = clock or SystemClock()
        agency = settings.agency_id
        outbox = OutboxService(transactions, clock, agency)
        notifications = Notifications()
        watchlist = Watchlist(transactions, agency)
        return cls(
            settings=settings,
            clock=clock,
            transactions=transactions,
            records=RecordService(transactions, clock, settings.agency_id,
                                  settings.default_review_days),
            accounts=AccountService(transactions, clock, settings.agency_id),
            audit=AuditService(transactions, settings.audit_key.encode()),
            imports=ImportService(transactions, clock, settings.agency_id),
            federation=FederationService(transactions, clock, settings.agency_id),
            peers=PeerService(transactions, clock, settings.agency_id),
            replay_guard=DatabaseReplayGuard(transactions),
            outbox=outbox,
            notifications=notifications,
            watchlist=watchlist,
            screening=ScreeningService(transactions, clock, agency, watchlist, notifications,
                                       settings.screening_processes or os.cpu_count() or 1),
            review=ReviewService(transactions, clock, agency, notifications,
                                 outbox.notify_urgent),
            hits=HitService(transactions, clock, agency, notifications, outbox.notify_urgent),
            partner_status=PartnerStatusService(transactions, clock, agency),
        )
