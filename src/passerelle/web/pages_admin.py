"""User and token administration: administrators manage accounts (roles, need-to-know
compartments, disabling, passwords) and anyone's tokens; every user manages their own API
tokens. Secrets are shown once, when issued, and never stored in clear."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from passerelle.domain.users import Role
from passerelle.errors import Conflict, NotFound, ValidationFailed
from passerelle.web.page import Page, PageDep

router = APIRouter(include_in_schema=False)
Username = Annotated[str, Path(max_length=64, pattern=r"^[a-z0-9._-]{2,64}$")]
TokenId = Annotated[str, Path(max_length=100)]


def _roles(form: FormData) -> frozenset[Role]:
    chosen = {str(v) for v in form.getlist("roles")}
    return frozenset(role for role in Role if role.value in chosen)


def _compartments(form: FormData) -> frozenset[str]:
    return frozenset(c.strip() for c in str(form.get("compartments", "")).split(",")
                     if c.strip())


def _users_page(page: Page, values: dict[str, Any], errors: dict[str, str],
                status: int = 200, flash: str = "") -> HTMLResponse:
    users = sorted(page.node.accounts.list_users(page.caller()), key=lambda u: u.username)
    return page.render("users.html", status=status, users=users, values=values,
                       errors=errors, all_roles=[r.value for r in Role], flash=flash)


@router.get("/admin/users", response_class=HTMLResponse)
def users(page: PageDep, created: str = "") -> HTMLResponse:
    """Every account of the node, and the form for a new one."""
    page.require(Role.ADMINISTRATOR)
    flash = page.t("Account {name} created.", name=created) if created else ""
    return _users_page(page, {"roles": []}, {}, flash=flash)


@router.post("/admin/users", response_model=None)
async def create_user(page: PageDep) -> Response:
    """A new account; errors at their fields."""
    page.require(Role.ADMINISTRATOR)
    form = await page.form()
    username = str(form.get("username", "")).strip()
    values: dict[str, Any] = {
        "username": username, "display_name": str(form.get("display_name", "")),
        "roles": [str(v) for v in form.getlist("roles")],
        "compartments": str(form.get("compartments", ""))}
    try:
        roles = _roles(form)
        if not roles:
            raise ValidationFailed("give the account at least one role", field="roles")
        page.node.accounts.create_user(page.caller(), username, roles,
                                       str(form.get("password", "")),
                                       str(values["display_name"]).strip()[:200],
                                       _compartments(form))
    except (ValidationFailed, Conflict) as error:
        return _users_page(page, values, {error.field or "username": error.detail}, 422)
    return RedirectResponse(f"/admin/users?created={username}", status_code=303)


def _user_page(page: Page, username: str, errors: dict[str, str], status: int = 200,
               flash: str = "", secret: str = "") -> HTMLResponse:
    found = [u for u in page.node.accounts.list_users(page.caller()) if u.username == username]
    if not found:
        raise NotFound(f"no user {username}", field="username")
    tokens = page.node.accounts.tokens(page.caller(), username)
    return page.render("user.html", status=status, account=found[0], tokens=tokens,
                       errors=errors, all_roles=[r.value for r in Role], flash=flash,
                       secret=secret, now=page.node.clock.now())


@router.get("/admin/users/{username}", response_class=HTMLResponse)
def user(username: Username, page: PageDep, saved: int = 0) -> HTMLResponse:
    """One account: roles, compartments, state, password and tokens."""
    page.require(Role.ADMINISTRATOR)
    return _user_page(page, username, {}, flash=page.t("Saved.") if saved else "")


@router.post("/admin/users/{username}", response_model=None)
async def update_user(username: Username, page: PageDep) -> Response:
    """Roles, compartments, active; and the password when one is typed."""
    page.require(Role.ADMINISTRATOR)
    form = await page.form()
    try:
        roles = _roles(form)
        if not roles:
            raise ValidationFailed("give the account at least one role", field="roles")
        page.node.accounts.update_user(page.caller(), username, roles=roles,
                                       active=form.get("active") == "on",
                                       compartments=_compartments(form))
        password = str(form.get("password", ""))
        if password:
            page.node.accounts.set_password(page.caller(), username, password)
    except (ValidationFailed, Conflict) as error:
        return _user_page(page, username, {error.field or "roles": error.detail}, 422)
    return RedirectResponse(f"/admin/users/{username}?saved=1", status_code=303)


def _tokens_page(page: Page, errors: dict[str, str], status: int = 200, secret: str = "",
                 flash: str = "") -> HTMLResponse:
    tokens = page.node.accounts.tokens(page.caller(), page.user.username)
    return page.render("tokens.html", status=status, tokens=tokens, errors=errors,
                       secret=secret, flash=flash, now=page.node.clock.now())


@router.get("/tokens", response_class=HTMLResponse)
def my_tokens(page: PageDep) -> HTMLResponse:
    """The user's own API tokens."""
    return _tokens_page(page, {})


def _days(form: FormData) -> int | None:
    text = str(form.get("days", "")).strip()
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= 3650:
        raise ValidationFailed("a number of days from 1 to 3650, or empty for no expiry",
                               field="days")
    return int(text)


@router.post("/tokens", response_model=None)
async def issue_my_token(page: PageDep) -> Response:
    """A new token for the user; the secret is shown on this answer only."""
    form = await page.form()
    try:
        issued = page.node.accounts.issue_token(page.caller(), page.user.username,
                                                str(form.get("name", "")).strip(),
                                                _days(form))
    except ValidationFailed as error:
        return _tokens_page(page, {error.field or "name": error.detail}, 422)
    return _tokens_page(page, {}, secret=issued.secret)


@router.post("/tokens/{token_id}/revoke", response_model=None)
async def revoke_token(token_id: TokenId, page: PageDep) -> Response:
    """Revoke a token: the user's own, or anyone's for an administrator."""
    form = await page.form()
    page.node.accounts.revoke_token(page.caller(), token_id)
    back = str(form.get("back", ""))
    if back.startswith("/admin/users/") and page.has(Role.ADMINISTRATOR):
        return RedirectResponse(back, status_code=303)
    return RedirectResponse("/tokens", status_code=303)
