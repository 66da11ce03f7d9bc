"""Users, their API tokens, and the agencies a node knows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from passerelle.domain.agencies import Agency
from passerelle.domain.users import User


class UserRepository(Protocol):
    """Accounts of this node."""

    def add(self, user: User, password_hash: str | None) -> None:
        """Create; raises ``Conflict`` if the id or username is taken."""
        ...

    def update(self, user: User) -> None:
        """Replace roles, compartments, display name and active flag."""
        ...

    def set_password_hash(self, user_id: str, password_hash: str) -> None:
        """Replace the stored password hash."""
        ...

    def get(self, user_id: str) -> User | None:
        """By id."""
        ...

    def by_username(self, username: str) -> tuple[User, str | None] | None:
        """The user and the stored password hash."""
        ...

    def list(self) -> list[User]:
        """Every account, ordered by username."""
        ...


@dataclass(frozen=True, slots=True)
class ApiToken:
    """An API token as stored: only the SHA-256 of the secret is kept."""

    id: str
    user_id: str
    name: str
    token_hash: str
    created_at: dt.datetime
    expires_at: dt.datetime | None = None
    revoked_at: dt.datetime | None = None


class TokenRepository(Protocol):
    """API tokens."""

    def add(self, token: ApiToken) -> None:
        """Store a new token."""
        ...

    def by_hash(self, token_hash: str) -> ApiToken | None:
        """The token whose secret hashes to ``token_hash``."""
        ...

    def for_user(self, user_id: str) -> list[ApiToken]:
        """Tokens of one user, newest first."""
        ...

    def get(self, token_id: str) -> ApiToken | None:
        """By id."""
        ...

    def revoke(self, token_id: str, at: dt.datetime) -> bool:
        """Mark revoked; True if it was active."""
        ...


class AgencyRepository(Protocol):
    """Partner agencies known to this node."""

    def upsert(self, agency: Agency) -> None:
        """Create or replace."""
        ...

    def get(self, agency_id: str) -> Agency | None:
        """By id."""
        ...

    def list(self) -> list[Agency]:
        """Every agency, ordered by id."""
        ...
