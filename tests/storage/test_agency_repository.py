"""The contract of ``ports.AgencyRepository``, run on every backend."""

from __future__ import annotations

import dataclasses

from passerelle.domain.agencies import DEFAULT_AGENCIES
from passerelle.ports import UnitOfWorkFactory


class AgencyRepositoryContract:
    """Behaviour shared by every ``AgencyRepository``."""

    def test_agencies_are_created_and_listed_by_id(self, uow_factory: UnitOfWorkFactory) -> None:
        with uow_factory() as uow:
            for agency in DEFAULT_AGENCIES:
                uow.agencies.upsert(agency)
            uow.commit()
        with uow_factory() as uow:
            assert uow.agencies.list() == sorted(DEFAULT_AGENCIES, key=lambda a: a.id)
            assert uow.agencies.get("ma") == DEFAULT_AGENCIES[3]
            assert uow.agencies.get("xx") is None

    def test_an_upsert_of_a_known_agency_replaces_it(self, uow_factory: UnitOfWorkFactory) -> None:
        morocco = DEFAULT_AGENCIES[3]
        renamed = dataclasses.replace(morocco, name="DGST — Maroc", eu_member=True)
        with uow_factory() as uow:
            uow.agencies.upsert(morocco)
            uow.agencies.upsert(renamed)
            uow.commit()
        with uow_factory() as uow:
            assert uow.agencies.list() == [renamed]


class TestAgencyRepository(AgencyRepositoryContract):
    """The contract on every backend."""
