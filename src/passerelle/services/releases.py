"""Fan-out of record changes to the partners' feeds, in the transaction that writes them.

Every time a record is created, changed or erased on this node, :class:`ReleasePlanner`
decides for each partner agency whether the new version may go there — the same policy that
guards local users (``policy.decide_release``: releasability, TLP, handling codes,
compartments, onward-transfer consents) plus the transfer law (``transfers.decide_transfer``:
a legal basis for personal data leaving the EU's common regime) — and appends the outcome to
that partner's feed (``domain.releases``). A version that may no longer go to a partner that
had an earlier one is *withdrawn*; an erased record is *erased* for every partner that had it.
Nothing is appended for a partner that never had the record and may not have it now.

``date_added`` is strictly increasing over the whole node (one microsecond at least between two
entries), taken inside the transaction after the audit append, whose head-row lock serialises
writers: a partner that resumes after the last ``date_added`` it saw misses nothing.

A withdrawal or an erasure is also pushed to the partner at once, in the same transaction
(``services.outbox.revocations_in``): its node need not wait for its next pull to remove its
copy. So is a correction — a new version of a record the partner holds an earlier version of
(LED Art. 7(3), 16: a correction reaches every recipient): its STIX object is put in the outbox,
recorded in the transfer register and audited as a disclosure (channel ``push``), in the same
transaction too. The next pull serves the same version, which the partner's node takes as
already held.

A new alert of this node's own is pushed the same way to every partner that may have it,
together with its subject (the person or document it is on), without waiting for the partners'
next pull: a partner screens against it from the moment it arrives. An alert goes only where
its subject may go too, since a partner could not match an alert without its subject.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import orjson

from passerelle.domain.agencies import Agency
from passerelle.domain.policy import decide_release
from passerelle.domain.records import Record, RecordKind
from passerelle.domain.releases import Change, Release
from passerelle.domain.transfers import (
    LegalBasis,
    TransferRecord,
    crosses_border,
    decide_transfer,
    disclosure_of,
    transfer_of,
)
from passerelle.interop.stix.export import record_object
from passerelle.ports import Clock, UnitOfWork
from passerelle.services.outbox import enqueue_in, revocations_in

TICK = dt.timedelta(microseconds=1)
PUSH = "push"
"""The channel of the transfers the outbox carries (a partner's pull is ``taxii``)."""


class ReleasePlanner:
    """Appends feed entries for the partners of the node of ``agency_id``."""

    def __init__(self, agency_id: str, clock: Clock) -> None:
        self._agency_id = agency_id
        self._clock = clock

    def _agencies(self, tx: UnitOfWork) -> tuple[Agency | None, list[Agency]]:
        """This node's agency and its partners; no partners before the node is set up (its
        own agency is registered by ``passerelle init``)."""
        agencies = tx.agencies.list()
        sender = next((a for a in agencies if a.id == self._agency_id), None)
        if sender is None:
            return None, []
        return sender, [a for a in agencies if a.id != self._agency_id]

    def _clock_after(self, tx: UnitOfWork) -> dt.datetime:
        now = self._clock.now()
        last = tx.federation.last_date_added()
        return now if last is None or now > last else last + TICK

    @staticmethod
    def allowed(record: Record, sender: Agency, partner: Agency, consents: frozenset[str],
                basis: LegalBasis | None, today: dt.date) -> bool:
        """Whether this version of the record may be in the partner's feed."""
        if not decide_release(record, sender, partner, consents):
            return False
        return bool(decide_transfer(record, sender, partner, basis, today))

    def written(self, tx: UnitOfWork, records: Sequence[Record], *, new: bool,
                only: str | None = None) -> int:
        """Plan the partners' feeds (or ``only`` that partner's) for records just added
        (``new``) or changed, or whose partner's situation changed (a legal basis recorded).

        A version already shared with a partner is not appended again. Returns the number of
        feed entries appended.
        """
        if not records:
            return 0
        sender, partners = self._agencies(tx)
        if only is not None:
            partners = [p for p in partners if p.id == only]
        if sender is None or not partners:
            return 0
        today = self._clock.now().date()
        bases = {basis.partner: basis for basis in tx.federation.bases()}
        stamp = self._clock_after(tx)
        entries: list[Release] = []
        corrections: list[tuple[Record, Agency]] = []
        # Consents matter only for what this node received from another agency.
        received = tx.federation.consents_of(
            [r.id for r in records if r.owner_agency != sender.id])
        subjects = self._subjects(tx, records)
        for record in records:
            before = {} if new else tx.federation.latest_changes(record.id)
            consents = received.get(record.id, frozenset())
            subject = subjects.get(record.references[0]) if record.kind is RecordKind.ALERT \
                else None
            for partner in partners:
                previous = before.get(partner.id)
                basis = bases.get(partner.id)
                if self.allowed(record, sender, partner, consents, basis, today) and (
                        subject is None or self.allowed(subject, sender, partner, frozenset(),
                                                        basis, today)):
                    if previous is not None and previous.change is Change.SHARED:
                        if previous.version == record.version:
                            continue  # already there
                        corrections.append((record, partner))
                    elif subject is not None and record.owner_agency == sender.id:
                        corrections += [(subject, partner), (record, partner)]
                    change = Change.SHARED
                elif previous is not None and previous.change is Change.SHARED:
                    change = Change.WITHDRAWN
                else:
                    continue
                entries.append(Release(partner.id, record.id, record.version, change, stamp))
                stamp += TICK
        tx.federation.append_releases(entries)
        revocations_in(tx, self._clock.now(), entries)
        self._push_corrections(tx, sender, bases, corrections)
        return len(entries)

    @staticmethod
    def _subjects(tx: UnitOfWork, records: Sequence[Record]) -> dict[str, Record]:
        """The subjects of the alerts among ``records``, as held (an alert whose subject is
        not held is released with no subject check: it cannot match anything anyway)."""
        wanted = sorted({r.references[0] for r in records if r.kind is RecordKind.ALERT})
        return {r.id: r for r in tx.records.get_many(wanted)} if wanted else {}

    def _push_corrections(self, tx: UnitOfWork, sender: Agency, bases: dict[str, LegalBasis],
                          corrections: Sequence[tuple[Record, Agency]]) -> None:
        """Enqueue each new version for the partner holding an earlier one, urgently, with its
        transfer record and one disclosure entry per partner (see the module docstring)."""
        now = self._clock.now()
        sent: dict[str, list[TransferRecord]] = {}
        for record, partner in corrections:
            obj = record_object(record)
            sent.setdefault(partner.id, []).append(transfer_of(
                record, bases.get(partner.id), orjson.dumps(obj), at=now, sender=sender.id,
                partner=partner.id, crossing=crosses_border(sender, partner), channel=PUSH))
            enqueue_in(tx, now, partner.id, [obj], urgent=True)
        for partner_id, transfers in sent.items():
            tx.federation.add_transfers(transfers)
            tx.audit.append([disclosure_of(partner_id, PUSH, transfers)])

    def erased(self, tx: UnitOfWork, record_id: str, version: int) -> list[str]:
        """Tell every partner that had the record that it is erased; their ids."""
        before = tx.federation.latest_changes(record_id)
        partners = sorted(p for p, release in before.items() if release.change is not Change.ERASED)
        stamp = self._clock_after(tx)
        entries = []
        for partner in partners:
            entries.append(Release(partner, record_id, version, Change.ERASED, stamp))
            stamp += TICK
        tx.federation.append_releases(entries)
        revocations_in(tx, self._clock.now(), entries)
        return partners
