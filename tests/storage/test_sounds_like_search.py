"""A sounds-like search finds a person or an organisation by a name in any spelling or script,
on the in-memory fake, SQLite and PostgreSQL alike. The people are fictional."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
import sqlalchemy as sa
from tests.storage.samples import Samples
from tests.support import AUDIT_KEY, FixedClock, postgres_database

from passerelle.domain.codec import record_to_dict
from passerelle.domain.records import Record, RecordKind
from passerelle.ports import RecordQuery, UnitOfWorkFactory
from passerelle.storage.engine import make_engine
from passerelle.storage.migrate import upgrade
from passerelle.storage.schema import RECORD_NAMES, RECORD_VERSIONS, RECORDS
from passerelle.storage.search_keys import record_time, record_tokens
from passerelle.storage.unit_of_work import SqlUnitOfWorkFactory

PEOPLE = frozenset({RecordKind.PERSON})


class Cast:
    """Youssef El Idrissi recorded twice (in Latin script in France, in Arabic script only in
    Morocco), people sharing one of his name's skeletons, and organisations."""

    def __init__(self, samples: Samples) -> None:
        self.latin = samples.person("Youssef", "El Idrissi", owner="fr")
        self.arabic = samples.person("", "", original=("يوسف الإدريسي",), owner="ma")
        self.benali = samples.person("Nadia", "Benali")  # shares no skeleton with Yusuf
        self.mensah = samples.person("Kwame", "Mensah")  # unrelated
        self.noor = samples.organisation("Al-Noor Trading", aliases=("النور للتجارة",))
        self.safa = samples.organisation("Safa Logistics")  # SF, like Youssef
        self.alert = samples.alert(self.latin.id)

    def all(self) -> list[Record]:
        return [self.latin, self.arabic, self.benali, self.mensah, self.noor, self.safa,
                self.alert]


@pytest.fixture
def cast(uow_factory: UnitOfWorkFactory, samples: Samples) -> Cast:
    cast = Cast(samples)
    with uow_factory() as uow:
        uow.records.add(cast.all())
        uow.commit()
    return cast


def found(uow_factory: UnitOfWorkFactory, sounds_like: str, after: str | None = None,
          limit: int = 100, *, kinds: frozenset[RecordKind] = frozenset(),
          owner_agency: str | None = None, name: str | None = None) -> list[str]:
    query = RecordQuery(sounds_like=sounds_like, kinds=kinds, owner_agency=owner_agency,
                        name=name)
    with uow_factory() as uow:
        return [record.id for record in uow.records.search(query, after, limit)]


@pytest.mark.parametrize("spelling", ["Youssef", "Yusuf", "Jusuf", "Youssouf", "يوسف"])
def test_every_spelling_of_the_given_name_finds_him_in_both_scripts(
        uow_factory: UnitOfWorkFactory, cast: Cast, spelling: str) -> None:
    assert found(uow_factory, spelling, kinds=PEOPLE) == [cast.latin.id, cast.arabic.id]


@pytest.mark.parametrize("spelling", ["Idrissi", "Edrissi", "Idrisi", "الإدريسي", "الادريسي"])
def test_the_family_name_in_latin_or_arabic_script_finds_both_records(
        uow_factory: UnitOfWorkFactory, cast: Cast, spelling: str) -> None:
    assert found(uow_factory, spelling) == [cast.latin.id, cast.arabic.id]


def test_an_unrelated_name_finds_nobody_and_nobody_else_is_found(
        uow_factory: UnitOfWorkFactory, cast: Cast) -> None:
    assert cast.mensah.id not in found(uow_factory, "Youssef")
    assert found(uow_factory, "Hiroshi Tanaka") == []
    assert found(uow_factory, "Kwame Mensah") == [cast.mensah.id]


def test_every_word_of_the_query_must_match_some_reading(
        uow_factory: UnitOfWorkFactory, cast: Cast) -> None:
    both = [cast.latin.id, cast.arabic.id]
    assert found(uow_factory, "Yusuf Idrissi") == both
    assert found(uow_factory, "Jusuf El-Idrissi") == both
    assert found(uow_factory, "يوسف Idrisi") == both
    assert found(uow_factory, "Yusuf Benali") == []
    assert found(uow_factory, "Nadia Benali") == [cast.benali.id]


def test_the_skeleton_is_broad_and_kinds_narrow_it(uow_factory: UnitOfWorkFactory,
                                                   cast: Cast) -> None:
    assert found(uow_factory, "Yusuf") == [cast.safa.id, cast.latin.id, cast.arabic.id]
    assert found(uow_factory, "Yusuf", kinds=frozenset({RecordKind.ORGANISATION})) == [
        cast.safa.id]


