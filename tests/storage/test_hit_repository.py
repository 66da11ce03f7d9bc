"""The hit repository's contract (reports, messages, what is unanswered), on the in-memory
fake, SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid

from passerelle.domain.hits import Direction, HitMessage, HitReport, MessageKind, Sighting
from passerelle.ports import UnitOfWorkFactory

T0 = dt.datetime(2026, 12, 6, 9, 0, tzinfo=dt.UTC)


def report(direction: Direction = Direction.RECEIVED, at: dt.datetime = T0) -> HitReport:
    return HitReport(
        id=f"hit--{uuid.uuid4()}", alert_id="alert--1", issuer="fr", finder="ma",
        sighting=Sighting(T0 - dt.timedelta(minutes=20), "Tanger Med", "ferry list",
                          "discreet check", route="Algeciras -> Tanger Med",
                          companions=("one adult", "one child"),
                          objects_carried=("two phones",)),
        reported_by="user:u-7", reported_at=at, direction=direction,
        candidate_id=f"candidate--{uuid.uuid4()}")


def message(hit: HitReport, agency: str, kind: MessageKind = MessageKind.REPLY,
            at: dt.datetime = T0) -> HitMessage:
    return HitMessage(f"message--{uuid.uuid4()}", hit.id, kind, agency, "user:u-3",
                      "Noted; please keep us informed.", at)


def test_a_report_reads_back_as_stored_once(uow_factory: UnitOfWorkFactory) -> None:
    hit = report()
    with uow_factory() as tx:
        assert tx.hits.add(hit)
        tx.commit()
    with uow_factory() as tx:
        assert tx.hits.get(hit.id) == hit
        assert not tx.hits.add(dataclasses.replace(hit, reported_by="user:other"))
        assert tx.hits.get(f"hit--{uuid.uuid4()}") is None


def test_the_issuers_first_message_answers_the_report(uow_factory: UnitOfWorkFactory) -> None:
    hit = report()
    finder_note = message(hit, "ma", at=T0 + dt.timedelta(minutes=1))
    ack = message(hit, "fr", MessageKind.ACKNOWLEDGEMENT, T0 + dt.timedelta(minutes=5))
    later = message(hit, "fr", at=T0 + dt.timedelta(hours=1))
    with uow_factory() as tx:
        tx.hits.add(hit)
        assert tx.hits.add_message(finder_note)
        tx.commit()
    with uow_factory() as tx:
        assert tx.hits.get(hit.id).answered_at is None  # type: ignore[union-attr]
        assert [h.id for h in tx.hits.unanswered(Direction.RECEIVED)] == [hit.id]
        assert tx.hits.add_message(ack)
        assert not tx.hits.add_message(ack)
        assert tx.hits.add_message(later)
        tx.commit()
    with uow_factory() as tx:
        stored = tx.hits.get(hit.id)
        assert stored is not None
        assert stored.answered_at == ack.at
        assert list(stored.messages) == [finder_note, ack, later]
        assert tx.hits.unanswered(Direction.RECEIVED) == []


def test_reports_are_listed_by_direction_and_page(uow_factory: UnitOfWorkFactory) -> None:
    received = [report(at=T0 + dt.timedelta(minutes=i)) for i in range(3)]
    sent = report(Direction.SENT)
    with uow_factory() as tx:
        for each in (*received, sent):
            tx.hits.add(each)
        tx.commit()
    ids = sorted(h.id for h in received)
    with uow_factory() as tx:
        first = tx.hits.list(Direction.RECEIVED, None, 2)
        rest = tx.hits.list(Direction.RECEIVED, first[-1].id, 10)
        assert [h.id for h in [*first, *rest]] == ids
        assert [h.id for h in tx.hits.list(Direction.SENT, None, 10)] == [sent.id]
        assert len(tx.hits.list(None, None, 10)) == 4
        assert [h.id for h in tx.hits.unanswered(Direction.RECEIVED)] == [
            h.id for h in received]
