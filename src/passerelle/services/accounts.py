"""Accounts: users, passwords, API tokens and agencies.

Only administrators manage accounts; every change is audited. Token secrets are returned once,
at creation, and stored only as hashes. Authentication failures say nothing about which part
was wrong.
"""

from __future__ import annotations

import datetime as dt
import functools
import secrets
import uuid
from dataclasses import dataclass

from passerelle.domain.agencies import Agency
from passerelle.domain.audit import AuditAction, AuditEvent
from passerelle.domain.policy import may_use_role
from passerelle.domain.users import Role, User
from passerelle.errors import (
    AuthenticationRequired,
    Conflict,
    Forbidden,
    NotFound,
    ValidationFailed,
)
from passerelle.ports import ApiToken, Clock, UnitOfWork, UnitOfWorkFactory
from passerelle.services.caller import Caller
from passerelle.services.credentials import (
    check_password,
    hash_password,
    hash_token,
    new_token_secret,
)

MIN_PASSWORD = 12


@functools.cache
def _dummy_hash() -> str:
    """A hash to check unknown usernames against, so that they cost as much as known ones."""
    return hash_password(secrets.token_hex(16))


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A new token and its secret; the secret is never shown again."""

    token: ApiToken
    secret: str


def _check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ValidationFailed(f"at least {MIN_PASSWORD} characters", field="password")


class AccountService:
    """Administration and authentication of this node's users."""

    def __init__(self, transactions: UnitOfWorkFactory, clock: Clock, agency_id: str) -> None:
        self._transactions = transactions
        self._clock = clock
        self._agency_id = agency_id

    def _admin(self, caller: Caller | None) -> str:
        if caller is None:
            return "system"
        if not may_use_role(caller.user, Role.ADMINISTRATOR):
            raise Forbidden("needs the administrator role")
        return caller.actor

    def _log(self, tx: UnitOfWork, actor: str, what: str, **details: object) -> None:
        tx.audit.append([AuditEvent(AuditAction.ADMINISTRATION, actor, self._agency_id,
                                    None, "", {"operation": what, **details})])

    def create_user(self, caller: Caller | None, username: str, roles: frozenset[Role],
                    password: str | None, display_name: str = "",
                    compartments: frozenset[str] = frozenset()) -> User:
        """A new account of this node's agency. ``caller`` None means the node itself
        (``passerelle init``)."""
        actor = self._admin(caller)
        if password is not None:
            _check_password_strength(password)
        user = User(str(uuid.uuid4()), username, self._agency_id, roles, display_name,
                    compartments)
        with self._transactions() as tx:
            if tx.users.by_username(username) is not None:
                raise Conflict(f"username {username} is taken", field="username")
            tx.users.add(user, hash_password(password) if password else None)
            self._log(tx, actor, "create_user", user=user.id, username=username,
                      roles=sorted(r.value for r in roles))
            tx.commit()
        return user

    def update_user(self, caller: Caller | None, username: str, *,
                    roles: frozenset[Role] | None = None, active: bool | None = None,
                    compartments: frozenset[str] | None = None) -> User:
        """Change roles, compartments or whether the account is active."""
        actor = self._admin(caller)
        with self._transactions() as tx:
            user = self._by_username(tx, username)
            changed = User(user.id, user.username, user.agency_id,
                           user.roles if roles is None else roles, user.display_name,
                           user.compartments if compartments is None else compartments,
                           user.active if active is None else active)
            tx.users.update(changed)
            self._log(tx, actor, "update_user", user=user.id,
                      roles=sorted(r.value for r in changed.roles), active=changed.active,
                      compartments=sorted(changed.compartments))
            tx.commit()
        return changed

    def set_password(self, caller: Caller | None, username: str, password: str) -> None:
        """Replace a user's password."""
        actor = self._admin(caller)
        _check_password_strength(password)
        with self._transactions() as tx:
            user = self._by_username(tx, username)
            tx.users.set_password_hash(user.id, hash_password(password))
            self._log(tx, actor, "set_password", user=user.id)
            tx.commit()

    def list_users(self, caller: Caller | None) -> list[User]:
        """Every account of the node."""
        self._admin(caller)
        with self._transactions() as tx:
            return tx.users.list()

    def _by_username(self, tx: UnitOfWork, username: str) -> User:
        found = tx.users.by_username(username)
        if found is None:
            raise NotFound(f"no user {username}", field="username")
        return found[0]

    def login(self, username: str, password: str) -> User:
        """Check a password; the audit log records successes and failures."""
        with self._transactions() as tx:
            found = tx.users.by_username(username)
            stored = found[1] if found is not None else None
            # An unknown user costs the same scrypt as a known one: timing tells nothing.
            matches = check_password(password, stored or _dummy_hash())
            ok = found is not None and found[0].active and stored is not None and matches
            actor = found[0].principal if found else "unknown"
            tx.audit.append([AuditEvent(AuditAction.LOGIN, actor, self._agency_id, None, "",
                                        {"username": username[:64], "success": ok})])
            tx.commit()
        if not ok or found is None:
            raise AuthenticationRequired("wrong username or password")
        return found[0]

    def issue_token(self, caller: Caller | None, username: str, name: str,
                    days: int | None = None) -> IssuedToken:
        """A new API token for ``username``; a user may issue tokens for themselves."""
        if caller is None or caller.user.username != username:
            self._admin(caller)
        if not name.strip() or len(name) > 100:
            raise ValidationFailed("1-100 characters", field="name")
        now = self._clock.now()
        secret = new_token_secret()
        with self._transactions() as tx:
            user = self._by_username(tx, username)
            token = ApiToken(str(uuid.uuid4()), user.id, name, hash_token(secret), now,
                             now + dt.timedelta(days=days) if days else None)
            tx.tokens.add(token)
            self._log(tx, caller.actor if caller else "system", "issue_token",
                      user=user.id, token=token.id)
            tx.commit()
        return IssuedToken(token, secret)

    def authenticate_token(self, secret: str) -> User:
        """The active user behind an active, unexpired token."""
        with self._transactions() as tx:
            token = tx.tokens.by_hash(hash_token(secret))
            now = self._clock.now()
            if token is None or token.revoked_at is not None or (
                    token.expires_at is not None and token.expires_at <= now):
                raise AuthenticationRequired("invalid, expired or revoked token")
            user = tx.users.get(token.user_id)
        if user is None or not user.active:
            raise AuthenticationRequired("invalid, expired or revoked token")
        return user

    def session_user(self, user_id: str) -> User:
        """The active user a signed session cookie names. The cookie proves who logged in;
        this re-reads the account on every request so that disabling it ends its sessions."""
        with self._transactions() as tx:
            user = tx.users.get(user_id)
        if user is None or not user.active:
            raise AuthenticationRequired("the session has ended; log in again")
        return user

    def tokens(self, caller: Caller | None, username: str) -> list[ApiToken]:
        """Tokens of a user (never their secrets)."""
        if caller is None or caller.user.username != username:
            self._admin(caller)
        with self._transactions() as tx:
            return tx.tokens.for_user(self._by_username(tx, username).id)

    def revoke_token(self, caller: Caller | None, token_id: str) -> None:
        """Revoke a token at once; its owner or an administrator may do it."""
        with self._transactions() as tx:
            token = tx.tokens.get(token_id)
            if token is None:
                raise NotFound(f"no token {token_id}", field="token_id")
            if caller is None or caller.user.id != token.user_id:
                self._admin(caller)
            tx.tokens.revoke(token_id, self._clock.now())
            self._log(tx, caller.actor if caller else "system", "revoke_token", token=token_id)
            tx.commit()

    def register_agencies(self, agencies: list[Agency]) -> None:
        """Record the partner agencies this node knows (at init)."""
        with self._transactions() as tx:
            for agency in agencies:
                tx.agencies.upsert(agency)
            tx.commit()

    def agencies(self) -> list[Agency]:
        """Every agency known to the node."""
        with self._transactions() as tx:
            return tx.agencies.list()
