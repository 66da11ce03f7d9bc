"""Signing in and out, stating the purpose, and choosing the language."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from passerelle.api.auth import COOKIE as SESSION_COOKIE
from passerelle.api.auth import COOKIE_PATH, SessionSigner, get_node
from passerelle.errors import AuthenticationRequired, ValidationFailed
from passerelle.node import Node
from passerelle.web import i18n, purpose
from passerelle.web.page import PageDep, common_context, language, safe_target
from passerelle.web.templating import render

router = APIRouter(include_in_schema=False)
NodeDep = Annotated[Node, Depends(get_node)]
Next = Annotated[str | None, Query(alias="next", max_length=2000)]
MAX_FIELD = 200
#: The login form's token, also set as a cookie (double submit): another site cannot read
#: the cookie, so it cannot post a login form that signs the browser in to its own account.
LOGIN_COOKIE = "passerelle_login"
LOGIN_FIELD = "login_token"
LOGIN_TOKEN_S = 3600


def _login_page(request: Request, node: Node, target: str, username: str = "",
                error: str = "", status: int = 200) -> HTMLResponse:
    context = common_context(request, language(request), None, "", None, node)
    token = secrets.token_urlsafe(24)
    response = HTMLResponse(render("login.html", {
        **context, "next": target, "username": username, "error": error,
        "login_field": LOGIN_FIELD, "login_token": token}), status_code=status)
    response.set_cookie(LOGIN_COOKIE, token, max_age=LOGIN_TOKEN_S, path="/login",
                        httponly=True, samesite="strict",
                        secure=node.settings.environment == "production")
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, node: NodeDep, target: Next = None) -> HTMLResponse:
    """The sign-in form."""
    return _login_page(request, node, safe_target(target))


@router.post("/login", response_model=None)
async def log_in(request: Request, node: NodeDep) -> Response:
    """Check the password (audited by the service); set the session cookie."""
    form = await request.form()
    username = str(form.get("username", ""))[:MAX_FIELD].strip()
    password = str(form.get("password", ""))[:1024]
    target = safe_target(str(form.get("next", "")))
    t = i18n.translator(language(request))
    sent, expected = str(form.get(LOGIN_FIELD, "")), request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not hmac.compare_digest(sent, expected):
        return _login_page(request, node, target, username,
                           t("The sign-in form has expired: sign in again."), 403)
    if not username or not password:
        return _login_page(request, node, target, username,
                           t("Enter your username and your password."), 422)
    try:
        user = node.accounts.login(username, password)
    except (AuthenticationRequired, ValidationFailed):
        return _login_page(request, node, target, username,
                           t("Wrong username or password, or the account is disabled."), 401)
    signer = SessionSigner(node.settings.secret_key, node.settings.session_hours)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, signer.issue(user.id, node.clock.now()),
                        max_age=int(signer.lifetime.total_seconds()), path=COOKIE_PATH,
                        httponly=True, samesite="strict",
                        secure=node.settings.environment == "production")
    response.delete_cookie(purpose.COOKIE, path="/")
    response.delete_cookie(LOGIN_COOKIE, path="/login")
    return response


@router.post("/logout")
async def log_out(page: PageDep) -> RedirectResponse:
    """End the session and forget the purpose."""
    await page.form()
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path=COOKIE_PATH, httponly=True, samesite="strict")
    response.delete_cookie(purpose.COOKIE, path="/")
    return response


@router.get("/purpose", response_class=HTMLResponse)
def purpose_form(page: PageDep, target: Next = None) -> HTMLResponse:
    """Ask why the user consults personal data."""
    stated = page.purpose
    return page.render("purpose.html", next=safe_target(target),
                       case=stated.case if stated else "",
                       reason=stated.reason if stated else "", errors={})


@router.post("/purpose", response_model=None)
async def state_purpose(page: PageDep) -> Response:
    """Keep the purpose for the session; errors are shown at their fields."""
    form = await page.form()
    case = str(form.get("case", ""))[:purpose.MAX_CASE + 1]
    reason = str(form.get("reason", ""))[:purpose.MAX_REASON + 1]
    target = safe_target(str(form.get("next", "")))
    try:
        stated = purpose.Purpose(case, reason)
    except ValidationFailed as error:
        return page.render("purpose.html", status=422, next=target, case=case, reason=reason,
                           errors={error.field: error.detail})
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(purpose.COOKIE,
                        purpose.PurposeSigner(page.node.settings.secret_key).seal(page.user.id,
                                                                                   stated),
                        path="/", httponly=True, samesite="strict",
                        secure=page.node.settings.environment == "production")
    return response


@router.get("/language/{lang}")
def switch_language(lang: str, target: Next = None) -> RedirectResponse:
    """Remember the chosen language (a preference, no personal data) and go back."""
    response = RedirectResponse(safe_target(target), status_code=303)
    if lang in i18n.LANGUAGES:
        response.set_cookie(i18n.COOKIE, lang, max_age=365 * 86400, path="/",
                            samesite="lax")
    return response
