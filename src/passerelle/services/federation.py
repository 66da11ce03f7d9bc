"""The node's side of the federation: legal bases, what a partner may fetch, and the transfer
register.

- Administrators record a legal basis per partner (``record_basis``); the basis is checked
  against the pair of agencies (the Directive between EU members; an adequacy decision, an
  agreement, safeguards or a derogation otherwise) and the change is audited.
- A partner's node reads its feed (``partner_page``): every entry is decided again at the time
  of sending, by the same policy and transfer law as when it was planned (a basis may have
  expired since, a record may have been erased), and every version actually sent writes a
  transfer record (date, time, recipient authority, basis and justification, digest of the
  bytes sent) and an audit entry of the disclosure, in the same transaction.
- Auditors export the transfer register (``transfers``); the export is audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from passerelle.domain.agencies import Agency
from passerelle.domain.audit import AuditAction, AuditEvent
from passerelle.domain.policy import may_use_role
from passerelle.domain.records import Record
from passerelle.domain.releases import Change, Release, Which
from passerelle.domain.transfers import (
    BasisKind,
    LegalBasis,
    TransferRecord,
    crosses_border,
    disclosure_of,
    transfer_of,
)
from passerelle.domain.users import Role
from passerelle.errors import Forbidden, NotFound
from passerelle.ports import (
    AuditQuery,
    Clock,
    RecordQuery,
    TransferQuery,
    UnitOfWork,
    UnitOfWorkFactory,
)
from passerelle.services.caller import Caller
from passerelle.services.releases import ReleasePlanner

#: Turns a record version into the exact bytes sent (the STIX serialisation, say).
Serializer = Callable[[Record], bytes]
REPLAN_BATCH = 2000
#: A page scans at most this many batches of the feed when filters select little.
SCAN_PAGES = 10


@dataclass(frozen=True, slots=True)
class SentEntry:
    """One entry of a partner's page: the feed entry, the bytes sent for a shared version, and
    the version itself when it is still stored."""

    release: Release
    payload: bytes | None
    record: Record | None = None


@dataclass(frozen=True, slots=True)
class PartnerPage:
    """A page of a partner's feed, with the keyset position after its last entry."""

    entries: list[SentEntry]
    more: bool
    last: tuple[dt.datetime, int] | None


