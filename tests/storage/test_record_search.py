"""The SQL search drives a name query from its rarest token (storage.record_search)."""

from __future__ import annotations

from tests.storage.samples import Samples

from passerelle.domain.records import RecordKind
from passerelle.storage.record_search import kind_ranges, rank_tokens
from passerelle.storage.schema import RECORDS
from passerelle.storage.unit_of_work import SqlUnitOfWorkFactory


def test_tokens_are_ranked_from_the_rarest(sql_factory: SqlUnitOfWorkFactory,
                                           samples: Samples) -> None:
    people = [samples.person("Amina", family) for family in ("Haddad", "Haddad", "Tazi")]
    with sql_factory() as uow:
        uow.records.add(people)
        uow.commit()
    with sql_factory.engine.connect() as connection:
        assert rank_tokens(connection, ["amina", "haddad", "tazi"]) == ["tazi", "haddad", "amina"]
        assert rank_tokens(connection, ["amina", "nowhere"]) == ["nowhere", "amina"]


def test_a_kind_is_a_range_of_ids_that_holds_every_id_of_that_kind(samples: Samples) -> None:
    condition = kind_ranges(RECORDS.c.id, frozenset({RecordKind.PERSON}))
    bounds = condition.compile(compile_kwargs={"literal_binds": True})
    assert "records.id >= 'person--'" in str(bounds)
    assert "records.id < 'person-.'" in str(bounds)
    for kind in RecordKind:
        if kind is RecordKind.OBJECT:
            continue  # named by their STIX id: every id outside the other kinds' ranges
        record_id = samples.record_id(kind)
        assert (f"{kind.value}--" <= record_id < f"{kind.value}-.")
        assert not any(f"{other.value}--" <= record_id < f"{other.value}-."
                       for other in RecordKind if other is not kind)
