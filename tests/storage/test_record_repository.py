"""The contract of ``ports.RecordRepository``: what every implementation must do.

``RecordRepositoryContract`` needs a ``uow_factory`` fixture; ``TestRecordRepository`` runs it on
the in-memory fake, SQLite and PostgreSQL (tests/storage/conftest.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from tests.storage.samples import T0, Samples, next_version

from passerelle.domain.records import Organisation, Person, Record, RecordKind, SubjectCategory
from passerelle.errors import Conflict, NotFound, VersionConflict
from passerelle.ports import RecordQuery, UnitOfWorkFactory


def store(uow_factory: UnitOfWorkFactory, *records: Record) -> None:
    with uow_factory() as uow:
        uow.records.add(records)
        uow.commit()


def search(uow_factory: UnitOfWorkFactory, query: RecordQuery, after: str | None = None,
           limit: int = 100) -> list[str]:
    with uow_factory() as uow:
        return [record.id for record in uow.records.search(query, after, limit)]


class RecordRepositoryContract:
    """Behaviour shared by every ``RecordRepository``."""

    def test_every_kind_reads_back_exactly_as_written(self, uow_factory: UnitOfWorkFactory,
                                                      samples: Samples) -> None:
        records = samples.one_of_each_kind()
        store(uow_factory, *records)
        with uow_factory() as uow:
            assert [uow.records.get(record.id) for record in records] == records
            assert sorted(uow.records.get_many([r.id for r in records]),
                          key=lambda r: r.id) == sorted(records, key=lambda r: r.id)
            assert uow.records.count() == len(RecordKind)

    def test_a_large_batch_reads_back_and_is_found(self, uow_factory: UnitOfWorkFactory,
                                                   samples: Samples) -> None:
        # Large batches take the bulk path (COPY on PostgreSQL): the same rows must result.
        records = [samples.person("Chakib", f"Family{n}") for n in range(60)]
        records += [samples.document(f"PAA{n:06d}") for n in range(60)]
        store(uow_factory, *records)
        with uow_factory() as uow:
            assert sorted(uow.records.get_many([r.id for r in records]),
                          key=lambda r: r.id) == sorted(records, key=lambda r: r.id)
            assert len(uow.records.search(RecordQuery(name="chakib"), None, 500)) == 60
            assert [r.id for r in uow.records.search(
                RecordQuery(document_number="PAA 000042"), None, 5)] == [records[102].id]
            assert uow.audit.head() is None

    def test_unknown_ids_read_as_absent(self, uow_factory: UnitOfWorkFactory,
                                        samples: Samples) -> None:
        known = samples.person()
        store(uow_factory, known)
        unknown = samples.record_id(RecordKind.PERSON)
        with uow_factory() as uow:
            assert uow.records.get(unknown) is None
            assert uow.records.get_many([unknown, known.id, known.id]) == [known]
            assert uow.records.existing_ids([unknown, known.id]) == {known.id}
            assert uow.records.history(unknown) == []

    def test_adding_a_known_id_is_a_conflict_and_writes_nothing(
            self, uow_factory: UnitOfWorkFactory, samples: Samples) -> None:
        first, second = samples.person(), samples.person("Yusuf", "Okafor")
        store(uow_factory, first)
        with uow_factory() as uow:
            with pytest.raises(Conflict):
                uow.records.add([second, first])
            assert uow.records.get(second.id) is None

    def test_the_same_id_twice_in_one_batch_is_a_conflict(
            self, uow_factory: UnitOfWorkFactory, samples: Samples) -> None:
        record = samples.person()
        with uow_factory() as uow, pytest.raises(Conflict):
            uow.records.add([record, record])

    def test_a_new_version_becomes_the_latest_and_the_history_keeps_all(
            self, uow_factory: UnitOfWorkFactory, samples: Samples) -> None:
        v1 = samples.person()
        v2 = next_version(v1, Person(SubjectCategory.CONVICTED, "Amina", "Haddad"))
        v3 = next_version(v2)
        store(uow_factory, v1)
        with uow_factory() as uow:
            uow.records.add_version(v2)
            uow.records.add_version(v3)
            uow.commit()
        with uow_factory() as uow:
            assert uow.records.get(v1.id) == v3
            assert uow.records.history(v1.id) == [v1, v2, v3]
            assert uow.records.count() == 1

    @pytest.mark.parametrize("version", [1, 3])
    def test_a_version_that_does_not_follow_the_stored_one_is_a_version_conflict(
            self, uow_factory: UnitOfWorkFactory, samples: Samples, version: int) -> None:
        v1 = samples.person()
        store(uow_factory, v1)
        with uow_factory() as uow:
            with pytest.raises(VersionConflict):
                uow.records.add_version(next_version(v1, version=version))
            assert uow.records.history(v1.id) == [v1]

    def test_a_version_of_an_unknown_record_is_not_found(
            self, uow_factory: UnitOfWorkFactory, samples: Samples) -> None:
        with uow_factory() as uow, pytest.raises(NotFound):
            uow.records.add_version(next_version(samples.person()))

    def test_erasure_removes_every_version_and_every_way_to_find_it(
            self, uow_factory: UnitOfWorkFactory, samples: Samples) -> None:
        person, document = samples.person(), samples.document("P-778899")
        store(uow_factory, person, document)
        with uow_factory() as uow:
            uow.records.add_version(next_version(person))
            assert uow.records.erase(person.id) is True
            assert uow.records.erase(document.id) is True
            uow.commit()
        with uow_factory() as uow:
            assert uow.records.get(person.id) is None
            assert uow.records.history(person.id) == []
            assert uow.records.count() == 0
            assert uow.records.erase(person.id) is False
        assert search(uow_factory, RecordQuery(name="Amina Haddad")) == []
        assert search(uow_factory, RecordQuery(document_number="P778899")) == []
        assert search(uow_factory, RecordQuery()) == []

    def test_a_name_is_found_whatever_the_case_and_accents(
            self, uow_factory: UnitOfWorkFactory, samples: Samples) -> None:
        wanted = samples.person("José", "Núñez García")
        store(uow_factory, wanted, samples.person("Josefa", "Nunez"))
        assert search(uow_factory, RecordQuery(name="JOSE nunez")) == [wanted.id]
        assert search(uow_factory, RecordQuery(name="garcía")) == [wanted.id]

    def test_a_name_is_found_in_arabic_script_whatever_the_letter_forms(
            self, uow_factory: UnitOfWorkFactory, samples: Samples) -> None:
        wanted = samples.person("Amina", "Haddad", original=("أمينة حدّاد",))
        store(uow_factory, wanted, samples.person("Amina", "Tazi", original=("أمينة التازي",)))
        assert search(uow_factory, RecordQuery(name="امينه حداد")) == [wanted.id]

    def test_a_name_is_found_by_an_alias(self, uow_factory: UnitOfWorkFactory,
                                         samples: Samples) -> None:
        wanted = samples.person("Karim", "Benali", aliases=("Abu Samir",))
        store(uow_factory, wanted, samples.person("Samir", "Aït Ouali"))
        assert search(uow_factory, RecordQuery(name="abu samir")) == [wanted.id]

    def test_a_name_matches_only_records_with_every_word_of_it(
            self, uow_factory: UnitOfWorkFactory, samples: Samples) -> None:
        both = samples.person("Amina", "Haddad")
        store(uow_factory, both, samples.person("Amina", "Khoury"),
              samples.person("Leila", "Haddad"))
        assert search(uow_factory, RecordQuery(name="Haddad Amina")) == [both.id]
        assert search(uow_factory, RecordQuery(name="Amina Haddad Mansour")) == []

    def test_organisations_are_found_by_name_and_alias(
            self, uow_factory: UnitOfWorkFactory, samples: Samples) -> None:
        group = samples.organisation("Red Meridian Collective", aliases=("RMC",))
        store(uow_factory, group, samples.person("Meridian", "Okafor"))
        assert search(uow_factory, RecordQuery(name="rmc")) == [group.id]
        assert search(uow_factory, RecordQuery(name="meridian",
                                               kinds=frozenset({RecordKind.ORGANISATION}))) == [
            group.id]

    def test_a_name_of_punctuation_only_matches_nothing(
            self, uow_factory: UnitOfWorkFactory, samples: Samples) -> None:
        store(uow_factory, samples.person())
        assert search(uow_factory, RecordQuery(name=" - ' ")) == []
        assert search(uow_factory, RecordQuery(document_number="--")) == []

    def test_a_document_number_is_found_without_its_spaces_and_dashes(
            self, uow_factory: UnitOfWorkFactory, samples: Samples) -> None:
        wanted = samples.document("ab 12-34 56")
        store(uow_factory, wanted, samples.document("AB123457"))
        assert search(uow_factory, RecordQuery(document_number="AB-123456")) == [wanted.id]
        assert search(uow_factory, RecordQuery(document_number="ab123456")) == [wanted.id]

    def test_a_new_version_is_searched_under_its_new_names_only(
            self, uow_factory: UnitOfWorkFactory, samples: Samples) -> None:
        v1 = samples.person("Amina", "Haddad")
        store(uow_factory, v1)
        with uow_factory() as uow:
            uow.records.add_version(next_version(v1, Person(SubjectCategory.SUSPECT, "Amina",
                                                            "Belkacem")))
            uow.commit()
        assert search(uow_factory, RecordQuery(name="Haddad")) == []
        assert search(uow_factory, RecordQuery(name="Amina Belkacem")) == [v1.id]

    def test_kind_and_time_range_narrow_the_search(self, uow_factory: UnitOfWorkFactory,
                                                   samples: Samples) -> None:
        early, middle, late = (samples.event(T0 + dt.timedelta(days=d)) for d in (1, 2, 3))
        report = samples.report(T0 + dt.timedelta(days=2))
        person = samples.person()  # its time is its modification, T0
        store(uow_factory, early, middle, late, report, person)
        events = frozenset({RecordKind.EVENT})
        window = {"time_from": T0 + dt.timedelta(days=2), "time_to": T0 + dt.timedelta(days=3)}
        assert search(uow_factory, RecordQuery(kinds=events)) == [early.id, middle.id, late.id]
        assert search(uow_factory, RecordQuery(kinds=events, **window)) == [middle.id, late.id]
        assert search(uow_factory, RecordQuery(**window)) == [middle.id, late.id, report.id]
        assert search(uow_factory, RecordQuery(
            kinds=frozenset({RecordKind.EVENT, RecordKind.PERSON}),
            time_to=T0 + dt.timedelta(days=1))) == [early.id, person.id]

    def test_kept_objects_are_the_kind_object_whatever_their_stix_type(
            self, uow_factory: UnitOfWorkFactory, samples: Samples) -> None:
        actor, campaign = samples.kept("threat-actor"), samples.kept("campaign")
        person = samples.person()
        store(uow_factory, actor, campaign, person)
        objects = frozenset({RecordKind.OBJECT})
        assert sorted(search(uow_factory, RecordQuery(kinds=objects))) == sorted(
            [actor.id, campaign.id])
        assert sorted(search(uow_factory, RecordQuery(
            kinds=objects | {RecordKind.PERSON}))) == sorted([actor.id, campaign.id, person.id])
        assert search(uow_factory, RecordQuery(kinds=frozenset({RecordKind.PERSON}))) == [
            person.id]

    def test_an_alert_falls_in_the_time_range_of_its_validity_start_and_has_no_names(
            self, uow_factory: UnitOfWorkFactory, samples: Samples) -> None:
        person = samples.person("Tomasz", "Wiśniewski")
        alert = samples.alert(person.id)
        later = dataclasses.replace(alert, details=dataclasses.replace(
            alert.details, valid_from=T0 + dt.timedelta(days=5),
            valid_until=T0 + dt.timedelta(days=9)))
        store(uow_factory, person, later)
        alerts = frozenset({RecordKind.ALERT})
        assert search(uow_factory, RecordQuery(
            kinds=alerts, time_from=T0 + dt.timedelta(days=4),
            time_to=T0 + dt.timedelta(days=6))) == [later.id]
        assert search(uow_factory, RecordQuery(kinds=alerts, time_to=T0)) == []
        assert search(uow_factory, RecordQuery(name="Wiśniewski")) == [person.id]

    def test_the_owner_narrows_the_search(self, uow_factory: UnitOfWorkFactory,
                                          samples: Samples) -> None:
        ours, theirs = samples.person(owner="fr"), samples.person(owner="ma")
        store(uow_factory, ours, theirs)
        assert search(uow_factory, RecordQuery(owner_agency="ma")) == [theirs.id]
        assert search(uow_factory, RecordQuery(name="amina", owner_agency="fr")) == [ours.id]

    @pytest.mark.parametrize("query", [RecordQuery(), RecordQuery(name="Haddad"),
                                       RecordQuery(name="amina haddad")])
    def test_keyset_pages_have_no_duplicates_and_no_gaps(
            self, uow_factory: UnitOfWorkFactory, samples: Samples, query: RecordQuery) -> None:
        people = [samples.person("Amina" if n % 2 else "Leila", "Haddad") for n in range(23)]
        store(uow_factory, *reversed(people), samples.person("Amina", "Tazi"))
        expected = search(uow_factory, query, limit=1000)
        pages: list[list[str]] = []
        after: str | None = None
        while not pages or len(pages[-1]) == 5:
            pages.append(search(uow_factory, query, after, limit=5))
            after = pages[-1][-1] if pages[-1] else after
        seen = [record_id for page in pages for record_id in page]
        assert seen == expected == sorted(expected)
        assert len(set(seen)) == len(seen) >= 11

    def test_a_page_of_zero_is_empty(self, uow_factory: UnitOfWorkFactory,
                                     samples: Samples) -> None:
        store(uow_factory, samples.person())
        assert search(uow_factory, RecordQuery(), limit=0) == []

    def test_an_organisation_renamed_is_found_by_its_new_alias(
            self, uow_factory: UnitOfWorkFactory, samples: Samples) -> None:
        group = samples.organisation("Red Meridian Collective")
        store(uow_factory, group)
        with uow_factory() as uow:
            uow.records.add_version(next_version(
                group, Organisation("Red Meridian Collective", aliases=("Al-Zawiya al-Hamra",))))
            uow.commit()
        assert search(uow_factory, RecordQuery(name="al zawiya")) == [group.id]


class TestRecordRepository(RecordRepositoryContract):
    """The contract on every backend (``uow_factory`` is parametrised)."""
