"""Accounts: users (administrators only), API tokens (your own), agencies and yourself.

The service decides who may do what (administrators manage users and anyone's tokens; a user
manages their own tokens) and audits every change; these routes translate the wire models.
A token's secret appears once, in the answer that creates it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from passerelle.api.auth import CallerDep, NodeDep
from passerelle.api.limits import StrictJsonRoute
from passerelle.api.models import (
    AgencyOut,
    IssuedToken,
    TokenCreate,
    TokenOut,
    UserCreate,
    UserOut,
    UserUpdate,
    agency_out,
    problems_for,
    token_out,
    user_out,
)
from passerelle.api.params import plain_text

router = APIRouter(tags=["accounts"], route_class=StrictJsonRoute)

Username = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9._-]{1,63}$",
                               examples=["analyst.dupont"])]
TokenId = Annotated[str, Path(pattern=r"^[0-9a-f-]{36}$",
                              examples=["0b8a4c2e-6f1d-4e3a-9c57-1d2e3f4a5b6c"])]


@router.get("/me", response_model=UserOut, summary="Who am I",
            description="The account behind the token or session of this request.",
            responses=problems_for(401))
def me(caller: CallerDep) -> UserOut:
    """Lets a client check its credentials and roles before doing anything."""
    return user_out(caller.user)


@router.get("/users", response_model=list[UserOut], summary="List users",
            description="Every account of this node, by username. Administrators only.",
            responses=problems_for(401, 403))
def list_users(caller: CallerDep, node: NodeDep) -> list[UserOut]:
    """Administration view of the accounts."""
    return [user_out(u) for u in node.accounts.list_users(caller)]


@router.post("/users", status_code=201, response_model=UserOut, summary="Create a user",
             description="A new account of this node's agency. Administrators only; audited. "
                         "Without a password the account can only use API tokens.",
             responses=problems_for(400, 401, 403, 409, 413, 415, 422))
def create_user(body: UserCreate, caller: CallerDep, node: NodeDep) -> UserOut:
    """Roles are separate duties; an account may hold several."""
    user = node.accounts.create_user(
        caller, body.username, frozenset(body.roles), body.password,
        plain_text(body.display_name, "display_name") or "", frozenset(body.compartments))
    return user_out(user)


@router.patch("/users/{username}", response_model=UserOut, summary="Change a user",
              description="Change roles, compartments, the active flag or the password; "
                          "omitted fields stay. Disabling an account ends its sessions and "
                          "tokens at once. Administrators only; audited.",
              responses=problems_for(400, 401, 403, 404, 413, 415, 422))
def update_user(username: Username, body: UserUpdate, caller: CallerDep,
                node: NodeDep) -> UserOut:
    """The password goes first: it is the change that can be refused for its content."""
    if body.password is not None:
        node.accounts.set_password(caller, username, body.password)
    user = node.accounts.update_user(
        caller, username, roles=None if body.roles is None else frozenset(body.roles),
        active=body.active,
        compartments=None if body.compartments is None else frozenset(body.compartments))
    return user_out(user)


@router.get("/tokens", response_model=list[TokenOut], summary="List your API tokens",
            description="Your tokens, newest first, without their secrets.",
            responses=problems_for(401))
def list_tokens(caller: CallerDep, node: NodeDep) -> list[TokenOut]:
    """Only the caller's own tokens: administrators audit others' through the audit log."""
    return [token_out(t) for t in node.accounts.tokens(caller, caller.user.username)]


@router.post("/tokens", status_code=201, response_model=IssuedToken,
             summary="Create an API token",
             description="A new token for you (or, for administrators, for `username`). The "
                         "`secret` is shown in this answer only: store it now.",
             responses=problems_for(400, 401, 403, 404, 413, 415, 422))
def create_token(body: TokenCreate, caller: CallerDep, node: NodeDep) -> IssuedToken:
    """Tokens are for scripts; each has a name saying what uses it."""
    issued = node.accounts.issue_token(caller, body.username or caller.user.username,
                                       plain_text(body.name, "name") or "", body.days)
    return IssuedToken(**token_out(issued.token).model_dump(), secret=issued.secret)


@router.delete("/tokens/{token_id}", status_code=204, summary="Revoke an API token",
               description="Revoke at once. Your own tokens; administrators may revoke any.",
               responses=problems_for(401, 403, 404, 422))
def revoke_token(token_id: TokenId, caller: CallerDep, node: NodeDep) -> Response:
    """Revocation is immediate: the next request with the token gets a 401."""
    node.accounts.revoke_token(caller, token_id)
    return Response(status_code=204)


@router.get("/agencies", response_model=list[AgencyOut], summary="List agencies",
            description="Partner agencies known to this node, by id.",
            responses=problems_for(401))
def list_agencies(caller: CallerDep, node: NodeDep) -> list[AgencyOut]:
    """Any authenticated user may see who the partners are (to fill `releasable_to`)."""
    return [agency_out(a) for a in node.accounts.agencies()]
