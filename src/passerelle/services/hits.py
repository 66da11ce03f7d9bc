"""Hit reports and the messages that follow them: the inbox of hits received as issuer, the
hits sent as finder, acknowledgements, replies and their 12-hour deadlines.

A hit report or a message leaves this node in the transaction that stores it (``send_in``):
recorded in the transfer register (it holds personal data: a legal basis is needed to send it
abroad, ``NoLegalBasis`` otherwise), audited as a disclosure, put in the outbox as urgent. The
outbox sender is woken after the commit, so the issuer's node has it within a second when it is
reachable, and when it returns otherwise (the outbox retries; nothing is lost).

What a partner sends is accepted only from the right side: a hit report only from the agency
it names as finder and only on an alert this node issued (``receive_report``); a message only
from the other party of its hit (``receive_message``). Both are idempotent: delivery is at
least once, and a report received twice is stored once.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from passerelle.domain.audit import AuditAction, AuditEvent
from passerelle.domain.hits import Direction, HitMessage, HitReport, MessageKind
from passerelle.domain.records import Alert
from passerelle.domain.transfers import (
    BasisKind,
    TransferRecord,
    crosses_border,
    decide_personal_transfer,
    digest_of,
    disclosure_of,
)
from passerelle.domain.users import Role
from passerelle.errors import Forbidden, NoLegalBasis, NotFound, ValidationFailed
from passerelle.interop.stix.hits import hit_object, message_object
from passerelle.ports import Clock, UnitOfWork, UnitOfWorkFactory
from passerelle.services.caller import Caller
from passerelle.services.notifications import HIT_READERS, NoticeKind, Notifications
from passerelle.services.outbox import enqueue_in

PUSH = "push"
BUREAU_ROLES = frozenset({Role.ANALYST, Role.REVIEWER})


@dataclass(frozen=True, slots=True)
class Deadlines:
    """Hits waiting for the issuer's answer, per side: how many, how many overdue, and the
    overdue ones oldest first."""

    received_unanswered: int
    received_overdue: int
    sent_unanswered: int
    sent_overdue: int
    overdue: tuple[HitReport, ...]


def require_bureau(caller: Caller) -> None:
    """Hits are handled by the bureau's analysts and reviewers."""
    if not caller.user.active or not caller.user.roles & BUREAU_ROLES:
        raise Forbidden("hits are handled by analysts and reviewers")


def send_in(tx: UnitOfWork, now: dt.datetime, sender: str, partner: str,
            obj: Mapping[str, Any], *, subject_id: str, summary: str,
            justification: str) -> TransferRecord:
    """Record, audit and enqueue ``obj`` for ``partner`` in ``tx`` (see the module
    docstring); ``NoLegalBasis`` when it would leave without one."""
    sending, receiving = tx.agencies.get(sender), tx.agencies.get(partner)
    if sending is None or receiving is None:
        raise NotFound(f"no agency {partner}", field="issuer")
    crossing = crosses_border(sending, receiving)
    basis = tx.federation.basis(partner)
    decision = decide_personal_transfer(sending, receiving, basis, now.date())
    if not decision:
        raise NoLegalBasis(decision.reason, field="issuer")
    kind = (basis.kind if crossing and basis is not None else BasisKind.EU_DIRECTIVE)
    transfer = TransferRecord(
        id=f"transfer--{uuid.uuid4()}", at=now, sender=sender, recipient=partner,
        record_id=subject_id, version=1, basis=kind,
        reference=basis.reference if crossing and basis is not None else "",
        justification=justification, digest=digest_of(orjson.dumps(obj)), summary=summary,
        channel=PUSH)
    tx.federation.add_transfers([transfer])
    tx.audit.append([disclosure_of(partner, PUSH, [transfer])])
    enqueue_in(tx, now, partner, [obj], urgent=True)
    return transfer


