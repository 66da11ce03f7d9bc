"""A record's store finds the records pointing at it (the documents a person holds, the alerts
on them, the relationships, events and reports naming them), on the in-memory fake, SQLite and
PostgreSQL alike, and after an upgrade of a database made before the index existed. The people
are fictional."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
import sqlalchemy as sa
from tests.storage.samples import T0, Samples, next_version
from tests.support import AUDIT_KEY, FixedClock, postgres_database

from passerelle.domain.codec import record_to_dict
from passerelle.domain.records import Event, EventType, Record, Report
from passerelle.ports import UnitOfWorkFactory
from passerelle.storage.engine import make_engine
from passerelle.storage.migrate import upgrade
from passerelle.storage.schema import RECORD_VERSIONS, RECORDS
from passerelle.storage.search_keys import record_references, record_time
from passerelle.storage.unit_of_work import SqlUnitOfWorkFactory


class Cast:
    """Leila Moradi, the passport she holds, an alert on her, a relationship from her to the
    passport, an event and a report naming her; Tomasz Wierzbicki, whom nothing names."""

    def __init__(self, samples: Samples) -> None:
        self.leila = samples.person("Leila", "Moradi")
        self.tomasz = samples.person("Tomasz", "Wierzbicki")
        self.passport = samples.document("P4417023", holder=self.leila.id)
        self.alert = samples.alert(self.leila.id)
        self.holds = samples.relationship(self.leila.id, self.passport.id)
        self.crossing = samples.record(Event(
            EventType.BORDER_CROSSING, T0, place="Ceuta", country="ES",
            participants=(self.leila.id, self.passport.id, self.leila.id)))
        self.report = samples.record(Report("Crossing at Ceuta", "A fictional note.", T0,
                                            references=(self.leila.id, self.crossing.id)))

    def all(self) -> list[Record]:
        return [self.leila, self.tomasz, self.passport, self.alert, self.holds, self.crossing,
                self.report]


@pytest.fixture
def cast(uow_factory: UnitOfWorkFactory, samples: Samples) -> Cast:
    cast = Cast(samples)
    with uow_factory() as uow:
        uow.records.add(cast.all())
        uow.commit()
    return cast


def referring(factory: UnitOfWorkFactory, target_id: str, limit: int = 100
              ) -> list[tuple[str, str]]:
    with factory() as uow:
        return [(role, record.id) for role, record in uow.records.referring(target_id, limit)]


def store(factory: UnitOfWorkFactory, *records: Record) -> None:
    with factory() as uow:
        for record in records:
            uow.records.add_version(record)
        uow.commit()


def test_the_records_pointing_at_a_person_are_found_with_their_roles_by_kind_then_id(
        uow_factory: UnitOfWorkFactory, cast: Cast) -> None:
    assert referring(uow_factory, cast.leila.id) == [
        ("subject", cast.alert.id), ("holder", cast.passport.id),
        ("participant", cast.crossing.id), ("source", cast.holds.id),
        ("reference", cast.report.id)]


def test_a_document_is_found_as_the_target_of_a_relationship_and_a_participant(
        uow_factory: UnitOfWorkFactory, cast: Cast) -> None:
    assert referring(uow_factory, cast.passport.id) == [
        ("participant", cast.crossing.id), ("target", cast.holds.id)]
    assert referring(uow_factory, cast.crossing.id) == [("reference", cast.report.id)]


def test_nothing_points_at_an_unnamed_or_unknown_record(uow_factory: UnitOfWorkFactory,
                                                        cast: Cast, samples: Samples) -> None:
    assert referring(uow_factory, cast.tomasz.id) == []
    assert referring(uow_factory, samples.record_id(cast.leila.kind)) == []


def test_the_limit_cuts_the_list_in_its_order(uow_factory: UnitOfWorkFactory,
                                              cast: Cast) -> None:
    assert referring(uow_factory, cast.leila.id, 2) == [
        ("subject", cast.alert.id), ("holder", cast.passport.id)]
    assert referring(uow_factory, cast.leila.id, 0) == []


def test_a_record_pointing_in_two_roles_is_listed_once_per_role(
        uow_factory: UnitOfWorkFactory, samples: Samples) -> None:
    person = samples.person("Amaru", "Quispe")
    itself = samples.relationship(person.id, person.id)
    with uow_factory() as uow:
        uow.records.add([person, itself])
        uow.commit()
    assert referring(uow_factory, person.id) == [("source", itself.id), ("target", itself.id)]


def test_a_new_version_points_at_what_it_names_now(uow_factory: UnitOfWorkFactory,
                                                   cast: Cast) -> None:
    passport = cast.passport.details
    store(uow_factory,
          next_version(cast.passport, dataclasses.replace(passport, holder=cast.tomasz.id)),
          next_version(cast.holds, dataclasses.replace(cast.holds.details,
                                                       source=cast.tomasz.id)))
    assert referring(uow_factory, cast.tomasz.id) == [
        ("holder", cast.passport.id), ("source", cast.holds.id)]
    assert [role for role, _ in referring(uow_factory, cast.leila.id)] == [
        "subject", "participant", "reference"]
    store(uow_factory, next_version(cast.passport, dataclasses.replace(passport, holder=None),
                                    version=3))
    assert referring(uow_factory, cast.tomasz.id) == [("source", cast.holds.id)]


def test_an_erased_record_no_longer_points_at_anything(uow_factory: UnitOfWorkFactory,
                                                       cast: Cast) -> None:
    with uow_factory() as uow:
        uow.records.erase(cast.alert.id)
        uow.records.erase(cast.report.id)
        uow.commit()
    assert referring(uow_factory, cast.leila.id) == [
        ("holder", cast.passport.id), ("participant", cast.crossing.id),
        ("source", cast.holds.id)]
    assert referring(uow_factory, cast.crossing.id) == []


def test_a_reference_to_an_id_no_record_here_can_have_is_stored_and_left_out(
        uow_factory: UnitOfWorkFactory, samples: Samples) -> None:
    person = samples.person("Ngozi", "Eze")
    long_id = f"x-{'a' * 70}--00000000-0000-4000-8000-000000000001"
    report = samples.record(Report("Links", "", T0, references=(long_id, person.id)))
    with uow_factory() as uow:
        uow.records.add([person, report])
        uow.commit()
    assert referring(uow_factory, person.id) == [("reference", report.id)]
    assert referring(uow_factory, long_id) == []


def test_the_references_of_a_record_are_distinct_and_in_the_order_written(
        samples: Samples) -> None:
    cast = Cast(samples)
    assert record_references(cast.crossing) == [("participant", cast.leila.id),
                                                ("participant", cast.passport.id)]
    assert record_references(cast.holds) == [("source", cast.leila.id),
                                             ("target", cast.passport.id)]
    assert record_references(cast.leila) == []
    assert record_references(samples.document("Z0000001")) == []


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def old_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sa.Engine]:
    """A database at revision 0010, before records had a reference index."""
    with ExitStack() as stack:
        url = (f"sqlite:///{tmp_path / 'old.db'}" if request.param == "sqlite"
               else stack.enter_context(postgres_database()))
        engine = make_engine(url)
        stack.callback(engine.dispose)
        upgrade(engine, "0010")
        yield engine


def _write_as_0010_did(connection: sa.Connection, record: Record) -> None:
    connection.execute(sa.insert(RECORDS), {
        "id": record.id, "kind": record.kind.value, "owner_agency": record.owner_agency,
        "version": record.version, "record_time": record_time(record),
        "modified_at": record.modified_at})
    connection.execute(sa.insert(RECORD_VERSIONS), {
        "record_id": record.id, "version": record.version, "body": record_to_dict(record),
        "modified_at": record.modified_at, "modified_by": record.modified_by})


def test_records_stored_before_the_upgrade_are_found_pointing_after_it(
        old_database: sa.Engine, samples: Samples) -> None:
    cast = Cast(samples)
    edited = next_version(cast.passport, dataclasses.replace(cast.passport.details,
                                                             holder=cast.tomasz.id))
    with old_database.begin() as connection:
        for record in (cast.leila, cast.tomasz, edited, cast.alert, cast.crossing):
            _write_as_0010_did(connection, record)
        # An older version naming Leila as the holder: only the latest counts.
        connection.execute(sa.insert(RECORD_VERSIONS), {
            "record_id": cast.passport.id, "version": 1,
            "body": record_to_dict(cast.passport), "modified_at": cast.passport.modified_at,
            "modified_by": cast.passport.modified_by})
    upgrade(old_database)
    factory = SqlUnitOfWorkFactory(old_database, AUDIT_KEY, FixedClock())
    assert referring(factory, cast.leila.id) == [("subject", cast.alert.id),
                                                 ("participant", cast.crossing.id)]
    assert referring(factory, cast.tomasz.id) == [("holder", cast.passport.id)]
    assert referring(factory, cast.passport.id) == [("participant", cast.crossing.id)]
    with factory() as uow:  # and the index is kept from then on
        uow.records.erase(cast.alert.id)
        uow.commit()
    assert referring(factory, cast.leila.id) == [("participant", cast.crossing.id)]


def test_time_is_not_what_orders_the_list(uow_factory: UnitOfWorkFactory,
                                          samples: Samples) -> None:
    person = samples.person("Inés", "Quintero")
    late = samples.record(Event(EventType.MEETING, T0 + dt.timedelta(days=9),
                                participants=(person.id,)))
    early = samples.record(Event(EventType.MEETING, T0, participants=(person.id,)))
    with uow_factory() as uow:
        uow.records.add([person, early, late])
        uow.commit()
    assert referring(uow_factory, person.id) == [("participant", late.id),
                                                 ("participant", early.id)]
