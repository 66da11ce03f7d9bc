"""Who may call the API at all: API tokens, session cookies, and what ends them."""

from __future__ import annotations

import datetime as dt

import pytest
from api_support import PASSWORD, Api, problem

from passerelle.api.auth import COOKIE, SessionSigner

ME = "/api/v1/me"


def test_health_answers_without_credentials(api: Api) -> None:
    response = api.client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.parametrize("authorization", [
    None, "Bearer psl_not-a-token", "Bearer ", "Basic dXNlcjpwYXNz", "psl_missing-scheme",
    "Bearer psl_é",
])
def test_missing_or_invalid_credentials_are_401_with_a_challenge(
        api: Api, authorization: str | None) -> None:
    headers = {} if authorization is None else {"Authorization": authorization.encode()}
    response = api.client.get(ME, headers=headers)
    problem(response, 401, "authentication_required")
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_a_valid_token_identifies_its_user(api: Api) -> None:
    response = api.client.get(ME, headers=api.headers("auditor"))
    assert response.status_code == 200
    assert response.json()["username"] == "auditor.test"
    assert response.json()["roles"] == ["auditor"]


def test_a_revoked_token_is_refused_at_once(api: Api) -> None:
    created = api.client.post("/api/v1/tokens", headers=api.headers(),
                              json={"name": "short-lived script"})
    assert created.status_code == 201, created.text
    token = created.json()
    own = {"Authorization": f"Bearer {token['secret']}"}
    assert api.client.get(ME, headers=own).status_code == 200
    listed = api.client.get("/api/v1/tokens", headers=api.headers()).json()
    assert token["id"] in [t["id"] for t in listed]
    assert all("secret" not in t for t in listed)

    assert api.client.delete(f"/api/v1/tokens/{token['id']}", headers=own).status_code == 204
    problem(api.client.get(ME, headers=own), 401, "authentication_required")


def test_an_expired_token_is_refused(api: Api) -> None:
    token = api.client.post("/api/v1/tokens", headers=api.headers(),
                            json={"name": "one day", "days": 1}).json()
    api.clock.at += dt.timedelta(days=2)
    problem(api.client.get(ME, headers={"Authorization": f"Bearer {token['secret']}"}),
            401, "authentication_required")


def test_a_user_cannot_revoke_someone_elses_token(api: Api) -> None:
    token = api.client.post("/api/v1/tokens", headers=api.headers("reviewer"),
                            json={"name": "reviewer script"}).json()
    problem(api.client.delete(f"/api/v1/tokens/{token['id']}", headers=api.headers()),
            403, "forbidden")


def test_session_login_sets_a_strict_http_only_cookie_and_logout_clears_it(api: Api) -> None:
    response = api.client.post("/api/v1/session",
                               json={"username": "analyst.test", "password": PASSWORD})
    assert response.status_code == 200, response.text
    assert response.json()["username"] == "analyst.test"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert "Path=/;" in cookie or cookie.endswith("Path=/")
    assert api.client.get(ME).json()["username"] == "analyst.test"

    out = api.client.delete("/api/v1/session")
    assert out.status_code == 204
    assert f'{COOKIE}=""' in out.headers["set-cookie"]
    problem(api.client.get(ME), 401, "authentication_required")


def test_wrong_password_and_unknown_user_get_the_same_answer(api: Api) -> None:
    wrong = api.client.post("/api/v1/session",
                            json={"username": "analyst.test", "password": "not the password"})
    unknown = api.client.post("/api/v1/session",
                              json={"username": "nobody", "password": "not the password"})
    assert problem(wrong, 401, "authentication_required") == problem(
        unknown, 401, "authentication_required")
    assert "set-cookie" not in wrong.headers


def test_a_tampered_or_expired_session_cookie_is_refused(api: Api) -> None:
    signer = SessionSigner("s" * 40, 8)
    user_id = api.client.get(ME, headers=api.headers()).json()["id"]
    good = signer.issue(user_id, api.clock.now())
    api.client.cookies.set(COOKIE, good)
    assert api.client.get(ME).status_code == 200

    forged = SessionSigner("another secret key of forty characters!!", 8).issue(
        user_id, api.clock.now())
    payload, mac = good.split(".")
    for value in (forged, payload + "." + mac[:-2] + "AA", "garbage", ".", good + "x"):
        api.client.cookies.set(COOKIE, value)
        problem(api.client.get(ME), 401, "authentication_required")

    api.client.cookies.set(COOKIE, good)
    api.clock.at += dt.timedelta(hours=9)
    problem(api.client.get(ME), 401, "authentication_required")


def test_disabling_a_user_ends_their_session(api: Api) -> None:
    api.client.post("/api/v1/session", json={"username": "reviewer.test", "password": PASSWORD})
    assert api.client.get(ME).status_code == 200
    disabled = api.client.patch("/api/v1/users/reviewer.test", json={"active": False},
                                headers=api.headers("administrator"))
    assert disabled.status_code == 200, disabled.text
    problem(api.client.get(ME), 401, "authentication_required")


def test_the_justification_header_is_read_as_utf8(api: Api) -> None:
    record = api.create("person")
    api.client.get(f"/api/v1/records/{record['id']}", headers=api.headers())
    entries = api.client.get("/api/v1/audit", headers=api.headers("auditor"),
                             params={"action": "consultation"}).json()["items"]
    assert entries[-1]["justification"].startswith("enquête 2026/117")