class HitService:
    """Hits of the node of ``agency_id``; ``wake`` tells the outbox sender that urgent work
    was committed."""

    def __init__(self, transactions: UnitOfWorkFactory, clock: Clock, agency_id: str,
                 notifications: Notifications, wake: Callable[[], None]) -> None:
        self._transactions = transactions
        self._clock = clock
        self._agency_id = agency_id
        self._notifications = notifications
        self._wake = wake

    # -- reading --------------------------------------------------------------------------

    def hits(self, caller: Caller, direction: Direction | None, after: str | None = None,
             limit: int = 50) -> Sequence[HitReport]:
        """Hits received (the inbox) or sent, by id; audited as a consultation."""
        require_bureau(caller)
        justification = caller.require_justification()
        with self._transactions() as tx:
            found = tx.hits.list(direction, after, limit)
            tx.audit.append([AuditEvent(
                AuditAction.CONSULTATION, caller.actor, caller.user.agency_id, None,
                justification, {"hits": [h.id for h in found]})])
            tx.commit()
        return found

    def hit(self, caller: Caller, hit_id: str) -> HitReport:
        """One hit with its messages; audited as a consultation."""
        require_bureau(caller)
        justification = caller.require_justification()
        with self._transactions() as tx:
            found = tx.hits.get(hit_id)
            if found is None:
                raise NotFound(f"no hit {hit_id}", field="hit_id")
            tx.audit.append([AuditEvent(AuditAction.CONSULTATION, caller.actor,
                                        caller.user.agency_id, found.alert_id, justification,
                                        {"hit": hit_id})])
            tx.commit()
        return found

    def deadlines(self, caller: Caller) -> Deadlines:
        """Unanswered and overdue hits on both sides (no personal data: counts and ids)."""
        require_bureau(caller)
        now = self._clock.now()
        with self._transactions() as tx:
            received = tx.hits.unanswered(Direction.RECEIVED)
            sent = tx.hits.unanswered(Direction.SENT)
        overdue = tuple(h for h in (*received, *sent) if h.overdue(now))
        return Deadlines(len(received), sum(h.overdue(now) for h in received),
                         len(sent), sum(h.overdue(now) for h in sent),
                         tuple(sorted(overdue, key=lambda h: h.reported_at)))

    # -- messages -------------------------------------------------------------------------

    def acknowledge(self, caller: Caller, hit_id: str, text: str = "") -> HitMessage:
        """The issuer's acknowledgement of a received hit."""
        return self._message(caller, hit_id, MessageKind.ACKNOWLEDGEMENT, text)

    def reply(self, caller: Caller, hit_id: str, text: str) -> HitMessage:
        """A reply about a hit, from either side."""
        return self._message(caller, hit_id, MessageKind.REPLY, text)

    def _message(self, caller: Caller, hit_id: str, kind: MessageKind, text: str
                 ) -> HitMessage:
        require_bureau(caller)
        now = self._clock.now()
        message = HitMessage(f"message--{uuid.uuid4()}", hit_id, kind, self._agency_id,
                             caller.actor, text, now)
        with self._transactions() as tx:
            report = tx.hits.get(hit_id)
            if report is None:
                raise NotFound(f"no hit {hit_id}", field="hit_id")
            if kind is MessageKind.ACKNOWLEDGEMENT and report.direction is not Direction.RECEIVED:
                raise ValidationFailed("only the issuer acknowledges a hit", field="kind")
            tx.hits.add_message(message)
            if report.partner != self._agency_id:
                send_in(tx, now, self._agency_id, report.partner, message_object(message),
                        subject_id=report.alert_id, summary=f"{kind.value} about {hit_id}",
                        justification=f"{kind.value} about a hit on {report.alert_id}")
            tx.commit()
        self._wake()
        return message

    # -- from partners --------------------------------------------------------------------

    def receive_report(self, partner: str, report: HitReport) -> bool:
        """Store a hit report ``partner`` sent as finder on one of this node's alerts; False
        when it was stored already. ``NotFound`` (field ``sighting_of_ref``) for an alert this
        node did not issue, ``Forbidden`` for a report in another agency's name."""
        if report.finder != partner:
            raise Forbidden(f"{partner} sent a hit report in {report.finder}'s name")
        if report.issuer != self._agency_id:
            raise NotFound(f"{self._agency_id} issued no alert {report.alert_id}",
                           field="sighting_of_ref")
        now = self._clock.now()
        with self._transactions() as tx:
            alert = tx.records.get(report.alert_id)
            if alert is None or alert.owner_agency != self._agency_id \
                    or not isinstance(alert.details, Alert):
                raise NotFound(f"{self._agency_id} issued no alert {report.alert_id}",
                               field="sighting_of_ref")
            if not tx.hits.add(report):
                return False
            self._received_in(tx, partner, report.id, report.alert_id, now,
                              orjson.dumps(hit_object(report)), "hit report")
            tx.commit()
        self._notifications.publish(NoticeKind.HIT, report.id, now, HIT_READERS,
                                    direction=Direction.RECEIVED.value, finder=partner,
                                    alert=report.alert_id)
        return True

    def receive_message(self, partner: str, message: HitMessage) -> bool:
        """Store a message ``partner`` sent about a hit it is party to; False when known."""
        if message.agency != partner:
            raise Forbidden(f"{partner} sent a message in {message.agency}'s name")
        now = self._clock.now()
        with self._transactions() as tx:
            report = tx.hits.get(message.hit_id)
            if report is None or report.partner != partner:
                raise NotFound(f"no hit {message.hit_id} shared with {partner}",
                               field="object_refs")
            if message.kind is MessageKind.ACKNOWLEDGEMENT and partner != report.issuer:
                raise ValidationFailed("only the issuer acknowledges a hit", field="kind")
            if not tx.hits.add_message(message):
                return False
            self._received_in(tx, partner, message.id, report.alert_id, now,
                              orjson.dumps(message_object(message)), message.kind.value)
            tx.commit()
        self._notifications.publish(NoticeKind.MESSAGE, message.id, now, HIT_READERS,
                                    hit=message.hit_id, message_kind=message.kind.value)
        return True

    def _received_in(self, tx: UnitOfWork, partner: str, object_id: str, alert_id: str,
                     now: dt.datetime, payload: bytes, what: str) -> None:
        """The receiving side's trace: the transfer register and a collection entry."""
        tx.federation.add_transfers([TransferRecord(
            id=f"transfer--{uuid.uuid4()}", at=now, sender=partner, recipient=self._agency_id,
            record_id=object_id, version=1, basis=BasisKind.NOT_REQUIRED, reference="",
            justification=f"{what} on {alert_id}", digest=digest_of(payload),
            summary=f"{what} received", channel=PUSH)])
        tx.audit.append([AuditEvent(AuditAction.COLLECTION, f"node:{partner}", partner,
                                    alert_id, f"{what} received from {partner}",
                                    {"object": object_id, "from": partner})])
