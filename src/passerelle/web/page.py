"""What every page route gets: the node, the signed-in user, the language, the purpose, and
the guard against cross-site form posts.

Sign-in is the API's session cookie (``api.auth``): the same signed, HttpOnly,
SameSite=Strict cookie serves the pages and the script's calls to ``/api/v1``. A page reached
without a session sends the browser to the login page (``LoginNeeded``); a page about to show
personal data without a stated purpose sends it to the purpose page (``PurposeNeeded``).

Cross-site request forgery: besides SameSite=Strict, every form carries a token derived from
the session cookie (HMAC under a key of its own), checked before a posted form is read
further.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import FormData

from passerelle.api.auth import COOKIE as SESSION_COOKIE
from passerelle.api.auth import SessionSigner, get_node
from passerelle.domain.users import Role, User
from passerelle.errors import AuthenticationRequired, Forbidden
from passerelle.node import Node
from passerelle.services.caller import Caller
from passerelle.web import i18n, purpose
from passerelle.web.templating import render

CSRF_FIELD = "csrf"


class LoginNeeded(Exception):
    """No valid session: the browser goes to the login page, then back to ``target``."""

    def __init__(self, target: str) -> None:
        super().__init__(target)
        self.target = target


class PurposeNeeded(Exception):
    """The page shows personal data and the user has not said why: ask, then come back."""

    def __init__(self, target: str) -> None:
        super().__init__(target)
        self.target = target


def target_of(request: Request) -> str:
    """The page's own path and query, to come back to."""
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def safe_target(value: str | None, default: str = "/") -> str:
    """A local path to go to after a form; anything else (another site) is ``default``."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return default


def _csrf_token(node: Node, session: str) -> str:
    key = hmac.new(node.settings.secret_key.encode(), b"passerelle form token v1",
                   hashlib.sha256).digest()
    mac = hmac.new(key, session.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


@dataclass
class Page:
    """One request to a page, on behalf of a signed-in user."""

    request: Request
    node: Node
    user: User
    lang: str
    csrf: str
    purpose: purpose.Purpose | None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def t(self) -> i18n.Translate:
        return i18n.translator(self.lang)

    def has(self, *roles: Role) -> bool:
        """The user holds any of ``roles``."""
        return any(self.user.has(role) for role in roles)

    def require(self, *roles: Role) -> None:
        """Refuse the page to a user holding none of ``roles``."""
        if not self.has(*roles):
            names = ", ".join(role.value for role in roles)
            raise Forbidden(f"this page is for: {names}")

    def caller(self) -> Caller:
        """The services' caller, with the stated purpose as justification when there is one."""
        return Caller(self.user, self.purpose.justification if self.purpose else "")

    def personal(self) -> Caller:
        """The caller for a page that shows personal data: the purpose must be stated."""
        if self.purpose is None:
            raise PurposeNeeded(target_of(self.request))
        return self.caller()

    async def form(self) -> FormData:
        """The posted form, once its token is checked."""
        form = await self.request.form()
        sent = form.get(CSRF_FIELD)
        if not isinstance(sent, str) or not hmac.compare_digest(sent, self.csrf):
            raise Forbidden("the form has expired or came from elsewhere: reload the page",
                            field=CSRF_FIELD)
        return form

    def render(self, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        """The page ``template`` with the common context."""
        return HTMLResponse(render(template, {**self.common(), **context}), status_code=status)

    def common(self) -> dict[str, Any]:
        return common_context(self.request, self.lang, self.user, self.csrf, self.purpose,
                              self.node)


def common_context(request: Request, lang: str, user: User | None, csrf: str,
                   stated: purpose.Purpose | None, node: Node) -> dict[str, Any]:
    """What the layout needs: language, user, roles, purpose, navigation."""
    held = {role.value for role in user.roles} if user and user.active else set()
    return {"has_any": lambda *names: bool(held.intersection(names)),
            "t": i18n.translator(lang), "lang": lang, "languages": i18n.LANGUAGES,
            "user": user, "csrf": csrf, "csrf_field": CSRF_FIELD, "purpose": stated,
            "agency": node.settings.agency_id, "here": target_of(request),
            "path": request.url.path, "Role": Role,
            "roles": held}


def language(request: Request) -> str:
    """The page language for this request."""
    return i18n.choose(request.cookies.get(i18n.COOKIE),
                       request.headers.get("accept-language", ""))


def current_page(request: Request, node: Annotated[Node, Depends(get_node)]) -> Page:
    """The signed-in user's page context; ``LoginNeeded`` without a valid session."""
    session = request.cookies.get(SESSION_COOKIE, "")
    signer = SessionSigner(node.settings.secret_key, node.settings.session_hours)
    user_id = signer.user_id(session, node.clock.now()) if session else None
    if user_id is None:
        raise LoginNeeded(target_of(request))
    try:
        user = node.accounts.session_user(user_id)
    except AuthenticationRequired:
        raise LoginNeeded(target_of(request)) from None
    sealed = request.cookies.get(purpose.COOKIE, "")
    stated = purpose.PurposeSigner(node.settings.secret_key).open(user.id, sealed)
    return Page(request, node, user, language(request), _csrf_token(node, session), stated)


PageDep = Annotated[Page, Depends(current_page)]
