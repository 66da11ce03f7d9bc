"""The contract of ``ports.UserRepository``, run on every backend."""

from __future__ import annotations

import dataclasses

import pytest

from passerelle.domain.users import Role, User
from passerelle.errors import Conflict, NotFound
from passerelle.ports import UnitOfWorkFactory

ANALYST = User("u-1", "nadia.rahmani", "fr", frozenset({Role.ANALYST}), "Nadia Rahmani",
               frozenset({"ct-north"}))
AUDITOR = User("u-2", "bram.peeters", "be", frozenset({Role.AUDITOR, Role.REVIEWER}))


class UserRepositoryContract:
    """Behaviour shared by every ``UserRepository``."""

    def test_a_user_reads_back_by_id_and_by_username_with_its_hash(
            self, uow_factory: UnitOfWorkFactory) -> None:
        with uow_factory() as uow:
            uow.users.add(ANALYST, "argon2-hash")
            uow.users.add(AUDITOR, None)
            uow.commit()
        with uow_factory() as uow:
            assert uow.users.get(ANALYST.id) == ANALYST
            assert uow.users.by_username("nadia.rahmani") == (ANALYST, "argon2-hash")
            assert uow.users.by_username("bram.peeters") == (AUDITOR, None)
            assert uow.users.get("u-404") is None
            assert uow.users.by_username("nobody") is None

    def test_users_are_listed_by_username(self, uow_factory: UnitOfWorkFactory) -> None:
        with uow_factory() as uow:
            uow.users.add(ANALYST, None)
            uow.users.add(AUDITOR, None)
            assert uow.users.list() == [AUDITOR, ANALYST]

    @pytest.mark.parametrize("clash", [dataclasses.replace(AUDITOR, id=ANALYST.id),
                                       dataclasses.replace(AUDITOR, username=ANALYST.username)])
    def test_a_taken_id_or_username_is_a_conflict(self, uow_factory: UnitOfWorkFactory,
                                                  clash: User) -> None:
        with uow_factory() as uow:
            uow.users.add(ANALYST, None)
            with pytest.raises(Conflict):
                uow.users.add(clash, None)
            assert uow.users.list() == [ANALYST]

    def test_an_update_replaces_roles_compartments_name_and_status_only(
            self, uow_factory: UnitOfWorkFactory) -> None:
        changed = dataclasses.replace(
            ANALYST, roles=frozenset({Role.RELEASER}), compartments=frozenset(),
            display_name="N. Rahmani", active=False, username="someone.else", agency_id="es")
        with uow_factory() as uow:
            uow.users.add(ANALYST, "hash-1")
            uow.users.update(changed)
            uow.users.set_password_hash(ANALYST.id, "hash-2")
            uow.commit()
        with uow_factory() as uow:
            expected = dataclasses.replace(changed, username=ANALYST.username, agency_id="fr")
            assert uow.users.by_username(ANALYST.username) == (expected, "hash-2")

    def test_changing_an_unknown_user_is_not_found(self, uow_factory: UnitOfWorkFactory) -> None:
        with uow_factory() as uow:
            with pytest.raises(NotFound):
                uow.users.update(ANALYST)
            with pytest.raises(NotFound):
                uow.users.set_password_hash(ANALYST.id, "hash")


class TestUserRepository(UserRepositoryContract):
    """The contract on every backend."""