class FederationService:
    """Legal bases, partner feeds and the transfer register of the node of ``agency_id``."""

    def __init__(self, transactions: UnitOfWorkFactory, clock: Clock, agency_id: str) -> None:
        self._transactions = transactions
        self._clock = clock
        self._agency_id = agency_id
        self._planner = ReleasePlanner(agency_id, clock)

    def record_basis(self, caller: Caller, partner_id: str, kind: BasisKind, reference: str,
                     justification: str, expires: dt.date | None = None) -> LegalBasis:
        """Record (or replace) the legal basis for transfers to a partner."""
        if not may_use_role(caller.user, Role.ADMINISTRATOR):
            raise Forbidden("needs the administrator role")
        with self._transactions() as tx:
            sender = tx.agencies.get(self._agency_id)
            partner = tx.agencies.get(partner_id)
            if sender is None:
                raise NotFound(f"this node's agency {self._agency_id} is not registered",
                               field="agency_id")
            if partner is None:
                raise NotFound(f"no agency {partner_id}", field="partner")
            basis = LegalBasis(partner_id, kind, reference.strip(), justification.strip(),
                               self._clock.now(), caller.user.id, expires)
            basis.check_for(sender, partner)
            tx.federation.set_basis(basis)
            tx.audit.append([AuditEvent(
                AuditAction.ADMINISTRATION, caller.actor, caller.user.agency_id, None,
                caller.justification.strip(),
                {"legal_basis": partner_id, "kind": kind.value, "reference": basis.reference,
                 "expires": expires.isoformat() if expires else None})])
            tx.commit()
        self.replan(partner_id)
        return basis

    def replan(self, partner_id: str, progress: Callable[[int], None] | None = None) -> int:
        """Decide every stored record again for one partner (after its legal basis changed):
        versions that may now go are shared, versions that may no longer go are withdrawn.

        Runs in batches of ``REPLAN_BATCH`` records, one transaction each; ``progress(n)``
        gets the number of records done. Returns the number of feed entries appended.
        """
        appended = 0
        done = 0
        after: str | None = None
        while True:
            with self._transactions() as tx:
                batch = tx.records.search(RecordQuery(), after, REPLAN_BATCH)
                appended += self._planner.written(tx, batch, new=False, only=partner_id)
                tx.commit()
            done += len(batch)
            if progress is not None:
                progress(done)
            if len(batch) < REPLAN_BATCH:
                return appended
            after = batch[-1].id

    def relayed_by(self, actor: str, record_ids: Sequence[str]) -> dict[str, str]:
        """Of ``record_ids``, the records held here, owned by another agency, that this node
        first collected from ``actor`` (a partner's node that passed them on), with their
        owners.

        Only the owner changes or erases its records; a record passed on reaches this node
        through the partner that passed it, and so do the owner's corrections and erasures
        (LED Art. 7(3), 16): that partner may apply them here, for the owner, and nobody
        else may. The collection entry of the audit log says where a record came from.
        """
        found: dict[str, str] = {}
        with self._transactions() as tx:
            for record in tx.records.get_many(record_ids):
                if record.owner_agency == self._agency_id:
                    continue
                first = tx.audit.entries(AuditQuery(action=AuditAction.COLLECTION.value,
                                                    record_id=record.id), 0, 1)
                if first and first[0].actor == actor:
                    found[record.id] = record.owner_agency
        return found

    def bases(self) -> list[LegalBasis]:
        """Every recorded basis."""
        with self._transactions() as tx:
            return tx.federation.bases()

    def partner_page(self, partner_id: str, after: tuple[dt.datetime, int] | None,
                     added_after: dt.datetime | None, limit: int,
                     serialize: Serializer | None, channel: str = "taxii", *,
                     which: Which = "all",
                     accept: Callable[[Release, Record | None], bool] | None = None
                     ) -> PartnerPage:
        """The next entries of a partner's feed, as sent to its node now.

        A shared version that the policy or the transfer law no longer allows (or that was
        erased since) is sent as withdrawn, without its content. ``which`` keeps every entry,
        or only each record's last (or first) entry in the partner's feed; ``accept`` filters
        further (object ids, types, versions). With ``serialize=None`` nothing is sent: the
        entries are described (a manifest) and no transfer is recorded.

        A page scans at most ``SCAN_PAGES`` times ``limit`` entries of the feed: when the
        filters select little, it may return fewer than ``limit`` entries with ``more`` set,
        so that its cost stays bounded.
        """
        with self._transactions() as tx:
            agencies = {agency.id: agency for agency in tx.agencies.list()}  # one read
            sender, partner = agencies.get(self._agency_id), agencies.get(partner_id)
            if sender is None or partner is None:
                raise NotFound(f"no partner {partner_id}", field="partner")
            basis = tx.federation.basis(partner_id)
            today = self._clock.now().date()
            entries: list[SentEntry] = []
            transfers: list[TransferRecord] = []
            position = after
            more = False
            for _ in range(SCAN_PAGES):
                batch = tx.federation.feed(partner_id, position, added_after, limit + 1,
                                           which)
                more = len(batch) > limit
                batch = batch[:limit]
                if not batch:
                    break
                versions = self._versions(tx, batch)
                consents = tx.federation.consents_of(
                    [r.id for r in versions.values() if r.owner_agency != sender.id])
                for release in batch:
                    record = versions.get((release.record_id, release.version))
                    if accept is not None and not accept(release, record):
                        continue
                    if len(entries) == limit:
                        more = True
                        break
                    entries.append(self._entry(
                        release, record, sender, partner, basis, today, serialize, channel,
                        transfers, consents.get(release.record_id, frozenset())))
                    position = (release.date_added, release.seq)
                else:
                    position = (batch[-1].date_added, batch[-1].seq)
                if len(entries) >= limit or not more:
                    break
            if transfers:
                tx.federation.add_transfers(transfers)
                tx.audit.append([disclosure_of(partner_id, channel, transfers)])
            tx.commit()
        return PartnerPage(entries, more, position)

    def _entry(self, release: Release, record: Record | None, sender: Agency,
               partner: Agency, basis: LegalBasis | None, today: dt.date,
               serialize: Serializer | None, channel: str,
               transfers: list[TransferRecord], consents: frozenset[str]) -> SentEntry:
        if release.change is not Change.SHARED:
            return SentEntry(release, None, record)
        if record is None or not self._planner.allowed(record, sender, partner, consents,
                                                       basis, today):
            return SentEntry(_withdrawn(release), None, record)
        if serialize is None:
            return SentEntry(release, None, record)
        payload = serialize(record)
        transfers.append(transfer_of(record, basis, payload, at=self._clock.now(),
                                     sender=sender.id, partner=partner.id,
                                     crossing=crosses_border(sender, partner), channel=channel))
        return SentEntry(release, payload, record)

    @staticmethod
    def _versions(tx: UnitOfWork, releases: list[Release]) -> dict[tuple[str, int], Record]:
        wanted = {(r.record_id, r.version) for r in releases if r.change is Change.SHARED}
        found: dict[tuple[str, int], Record] = {}
        latest = {r.id: r for r in tx.records.get_many(sorted({rid for rid, _ in wanted}))}
        for record_id, version in wanted:
            record = latest.get(record_id)
            if record is None:
                continue
            if record.version == version:
                found[(record_id, version)] = record
            else:
                older = [r for r in tx.records.history(record_id) if r.version == version]
                if older:
                    found[(record_id, version)] = older[0]
        return found

    def transfers(self, caller: Caller, query: TransferQuery = TransferQuery(),
                  batch: int = 5000) -> Iterator[TransferRecord]:
        """The transfer register for auditors; the export itself is audited first."""
        if not may_use_role(caller.user, Role.AUDITOR):
            raise Forbidden("needs the auditor role")
        with self._transactions() as tx:
            tx.audit.append([AuditEvent(
                AuditAction.EXPORT, caller.actor, caller.user.agency_id, None,
                caller.justification.strip(),
                {"transfers": {"recipient": query.recipient, "record_id": query.record_id}})])
            tx.commit()
        after = 0
        while True:
            with self._transactions() as tx:
                found = tx.federation.transfers(query, after, batch)
            for _, transfer in found:
                yield transfer
            if len(found) < batch:
                return
            after = found[-1][0]


def _withdrawn(release: Release) -> Release:
    return Release(release.partner, release.record_id, release.version, Change.WITHDRAWN,
                   release.date_added, release.seq)
