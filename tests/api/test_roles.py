"""Roles are separate duties, and the API enforces them through the services."""

from __future__ import annotations

import pytest
from api_support import PASSWORD, Api, details_of, problem


@pytest.mark.parametrize("role", ["auditor", "administrator"])
def test_auditors_and_administrators_cannot_read_records(api: Api, role: str) -> None:
    record = api.create("organisation")
    problem(api.client.get(f"/api/v1/records/{record['id']}", headers=api.headers(role)),
            403, "forbidden")
    problem(api.client.get("/api/v1/records", headers=api.headers(role)), 403, "forbidden")


@pytest.mark.parametrize("role", ["auditor", "reviewer", "releaser", "administrator"])
def test_only_analysts_create_records(api: Api, role: str) -> None:
    response = api.client.post("/api/v1/records", headers=api.headers(role), json={
        "kind": "organisation", "details": details_of("organisation")})
    problem(response, 403, "forbidden")


@pytest.mark.parametrize("role", ["analyst", "reviewer", "administrator"])
def test_only_auditors_read_the_audit_log(api: Api, role: str) -> None:
    for path in ("/api/v1/audit", "/api/v1/audit/export", "/api/v1/audit/verify"):
        problem(api.client.get(path, headers=api.headers(role)), 403, "forbidden")


@pytest.mark.parametrize("role", ["analyst", "auditor", "reviewer"])
def test_only_administrators_manage_users(api: Api, role: str) -> None:
    headers = api.headers(role)
    problem(api.client.get("/api/v1/users", headers=headers), 403, "forbidden")
    problem(api.client.post("/api/v1/users", headers=headers, json={
        "username": "intruder", "roles": ["administrator"], "password": PASSWORD}),
        403, "forbidden")
    problem(api.client.patch("/api/v1/users/analyst.test", headers=headers,
                             json={"roles": ["administrator"]}), 403, "forbidden")


def test_an_administrator_creates_lists_and_changes_users(api: Api) -> None:
    admin = api.headers("administrator")
    created = api.client.post("/api/v1/users", headers=admin, json={
        "username": "analyst.haddad", "roles": ["analyst"], "password": PASSWORD,
        "display_name": "Leïla Haddad", "compartments": ["op-sirocco"]})
    assert created.status_code == 201, created.text
    assert created.json()["compartments"] == ["op-sirocco"]
    assert "password" not in created.json()
    names = [u["username"] for u in api.client.get("/api/v1/users", headers=admin).json()]
    assert "analyst.haddad" in names

    changed = api.client.patch("/api/v1/users/analyst.haddad", headers=admin,
                               json={"roles": ["analyst", "reviewer"],
                                     "password": "another long passphrase"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["roles"] == ["analyst", "reviewer"]
    login = api.client.post("/api/v1/session", json={"username": "analyst.haddad",
                                                      "password": "another long passphrase"})
    assert login.status_code == 200


def test_user_management_errors_name_the_field(api: Api) -> None:
    admin = api.headers("administrator")
    problem(api.client.post("/api/v1/users", headers=admin, json={
        "username": "analyst.test", "roles": ["analyst"]}), 409, "conflict", "username")
    problem(api.client.post("/api/v1/users", headers=admin, json={
        "username": "Not Valid", "roles": ["analyst"]}), 422, "validation_failed", "username")
    problem(api.client.post("/api/v1/users", headers=admin, json={
        "username": "short.pass", "roles": ["analyst"], "password": "short"}),
        422, "validation_failed", "password")
    problem(api.client.post("/api/v1/users", headers=admin, json={
        "username": "bad.role", "roles": ["superuser"]}), 422, "validation_failed", "roles[0]")
    problem(api.client.patch("/api/v1/users/nobody.here", headers=admin,
                             json={"active": False}), 404, "not_found", "username")


def test_everyone_may_list_the_partner_agencies(api: Api) -> None:
    agencies = api.client.get("/api/v1/agencies", headers=api.headers("auditor")).json()
    assert [a["id"] for a in agencies] == ["be", "es", "fr", "ma"]
    assert [a["eu_member"] for a in agencies if a["id"] == "ma"] == [False]
