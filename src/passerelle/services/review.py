"""The review queue: a person decides on every automated match before anyone acts on it
(PNR Directive Art. 6(5), LED Art. 11).

A reviewer reads a candidate side by side with the alert and its subject (``ReviewItem``) and
confirms or dismisses it with a justification; each decision is audited (``review``) and is
final: a second decision on the same candidate, by the same reviewer or another one at the
same moment, is refused (``AlreadyReviewed``) and writes nothing. A confirmation makes the hit
report for the issuing agency and sends it (``services.hits.send_in``) in the same
transaction: the issuer always learns of a confirmed hit on its alert. A hit on one of this
node's own alerts goes straight to its own hits inbox.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from passerelle.domain.audit import AuditAction, AuditEvent
from passerelle.domain.hits import (
    Candidate,
    CandidateStatus,
    Direction,
    HitReport,
    Sighting,
    check_justification,
    new_hit_id,
)
from passerelle.domain.policy import Action, decide
from passerelle.domain.records import Alert, AlertStatus, Record
from passerelle.errors import AlreadyReviewed, Conflict, NotFound
from passerelle.interop.stix.hits import hit_object
from passerelle.ports import Clock, UnitOfWork, UnitOfWorkFactory
from passerelle.services.caller import Caller
from passerelle.services.hits import send_in
from passerelle.services.notifications import HIT_READERS, NoticeKind, Notifications


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """A candidate with what the reviewer compares it to: the alert and its subject as held
    now (None when the reviewer may not see them, or they were erased)."""

    candidate: Candidate
    alert: Record | None
    subject: Record | None

    @property
    def covert(self) -> bool:
        """A discreet, inquiry or specific check: the person must not notice."""
        details = self.alert.details if self.alert is not None else None
        return isinstance(details, Alert) and details.covert


class ReviewService:
    """The review queue of the node of ``agency_id``."""

    def __init__(self, transactions: UnitOfWorkFactory, clock: Clock, agency_id: str,
                 notifications: Notifications, wake: Callable[[], None]) -> None:
        self._transactions = transactions
        self._clock = clock
        self._agency_id = agency_id
        self._notifications = notifications
        self._wake = wake

    def queue(self, caller: Caller, status: CandidateStatus | None = CandidateStatus.PENDING,
              after: str | None = None, limit: int = 50) -> list[ReviewItem]:
        """Candidates by id (pending ones by default), each with its alert and subject;
        audited as a consultation."""
        caller.require(Action.REVIEW)
        justification = caller.require_justification()
        with self._transactions() as tx:
            found = tx.screening.candidates(status, after, limit)
            items = self._items(tx, caller, found)
            tx.audit.append([AuditEvent(
                AuditAction.CONSULTATION, caller.actor, caller.user.agency_id, None,
                justification, {"candidates": [c.id for c in found]})])
            tx.commit()
        return items

    def item(self, caller: Caller, candidate_id: str) -> ReviewItem:
        """One candidate side by side with its alert; audited as a consultation."""
        caller.require(Action.REVIEW)
        justification = caller.require_justification()
        with self._transactions() as tx:
            found = tx.screening.candidate(candidate_id)
            if found is None:
                raise NotFound(f"no candidate {candidate_id}", field="candidate_id")
            item = self._items(tx, caller, [found])[0]
            tx.audit.append([AuditEvent(AuditAction.CONSULTATION, caller.actor,
                                        caller.user.agency_id, found.alert_id, justification,
                                        {"candidate": found.id})])
            tx.commit()
        return item

    def counts(self, caller: Caller) -> dict[CandidateStatus, int]:
        """How many candidates are in each status (no personal data)."""
        caller.require(Action.REVIEW)
        with self._transactions() as tx:
            return tx.screening.count_candidates()

    def _items(self, tx: UnitOfWork, caller: Caller, found: list[Candidate]
               ) -> list[ReviewItem]:
        today = self._clock.now().date()
        alerts = {r.id: r for r in tx.records.get_many(sorted({c.alert_id for c in found}))
                  if decide(caller.user, r, Action.READ, today)}
        subject_ids = {r.details.subject for r in alerts.values()
                       if isinstance(r.details, Alert)}
        subjects = {r.id: r for r in tx.records.get_many(sorted(subject_ids))
                    if decide(caller.user, r, Action.READ, today)}
        items = []
        for candidate in found:
            alert = alerts.get(candidate.alert_id)
            subject = (subjects.get(alert.details.subject)
                       if alert is not None and isinstance(alert.details, Alert) else None)
            items.append(ReviewItem(candidate, alert, subject))
        return items

    def dismiss(self, caller: Caller, candidate_id: str, justification: str) -> Candidate:
        """Not the alert's subject: nothing is reported."""
        caller.require(Action.REVIEW)
        why = check_justification(justification)
        with self._transactions() as tx:
            decided = self._decide(tx, caller, candidate_id, CandidateStatus.DISMISSED, why)
            tx.commit()
        return decided

    def confirm(self, caller: Caller, candidate_id: str, justification: str,
                sighting: Sighting) -> HitReport:
        """The alert's subject was found: the hit report goes to the issuer at once."""
        caller.require(Action.REVIEW)
        why = check_justification(justification)
        now = self._clock.now()
        with self._transactions() as tx:
            candidate = self._pending(tx, candidate_id)
            alert = tx.records.get(candidate.alert_id)
            if alert is None or not isinstance(alert.details, Alert) \
                    or alert.details.status is AlertStatus.WITHDRAWN:
                raise Conflict(f"the alert {candidate.alert_id} was withdrawn or erased "
                               "since the match: dismiss the candidate", field="candidate_id")
            own = alert.owner_agency == self._agency_id
            report = HitReport(
                id=new_hit_id(), alert_id=alert.id, issuer=alert.owner_agency,
                finder=self._agency_id, sighting=sighting, reported_by=caller.actor,
                reported_at=now, direction=Direction.RECEIVED if own else Direction.SENT,
                candidate_id=candidate.id)
            self._decide(tx, caller, candidate_id, CandidateStatus.CONFIRMED, why, report.id)
            tx.hits.add(report)
            if not own:
                send_in(tx, now, self._agency_id, alert.owner_agency, hit_object(report),
                        subject_id=report.id, summary=f"hit report on {alert.id}",
                        justification=why)
            tx.commit()
        self._wake()
        self._notifications.publish(NoticeKind.HIT, report.id, now, HIT_READERS,
                                    direction=report.direction.value, alert=alert.id)
        return report

    def _pending(self, tx: UnitOfWork, candidate_id: str) -> Candidate:
        candidate = tx.screening.candidate(candidate_id)
        if candidate is None:
            raise NotFound(f"no candidate {candidate_id}", field="candidate_id")
        if candidate.status is not CandidateStatus.PENDING:
            raise AlreadyReviewed(f"the candidate was {candidate.status.value} already",
                                  field="candidate_id")
        return candidate

    def _decide(self, tx: UnitOfWork, caller: Caller, candidate_id: str,
                status: CandidateStatus, why: str, hit_id: str | None = None) -> Candidate:
        candidate = self._pending(tx, candidate_id)
        decided = dataclasses.replace(candidate, status=status, reviewed_by=caller.actor,
                                      reviewed_at=self._clock.now(), justification=why,
                                      hit_id=hit_id)
        if not tx.screening.reviewed(decided):
            raise AlreadyReviewed("another reviewer decided meanwhile", field="candidate_id")
        tx.audit.append([AuditEvent(
            AuditAction.REVIEW, caller.actor, caller.user.agency_id, candidate.alert_id, why,
            {"candidate": candidate.id, "decision": status.value, "hit": hit_id})])
        return decided
