"""The contract of ``ports.TokenRepository``, run on every backend."""

from __future__ import annotations

import datetime as dt

import pytest

from passerelle.domain.users import Role, User
from passerelle.errors import Conflict, NotFound
from passerelle.ports import ApiToken, UnitOfWorkFactory

T0 = dt.datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=dt.UTC)
OWNER = User("u-1", "nadia.rahmani", "fr", frozenset({Role.ANALYST}))
OLD = ApiToken("t-1", OWNER.id, "laptop", "a" * 64, T0)
NEW = ApiToken("t-2", OWNER.id, "sync job", "b" * 64, T0 + dt.timedelta(days=1),
               expires_at=T0 + dt.timedelta(days=90))


@pytest.fixture
def with_owner(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    with uow_factory() as uow:
        uow.users.add(OWNER, None)
        uow.commit()
    return uow_factory


class TokenRepositoryContract:
    """Behaviour shared by every ``TokenRepository``."""

    def test_a_token_reads_back_by_id_and_by_hash(self, with_owner: UnitOfWorkFactory) -> None:
        with with_owner() as uow:
            uow.tokens.add(OLD)
            uow.tokens.add(NEW)
            uow.commit()
        with with_owner() as uow:
            assert uow.tokens.get(NEW.id) == NEW
            assert uow.tokens.by_hash("a" * 64) == OLD
            assert uow.tokens.by_hash("c" * 64) is None
            assert uow.tokens.get("t-404") is None

    def test_a_users_tokens_are_listed_newest_first(self, with_owner: UnitOfWorkFactory) -> None:
        with with_owner() as uow:
            uow.tokens.add(OLD)
            uow.tokens.add(NEW)
            assert uow.tokens.for_user(OWNER.id) == [NEW, OLD]
            assert uow.tokens.for_user("u-404") == []

    def test_revoking_marks_the_time_once(self, with_owner: UnitOfWorkFactory) -> None:
        at = T0 + dt.timedelta(days=2)
        with with_owner() as uow:
            uow.tokens.add(OLD)
            assert uow.tokens.revoke(OLD.id, at) is True
            assert uow.tokens.revoke(OLD.id, at + dt.timedelta(hours=1)) is False
            assert uow.tokens.revoke("t-404", at) is False
            uow.commit()
        with with_owner() as uow:
            token = uow.tokens.get(OLD.id)
            assert token is not None
            assert token.revoked_at == at

    @pytest.mark.parametrize("clash", [ApiToken("t-1", OWNER.id, "again", "c" * 64, T0),
                                       ApiToken("t-9", OWNER.id, "again", "a" * 64, T0)])
    def test_a_known_id_or_hash_is_a_conflict(self, with_owner: UnitOfWorkFactory,
                                              clash: ApiToken) -> None:
        with with_owner() as uow:
            uow.tokens.add(OLD)
            with pytest.raises(Conflict):
                uow.tokens.add(clash)

    def test_a_token_of_an_unknown_user_is_not_found(self, uow_factory: UnitOfWorkFactory) -> None:
        with uow_factory() as uow, pytest.raises(NotFound):
            uow.tokens.add(OLD)


class TestTokenRepository(TokenRepositoryContract):
    """The contract on every backend."""
