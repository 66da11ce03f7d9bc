"""User accounts in SQL. Roles and compartments are stored as sorted JSON lists: small sets that
are always read with the user and never searched on."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, or_, select, update

from passerelle.domain.users import Role, User
from passerelle.errors import Conflict, NotFound
from passerelle.storage.conflicts import stored_meanwhile_is_conflict
from passerelle.storage.schema import USERS


def _user(row: Any) -> User:
    return User(id=row.id, username=row.username, agency_id=row.agency_id,
                roles=frozenset(Role(role) for role in row.roles),
                display_name=row.display_name, compartments=frozenset(row.compartments),
                active=row.active)


def _mutable_fields(user: User) -> dict[str, Any]:
    return {"roles": sorted(role.value for role in user.roles),
            "compartments": sorted(user.compartments), "display_name": user.display_name,
            "active": user.active}


class SqlUserRepository:
    """``ports.UserRepository`` over one connection."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, user: User, password_hash: str | None) -> None:
        """Create; ``Conflict`` naming the field if the id or the username is taken."""
        clash = self._connection.execute(
            select(USERS.c.id, USERS.c.username)
            .where(or_(USERS.c.id == user.id, USERS.c.username == user.username))).first()
        if clash is not None:
            field = "id" if clash.id == user.id else "username"
            raise Conflict(f"{field} {getattr(user, field)!r} is taken", field=field)
        with stored_meanwhile_is_conflict("the id or username was taken meanwhile", "username"):
            self._connection.execute(insert(USERS).values(
                id=user.id, username=user.username, agency_id=user.agency_id,
                password_hash=password_hash, **_mutable_fields(user)))

    def update(self, user: User) -> None:
        """Replace roles, compartments, display name and active flag; the username, the
        agency and the password stay. ``NotFound`` if there is no such user."""
        self._set(user.id, _mutable_fields(user))

    def set_password_hash(self, user_id: str, password_hash: str) -> None:
        """Replace the stored password hash; ``NotFound`` if there is no such user."""
        self._set(user_id, {"password_hash": password_hash})

    def get(self, user_id: str) -> User | None:
        """By id."""
        row = self._connection.execute(select(USERS).where(USERS.c.id == user_id)).first()
        return None if row is None else _user(row)

    def by_username(self, username: str) -> tuple[User, str | None] | None:
        """The user and the stored password hash."""
        row = self._connection.execute(select(USERS).where(USERS.c.username == username)).first()
        return None if row is None else (_user(row), row.password_hash)

    def list(self) -> list[User]:
        """Every account, ordered by username."""
        return [_user(row) for row in
                self._connection.execute(select(USERS).order_by(USERS.c.username))]

    def _set(self, user_id: str, values: dict[str, Any]) -> None:
        changed = self._connection.execute(
            update(USERS).where(USERS.c.id == user_id).values(values))
        if changed.rowcount != 1:
            raise NotFound(f"no user {user_id!r}", field="user_id")
