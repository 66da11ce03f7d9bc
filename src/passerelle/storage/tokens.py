"""API tokens in SQL. Only the SHA-256 of a secret is stored; ``by_hash`` is the lookup of every
authenticated API call, served by the unique index on ``token_hash``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, insert, or_, select, update

from passerelle.errors import Conflict, NotFound
from passerelle.ports import ApiToken
from passerelle.storage.conflicts import stored_meanwhile_is_conflict
from passerelle.storage.schema import API_TOKENS, USERS


def _token(row: Any) -> ApiToken:
    return ApiToken(id=row.id, user_id=row.user_id, name=row.name, token_hash=row.token_hash,
                    created_at=row.created_at, expires_at=row.expires_at,
                    revoked_at=row.revoked_at)


class SqlTokenRepository:
    """``ports.TokenRepository`` over one connection."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, token: ApiToken) -> None:
        """Store a new token: ``NotFound`` for an unknown user, ``Conflict`` for a known id or
        secret hash."""
        if self._connection.scalar(select(USERS.c.id).where(USERS.c.id == token.user_id)) is None:
            raise NotFound(f"no user {token.user_id!r}", field="user_id")
        clash = self._connection.execute(
            select(API_TOKENS.c.id).where(or_(API_TOKENS.c.id == token.id,
                                              API_TOKENS.c.token_hash == token.token_hash))
        ).first()
        if clash is not None:
            field = "id" if clash.id == token.id else "token_hash"
            raise Conflict(f"a token with this {field} exists", field=field)
        with stored_meanwhile_is_conflict("a token with this id or hash was stored meanwhile",
                                          "id"):
            self._connection.execute(insert(API_TOKENS).values(
                id=token.id, user_id=token.user_id, name=token.name,
                token_hash=token.token_hash, created_at=token.created_at,
                expires_at=token.expires_at, revoked_at=token.revoked_at))

    def by_hash(self, token_hash: str) -> ApiToken | None:
        """The token whose secret hashes to ``token_hash``, revoked or expired included: the
        caller decides what is still valid."""
        row = self._connection.execute(
            select(API_TOKENS).where(API_TOKENS.c.token_hash == token_hash)).first()
        return None if row is None else _token(row)

    def for_user(self, user_id: str) -> list[ApiToken]:
        """Tokens of one user, newest first (ties by id, so the order is stable)."""
        rows = self._connection.execute(
            select(API_TOKENS).where(API_TOKENS.c.user_id == user_id)
            .order_by(API_TOKENS.c.created_at.desc(), API_TOKENS.c.id.desc()))
        return [_token(row) for row in rows]

    def get(self, token_id: str) -> ApiToken | None:
        """By id."""
        row = self._connection.execute(
            select(API_TOKENS).where(API_TOKENS.c.id == token_id)).first()
        return None if row is None else _token(row)

    def revoke(self, token_id: str, at: dt.datetime) -> bool:
        """Mark revoked at ``at``; True if it was not revoked before. A second revocation keeps
        the first time."""
        changed = self._connection.execute(
            update(API_TOKENS)
            .where(API_TOKENS.c.id == token_id, API_TOKENS.c.revoked_at.is_(None))
            .values(revoked_at=at))
        return changed.rowcount == 1