def test_the_owner_and_the_name_tokens_narrow_it_too(uow_factory: UnitOfWorkFactory,
                                                     cast: Cast) -> None:
    assert found(uow_factory, "Yusuf", owner_agency="ma") == [cast.arabic.id]
    assert found(uow_factory, "Jusuf", owner_agency="fr", kinds=PEOPLE) == [cast.latin.id]
    assert found(uow_factory, "Yusuf", name="Idrissi") == [cast.latin.id]
    assert found(uow_factory, "Yusuf", name="Benali") == []


def test_an_organisation_is_found_by_a_variant_of_its_name(uow_factory: UnitOfWorkFactory,
                                                          cast: Cast) -> None:
    for variant in ("Nour Trading", "Nur Trading", "النور", "Al Nour"):
        assert found(uow_factory, variant) == [cast.noor.id], variant
    assert found(uow_factory, "Noor Traders") == []


def test_an_alert_has_no_names_and_is_found_through_its_subject(
        uow_factory: UnitOfWorkFactory, cast: Cast) -> None:
    assert found(uow_factory, "Youssef", kinds=frozenset({RecordKind.ALERT})) == []


def test_a_query_without_readable_words_finds_nothing(uow_factory: UnitOfWorkFactory,
                                                      cast: Cast) -> None:
    assert found(uow_factory, "") == []
    assert found(uow_factory, " -- ") == []


@pytest.mark.parametrize("limit", [1, 2])
def test_pages_of_a_word_with_several_readings_follow_each_other(
        uow_factory: UnitOfWorkFactory, cast: Cast, limit: int) -> None:
    pages, after = [], None
    while page := found(uow_factory, "Jusuf", after, limit):
        pages.extend(page)
        after = page[-1]
    assert pages == [cast.safa.id, cast.latin.id, cast.arabic.id]  # ids: organisation < person


def test_a_new_version_is_found_under_its_new_spellings_only(
        uow_factory: UnitOfWorkFactory, cast: Cast) -> None:
    renamed = dataclasses.replace(
        cast.mensah, version=2,
        details=dataclasses.replace(cast.mensah.details, given_names="Kofi"))
    with uow_factory() as uow:
        uow.records.add_version(renamed)
        uow.commit()
    assert found(uow_factory, "Kwame Mensah") == []
    assert found(uow_factory, "Kofi Mensa") == [cast.mensah.id]


def test_an_erased_record_is_no_longer_found(uow_factory: UnitOfWorkFactory,
                                             cast: Cast) -> None:
    with uow_factory() as uow:
        uow.records.erase(cast.latin.id)
        uow.commit()
    assert found(uow_factory, "Yusuf Idrissi") == [cast.arabic.id]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def old_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sa.Engine]:
    """A database at revision 0009, before the names had spelling keys."""
    with ExitStack() as stack:
        url = (f"sqlite:///{tmp_path / 'old.db'}" if request.param == "sqlite"
               else stack.enter_context(postgres_database()))
        engine = make_engine(url)
        stack.callback(engine.dispose)
        upgrade(engine, "0009")
        yield engine


def _write_as_0009_did(connection: sa.Connection, record: Record) -> None:
    """The head row, the body and the name tokens only: today's repository writes tables
    revision 0009 did not have."""
    connection.execute(sa.insert(RECORDS), {
        "id": record.id, "kind": record.kind.value, "owner_agency": record.owner_agency,
        "version": record.version, "record_time": record_time(record),
        "modified_at": record.modified_at})
    connection.execute(sa.insert(RECORD_VERSIONS), {
        "record_id": record.id, "version": record.version, "body": record_to_dict(record),
        "modified_at": record.modified_at, "modified_by": record.modified_by})
    for token in record_tokens(record):
        connection.execute(sa.insert(RECORD_NAMES), {"token": token, "record_id": record.id})


def test_records_stored_before_the_upgrade_are_found_by_spelling_after_it(
        old_database: sa.Engine, samples: Samples) -> None:
    cast = Cast(samples)
    with old_database.begin() as connection:
        for record in cast.all():
            _write_as_0009_did(connection, record)
    factory = SqlUnitOfWorkFactory(old_database, AUDIT_KEY, FixedClock())
    assert found(factory, "Yusuf Idrissi") == []
    upgrade(old_database)
    assert found(factory, "Yusuf Idrissi") == [cast.latin.id, cast.arabic.id]
    assert found(factory, "Nur Trading") == [cast.noor.id]
    assert found(factory, "Kwame Mensah") == [cast.mensah.id]
    assert found(factory, "Kwame Mensah", name="Kwame") == [cast.mensah.id]
