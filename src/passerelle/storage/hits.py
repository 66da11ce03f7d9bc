"""Hit reports and their messages in SQL.

A report's sighting is stored in the codec's plain form (``domain.codec``). A report or a
message received twice (delivery is at least once) is stored once: the second ``add`` answers
False and writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, insert, select, update

from passerelle.domain.codec import dataclass_to_dict, read_dataclass
from passerelle.domain.hits import Direction, HitMessage, HitReport, MessageKind, Sighting
from passerelle.storage.schema import HIT_MESSAGES, HITS

IN_CHUNK = 500


def report_values(report: HitReport) -> dict[str, Any]:
    """The row of a report (its messages are rows of their own)."""
    return {"id": report.id, "direction": report.direction.value,
            "alert_id": report.alert_id, "issuer": report.issuer, "finder": report.finder,
            "sighting": dataclass_to_dict(report.sighting), "reported_by": report.reported_by,
            "reported_at": report.reported_at, "candidate_id": report.candidate_id,
            "answered_at": report.answered_at}


def report_of(row: Any, messages: Sequence[HitMessage]) -> HitReport:
    """The report of a row, with its messages."""
    return HitReport(id=row.id, alert_id=row.alert_id, issuer=row.issuer, finder=row.finder,
                     sighting=read_dataclass(Sighting, row.sighting, "sighting"),
                     reported_by=row.reported_by, reported_at=row.reported_at,
                     direction=Direction(row.direction), candidate_id=row.candidate_id,
                     answered_at=row.answered_at, messages=tuple(messages))


def message_of(row: Any) -> HitMessage:
    """The message of a row."""
    return HitMessage(id=row.id, hit_id=row.hit_id, kind=MessageKind(row.kind),
                      agency=row.agency, author=row.author, text=row.text, at=row.at)


def answers(report: HitReport, message: HitMessage) -> bool:
    """Whether ``message`` answers ``report``: the issuer's acknowledgement or reply."""
    return report.answered_at is None and message.agency == report.issuer


class SqlHitRepository:
    """``ports.HitRepository`` over one connection."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, report: HitReport) -> bool:
        """Store a new report; False if known."""
        known = self._connection.execute(
            select(HITS.c.id).where(HITS.c.id == report.id)).first()
        if known is not None:
            return False
        self._connection.execute(insert(HITS), [report_values(report)])
        for message in report.messages:
            self.add_message(message)
        return True

    def _messages(self, hit_ids: Sequence[str]) -> dict[str, list[HitMessage]]:
        found: dict[str, list[HitMessage]] = {}
        ids = list(hit_ids)
        for start in range(0, len(ids), IN_CHUNK):
            rows = self._connection.execute(
                select(HIT_MESSAGES).where(HIT_MESSAGES.c.hit_id.in_(ids[start:start + IN_CHUNK]))
                .order_by(HIT_MESSAGES.c.at, HIT_MESSAGES.c.id))
            for row in rows:
                found.setdefault(row.hit_id, []).append(message_of(row))
        return found

    def _reports(self, rows: Sequence[Any]) -> list[HitReport]:
        messages = self._messages([row.id for row in rows])
        return [report_of(row, messages.get(row.id, ())) for row in rows]

    def get(self, hit_id: str) -> HitReport | None:
        """A report with its messages."""
        rows = self._connection.execute(select(HITS).where(HITS.c.id == hit_id)).all()
        reports = self._reports(rows)
        return reports[0] if reports else None

    def list(self, direction: Direction | None, after: str | None, limit: int
             ) -> Sequence[HitReport]:
        """Reports by id after ``after``."""
        statement = select(HITS)
        if direction is not None:
            statement = statement.where(HITS.c.direction == direction.value)
        if after is not None:
            statement = statement.where(HITS.c.id > after)
        rows = self._connection.execute(statement.order_by(HITS.c.id)
                                        .limit(max(limit, 0))).all()
        return self._reports(rows)

    def add_message(self, message: HitMessage) -> bool:
        """Store a message once; the issuer's first one answers the report."""
        known = self._connection.execute(
            select(HIT_MESSAGES.c.id).where(HIT_MESSAGES.c.id == message.id)).first()
        if known is not None:
            return False
        self._connection.execute(insert(HIT_MESSAGES), [{
            "id": message.id, "hit_id": message.hit_id, "kind": message.kind.value,
            "agency": message.agency, "author": message.author, "text": message.text,
            "at": message.at}])
        self._connection.execute(
            update(HITS).where(HITS.c.id == message.hit_id, HITS.c.answered_at.is_(None),
                               HITS.c.issuer == message.agency)
            .values(answered_at=message.at))
        return True

    def unanswered(self, direction: Direction) -> Sequence[HitReport]:
        """Reports not answered yet, oldest first."""
        rows = self._connection.execute(
            select(HITS).where(HITS.c.direction == direction.value,
                               HITS.c.answered_at.is_(None))
            .order_by(HITS.c.reported_at, HITS.c.id)).all()
        return self._reports(rows)
