"""Fixtures of the service tests: a fixed clock and an in-memory store holding the default
partner agencies (France, Spain, Belgium, Morocco)."""

from __future__ import annotations

import pytest
from tests.support import FixedClock, memory_transactions

from passerelle.domain.agencies import DEFAULT_AGENCIES
from passerelle.ports import UnitOfWorkFactory


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def transactions(clock: FixedClock) -> UnitOfWorkFactory:
    factory = memory_transactions(clock)
    with factory() as tx:
        for agency in DEFAULT_AGENCIES:
            tx.agencies.upsert(agency)
        tx.commit()
    return factory
