"""Legal bases, transfer records, the release feed and consents in SQL.

The feed is read by ``(partner, date_added, seq)`` from its index alone: a page of a
partner's collection costs the same with ten records or ten million.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, and_, delete, exists, func, insert, or_, select, tuple_

from passerelle.domain.releases import Change, Release, Which
from passerelle.domain.transfers import BasisKind, LegalBasis, TransferRecord
from passerelle.ports import SyncCheckpoint, TransferQuery
from passerelle.storage.bulk import insert_rows
from passerelle.storage.records import ID_CHUNK
from passerelle.storage.schema import (
    AGENCIES,
    CONSENTS,
    LEGAL_BASES,
    RELEASES,
    SYNC_CHECKPOINTS,
    TRANSFERS,
)


def _basis(row: Any) -> LegalBasis:
    return LegalBasis(partner=row.partner, kind=BasisKind(row.kind), reference=row.reference,
                      justification=row.justification, recorded_at=row.recorded_at,
                      recorded_by=row.recorded_by, expires=row.expires)


def _transfer(row: Any) -> TransferRecord:
    return TransferRecord(
        id=row.id, at=row.at, sender=row.sender, recipient=row.recipient,
        record_id=row.record_id, version=row.version, basis=BasisKind(row.basis),
        reference=row.reference, justification=row.justification, digest=row.digest,
        summary=row.summary, channel=row.channel)


def _release(row: Any) -> Release:
    return Release(partner=row.partner, record_id=row.record_id, version=row.version,
                   change=Change(row.change), date_added=row.date_added, seq=row.seq)


class SqlFederationRepository:
    """``ports.FederationRepository`` over one connection."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def basis(self, partner: str) -> LegalBasis | None:
        """The legal basis recorded for a partner, if any."""
        row = self._connection.execute(
            select(LEGAL_BASES).where(LEGAL_BASES.c.partner == partner)).first()
        return None if row is None else _basis(row)

    def set_basis(self, basis: LegalBasis) -> None:
        """Record (or replace) a partner's legal basis."""
        self._connection.execute(delete(LEGAL_BASES).where(LEGAL_BASES.c.partner == basis.partner))
        self._connection.execute(insert(LEGAL_BASES).values(
            partner=basis.partner, kind=basis.kind.value, reference=basis.reference,
            justification=basis.justification, recorded_at=basis.recorded_at,
            recorded_by=basis.recorded_by, expires=basis.expires))

    def bases(self) -> list[LegalBasis]:
        """Every recorded basis, by partner."""
        return [_basis(row) for row in self._connection.execute(
            select(LEGAL_BASES).order_by(LEGAL_BASES.c.partner))]

    def add_transfers(self, transfers: Sequence[TransferRecord]) -> None:
        """Append transfer records (a page of a partner's feed writes a hundred or more:
        ``insert_rows``, COPY on PostgreSQL)."""
        insert_rows(self._connection, TRANSFERS, [{
            "id": t.id, "at": t.at, "sender": t.sender, "recipient": t.recipient,
            "record_id": t.record_id, "version": t.version, "basis": t.basis.value,
            "reference": t.reference, "justification": t.justification, "digest": t.digest,
            "summary": t.summary, "channel": t.channel} for t in transfers])

    def transfers(self, query: TransferQuery, after_seq: int, limit: int
                  ) -> list[tuple[int, TransferRecord]]:
        """Transfer records after a position, in order, with their positions."""
        statement = select(TRANSFERS).where(TRANSFERS.c.seq > after_seq)
        if query.recipient is not None:
            statement = statement.where(TRANSFERS.c.recipient == query.recipient)
        if query.record_id is not None:
            statement = statement.where(TRANSFERS.c.record_id == query.record_id)
        if query.since is not None:
            statement = statement.where(TRANSFERS.c.at >= query.since)
        if query.until is not None:
            statement = statement.where(TRANSFERS.c.at < query.until)
        rows = self._connection.execute(statement.order_by(TRANSFERS.c.seq).limit(limit))
        return [(row.seq, _transfer(row)) for row in rows]

    def append_releases(self, releases: Sequence[Release]) -> None:
        """Append feed entries (their ``seq`` is assigned by the database)."""
        if not releases:
            return
        insert_rows(self._connection, RELEASES, [{
            "partner": r.partner, "date_added": r.date_added, "record_id": r.record_id,
            "version": r.version, "change": r.change.value} for r in releases])

    def last_date_added(self) -> dt.datetime | None:
        """The latest ``date_added`` of the whole feed."""
        # One index probe per partner (the feed's index leads with the partner) rather than a
        # scan of the whole feed.
        latest = select(func.max(RELEASES.c.date_added)).where(
            RELEASES.c.partner == AGENCIES.c.id).scalar_subquery()
        value: dt.datetime | None = self._connection.execute(
            select(func.max(latest)).select_from(AGENCIES)).scalar()
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value

    def feed(self, partner: str, after: tuple[dt.datetime, int] | None,
             added_after: dt.datetime | None, limit: int, which: Which = "all"
             ) -> list[Release]:
        """A partner's feed in (date_added, seq) order, after a keyset position; ``which``
        keeps the entries with no later (or earlier) one of the same record for that partner,
        each checked on the ``(record_id, partner)`` index as the page is read."""
        statement = select(RELEASES).where(RELEASES.c.partner == partner)
        if which != "all":
            other = RELEASES.alias("other")
            beyond = other.c.seq > RELEASES.c.seq if which == "last" else \
                other.c.seq < RELEASES.c.seq
            statement = statement.where(~exists().where(
                other.c.record_id == RELEASES.c.record_id, other.c.partner == partner, beyond))
        if after is not None:
            statement = statement.where(or_(
                RELEASES.c.date_added > after[0],
                and_(RELEASES.c.date_added == after[0], RELEASES.c.seq > after[1])))
        if added_after is not None:
            statement = statement.where(RELEASES.c.date_added > added_after)
        statement = statement.order_by(RELEASES.c.date_added, RELEASES.c.seq).limit(limit)
        return [_release(row) for row in self._connection.execute(statement)]

    def latest_changes(self, record_id: str) -> dict[str, Release]:
        """For each partner that ever had the record in its feed, its latest entry."""
        latest = select(RELEASES.c.partner, func.max(RELEASES.c.seq).label("seq")).where(
            RELEASES.c.record_id == record_id).group_by(RELEASES.c.partner).subquery()
        rows = self._connection.execute(select(RELEASES).where(
            tuple_(RELEASES.c.partner, RELEASES.c.seq).in_(select(latest.c.partner, latest.c.seq))))
        return {row.partner: _release(row) for row in rows}

    def checkpoint(self, partner: str) -> dt.datetime | None:
        """The ``date_added`` of the last entry taken from a partner's feed."""
        value: dt.datetime | None = self._connection.execute(
            select(SYNC_CHECKPOINTS.c.date_added).where(
                SYNC_CHECKPOINTS.c.partner == partner)).scalar()
        return value

    def set_checkpoint(self, partner: str, date_added: dt.datetime, at: dt.datetime) -> None:
        """Move the checkpoint of a partner's feed forward (never back); ``updated_at`` keeps
        ``at``, when the entries were taken."""
        current = self.checkpoint(partner)
        if current is not None and current >= date_added:
            return
        self._connection.execute(delete(SYNC_CHECKPOINTS).where(
            SYNC_CHECKPOINTS.c.partner == partner))
        self._connection.execute(insert(SYNC_CHECKPOINTS).values(
            partner=partner, date_added=date_added, updated_at=at))

    def checkpoints(self) -> dict[str, SyncCheckpoint]:
        """Every partner's checkpoint (a row per partner read: a handful)."""
        rows = self._connection.execute(select(SYNC_CHECKPOINTS))
        return {row.partner: SyncCheckpoint(row.date_added, row.updated_at) for row in rows}

    def consents(self, record_id: str) -> frozenset[str]:
        """Agencies the originator authorised this record to be passed on to."""
        return frozenset(self._connection.execute(
            select(CONSENTS.c.agency_id).where(CONSENTS.c.record_id == record_id)).scalars())

    def consents_of(self, record_ids: Sequence[str]) -> dict[str, frozenset[str]]:
        """``consents`` of many records, read ``ID_CHUNK`` ids at a time."""
        found: dict[str, set[str]] = {}
        wanted = sorted(set(record_ids))
        for start in range(0, len(wanted), ID_CHUNK):
            rows = self._connection.execute(
                select(CONSENTS.c.record_id, CONSENTS.c.agency_id)
                .where(CONSENTS.c.record_id.in_(wanted[start:start + ID_CHUNK])))
            for record_id, agency_id in rows:
                found.setdefault(record_id, set()).add(agency_id)
        return {rid: frozenset(agencies) for rid, agencies in found.items()}

    def grant_consent(self, record_id: str, agency_id: str, granted_by: str,
                      at: dt.datetime) -> None:
        """Record the originator's authorisation (idempotent)."""
        if agency_id in self.consents(record_id):
            return
        self._connection.execute(insert(CONSENTS).values(
            record_id=record_id, agency_id=agency_id, granted_by=granted_by, at=at))
