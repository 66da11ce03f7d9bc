"""Who is calling: Bearer API tokens, signed session cookies, and the stated justification.

Two ways in, one outcome (a ``services.caller.Caller``):

- ``Authorization: Bearer psl_...`` — API tokens, for scripts and partner tooling. The service
  checks revocation and expiry on every request.
- ``POST /api/v1/session`` — username and password, answered with an HttpOnly, SameSite=Strict
  cookie signed with HMAC-SHA256 under a key derived from ``settings.secret_key``. The cookie
  only names the user and an expiry; the account is re-read on every request, so disabling a
  user ends their sessions at once. Logging out clears the cookie in the browser; a copied
  cookie stays valid until it expires (``settings.session_hours``), which is why it is short.

Cross-site request forgery: SameSite=Strict keeps the cookie off cross-site requests, and every
body must be JSON (``limits``), which a cross-site form cannot send without a CORS preflight
that this API never grants.

The justification comes from the ``Passerelle-Justification`` header and is passed on as is:
whether it is needed is the services' decision, not the API's. HTTP headers travel as bytes;
they are read as UTF-8 so that "enquête" arrives intact.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
from typing import Annotated, cast

from fastapi import APIRouter, Depends, Header, Request, Response
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer

from passerelle.api.limits import StrictJsonRoute
from passerelle.api.models import SessionCreate, UserOut, problems_for, user_out
from passerelle.domain.users import User
from passerelle.errors import AuthenticationRequired
from passerelle.node import Node
from passerelle.services.caller import Caller

COOKIE = "passerelle_session"
COOKIE_PATH = "/"  # the API and the web pages share the session
JUSTIFICATION_HEADER = "Passerelle-Justification"

_bearer = HTTPBearer(auto_error=False, scheme_name="apiToken",
                     description="An API token: `Bearer psl_...`")
_cookie = APIKeyCookie(name=COOKIE, auto_error=False, scheme_name="session",
                       description="The session cookie set by `POST /api/v1/session`")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SessionSigner:
    """Issues and checks session cookies ``<payload>.<mac>``; the payload is
    ``<user id>|<expiry as Unix seconds>``, base64url. Nothing secret is inside: the MAC only
    stops forgery and tampering."""

    def __init__(self, secret_key: str, hours: int) -> None:
        # A key of its own, so that the session MAC can never be replayed as another MAC.
        self._key = hmac.new(secret_key.encode(), b"passerelle session cookie v1",
                             hashlib.sha256).digest()
        self.lifetime = dt.timedelta(hours=hours)

    def _mac(self, payload: str) -> bytes:
        return hmac.new(self._key, payload.encode(), hashlib.sha256).digest()

    def issue(self, user_id: str, now: dt.datetime) -> str:
        """A cookie value naming ``user_id`` until ``now + lifetime``."""
        expires = int((now + self.lifetime).timestamp())
        payload = _b64(f"{user_id}|{expires}".encode())
        return f"{payload}.{_b64(self._mac(payload))}"

    def user_id(self, cookie: str, now: dt.datetime) -> str | None:
        """The user the cookie names, or None if it is forged, altered, malformed or expired."""
        payload, _, mac = cookie.partition(".")
        try:
            valid = hmac.compare_digest(_unb64(mac), self._mac(payload))
            user_id, _, expires = _unb64(payload).decode().partition("|")
            alive = int(expires) > now.timestamp()
        except (binascii.Error, ValueError, UnicodeError):
            return None
        return user_id if valid and alive and user_id else None


def get_node(request: Request) -> Node:
    """The node ``create_app`` attached to the application."""
    return cast(Node, request.app.state.node)


NodeDep = Annotated[Node, Depends(get_node)]


def _signer(node: Node) -> SessionSigner:
    return SessionSigner(node.settings.secret_key, node.settings.session_hours)


def _header_text(value: str) -> str:
    """Headers arrive decoded as Latin-1; clients send UTF-8."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return value


def authenticated_user(
        request: Request, node: NodeDep,
        bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
        session: Annotated[str | None, Depends(_cookie)]) -> User:
    """The user behind the token or the session; 401 otherwise. A token wins over a cookie."""
    if bearer is not None:
        return node.accounts.authenticate_token(_header_text(bearer.credentials))
    if "authorization" in request.headers:
        raise AuthenticationRequired("use 'Authorization: Bearer <token>'")
    if session:
        user_id = _signer(node).user_id(session, node.clock.now())
        if user_id is None:
            raise AuthenticationRequired("the session has ended; log in again")
        return node.accounts.session_user(user_id)
    raise AuthenticationRequired("send an API token or log in")


def current_caller(
        user: Annotated[User, Depends(authenticated_user)],
        justification: Annotated[str, Header(
            alias=JUSTIFICATION_HEADER,
            description="Why you consult personal data (required to read person and "
                        "document records; at least 4 characters, at most 1000).")] = "",
) -> Caller:
    """The caller the services expect: the user and why they are asking."""
    return Caller(user, _header_text(justification))


CallerDep = Annotated[Caller, Depends(current_caller)]

router = APIRouter(prefix="/session", tags=["session"], route_class=StrictJsonRoute)


@router.post(
    "", response_model=UserOut, summary="Log in",
    description="Check a username and password and set the session cookie "
                f"`{COOKIE}` (HttpOnly, SameSite=Strict). Every attempt is audited. The "
                "answer never says whether the username or the password was wrong.",
    responses=problems_for(400, 401, 413, 415, 422))
def log_in(body: SessionCreate, node: NodeDep, response: Response) -> UserOut:
    """Password login for browsers; scripts should use API tokens instead."""
    user = node.accounts.login(body.username, body.password)
    signer = _signer(node)
    response.set_cookie(
        COOKIE, signer.issue(user.id, node.clock.now()),
        max_age=int(signer.lifetime.total_seconds()), path=COOKIE_PATH, httponly=True,
        samesite="strict", secure=node.settings.environment == "production")
    return user_out(user)


@router.delete(
    "", status_code=204, summary="Log out",
    description="Clear the session cookie. Always succeeds, with or without a session.",
    responses=problems_for(400))
def log_out() -> Response:
    """Idempotent, so that a browser can always leave a clean state."""
    response = Response(status_code=204)
    response.delete_cookie(COOKIE, path=COOKIE_PATH, httponly=True, samesite="strict")
    return response
