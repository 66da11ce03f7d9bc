"""The SQL search and the in-memory fake agree on every query: the fake is only worth having if
service tests that pass on it would pass on the databases."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.storage.samples import Samples
from tests.support import AUDIT_KEY, FixedClock

from passerelle.domain.records import Organisation, RecordKind
from passerelle.ports import RecordQuery, UnitOfWorkFactory
from passerelle.storage.memory import MemoryUnitOfWorkFactory
from passerelle.storage.unit_of_work import SqlUnitOfWorkFactory

WORDS = ["Amina", "Amína", "Haddad", "Yusuf", "Youssef", "Okafor", "Núñez", "Nunez", "Tazi",
         "Abu", "Samir", "أمينة", "امينه", "حداد", "يوسف", "Zhang", "Wei"]
NUMBERS = ["AB 123 456", "ab-123456", "X1234567", "x 123 4567", "P-0001"]


def populate(factories: list[UnitOfWorkFactory]) -> None:
    rng, samples = random.Random(20261122), Samples()
    records = []
    for _ in range(60):
        given, family = rng.choice(WORDS), rng.choice(WORDS)
        original = (f"{rng.choice(WORDS[11:])} {rng.choice(WORDS[11:])}",) if rng.random() < .4 \
            else ()
        aliases = (rng.choice(WORDS),) if rng.random() < .3 else ()
        records.append(samples.person(given, family, original=original, aliases=aliases,
                                      owner=rng.choice(["fr", "ma"])))
    records += [samples.document(number) for number in NUMBERS]
    records.append(samples.record(Organisation("Haddad Trading", aliases=("Amina Group",))))
    for factory in factories:
        with factory() as uow:
            uow.records.add(records)
            uow.commit()


@pytest.fixture
def pair(sql_factory: SqlUnitOfWorkFactory) -> tuple[UnitOfWorkFactory, UnitOfWorkFactory]:
    memory = MemoryUnitOfWorkFactory(AUDIT_KEY, FixedClock())
    populate([memory, sql_factory])
    return memory, sql_factory


queries = st.builds(
    RecordQuery,
    kinds=st.frozensets(st.sampled_from([RecordKind.PERSON, RecordKind.ORGANISATION,
                                         RecordKind.DOCUMENT]), max_size=2),
    name=st.none() | st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join),
    sounds_like=st.none() | st.lists(st.sampled_from([*WORDS, "Jusuf", "Haddat"]), min_size=1,
                                     max_size=2).map(" ".join),
    document_number=st.none() | st.sampled_from([*NUMBERS, "AB123456", "nothing"]),
    owner_agency=st.none() | st.sampled_from(["fr", "ma"]))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=queries, limit=st.integers(1, 7))
def test_sql_and_memory_return_the_same_pages(
        pair: tuple[UnitOfWorkFactory, UnitOfWorkFactory], query: RecordQuery,
        limit: int) -> None:
    pages = []
    for factory in pair:
        ids, after = [], None
        with factory() as uow:
            while True:
                page = [r.id for r in uow.records.search(query, after, limit)]
                ids.append(page)
                if len(page) < limit:
                    break
                after = page[-1]
        pages.append(ids)
    assert pages[0] == pages[1]
