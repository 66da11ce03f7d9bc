"""Records over HTTP: the life of every kind, justification, versions, compartments, review."""

from __future__ import annotations

import datetime as dt

import pytest
from api_support import Api, add_user, details_of, problem

from passerelle.domain.users import Role

KINDS = ("person", "document", "organisation", "event", "report", "indicator", "relationship",
         "alert")
PERSONAL = ("person", "document", "alert")


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_is_created_read_changed_and_erased(api: Api, kind: str) -> None:
    created = api.client.post("/api/v1/records", headers=api.headers(), json={
        "kind": kind, "markings": {"tlp": "GREEN"}, "details": details_of(kind)})
    assert created.status_code == 201, created.text
    record = created.json()
    assert record["kind"] == kind
    assert record["version"] == 1
    assert created.headers["location"].endswith(f"/api/v1/records/{record['id']}")

    url = f"/api/v1/records/{record['id']}"
    assert api.client.get(url, headers=api.headers()).json() == record

    changed = api.client.put(url, headers=api.headers(), json={
        "version": 1, "markings": {"tlp": "AMBER"}, "details": record["details"]})
    assert changed.status_code == 200, changed.text
    assert changed.json()["version"] == 2
    assert changed.json()["markings"]["tlp"] == "AMBER"

    history = api.client.get(f"{url}/history", headers=api.headers()).json()["items"]
    assert [v["version"] for v in history] == [1, 2]
    assert [v["markings"]["tlp"] for v in history] == ["GREEN", "AMBER"]

    erased = api.client.delete(url, headers=api.headers())
    assert erased.status_code == 204
    problem(api.client.get(url, headers=api.headers()), 404, "not_found")


@pytest.mark.parametrize("kind", PERSONAL)
def test_reading_personal_data_without_justification_is_refused(api: Api, kind: str) -> None:
    record = api.create(kind)
    url = f"/api/v1/records/{record['id']}"
    for path in (url, f"{url}/history"):
        response = api.client.get(path, headers=api.headers(justification=None))
        problem(response, 400, "justification_required", "justification")
    short = api.client.get(url, headers=api.headers(justification="x"))
    problem(short, 400, "justification_required", "justification")


def test_reading_an_organisation_needs_no_justification(api: Api) -> None:
    record = api.create("organisation")
    response = api.client.get(f"/api/v1/records/{record['id']}",
                              headers=api.headers(justification=None))
    assert response.status_code == 200


def test_erasure_without_justification_is_refused_and_keeps_the_record(api: Api) -> None:
    record = api.create("organisation")
    url = f"/api/v1/records/{record['id']}"
    problem(api.client.delete(url, headers=api.headers(justification=None)), 400,
            "justification_required", "justification")
    assert api.client.get(url, headers=api.headers()).status_code == 200


def test_a_stale_version_is_a_conflict_and_writes_nothing(api: Api) -> None:
    record = api.create("organisation")
    url = f"/api/v1/records/{record['id']}"
    body = {"version": 1, "markings": {}, "details": {"name": "Réseau Atlas (renamed)"}}
    assert api.client.put(url, headers=api.headers(), json=body).status_code == 200
    stale = api.client.put(url, headers=api.headers(), json={**body, "details": {"name": "X"}})
    problem(stale, 409, "version_conflict", "version")
    assert api.client.get(url, headers=api.headers()).json()["details"]["name"] == (
        "Réseau Atlas (renamed)")


def test_a_record_cannot_change_kind(api: Api) -> None:
    record = api.create("organisation")
    response = api.client.put(f"/api/v1/records/{record['id']}", headers=api.headers(), json={
        "version": 1, "kind": "person", "details": details_of("person")})
    problem(response, 422, "validation_failed", "kind")


def test_a_compartmented_record_is_not_found_for_non_members(api: Api) -> None:
    member = {"Authorization": "Bearer " + add_user(
        api.node, "analyst.sirocco", {Role.ANALYST}, frozenset({"op-sirocco"}))}
    created = api.client.post("/api/v1/records", headers=member, json={
        "kind": "organisation", "markings": {"compartment": "op-sirocco"},
        "details": {"name": "Cellule Sirocco"}})
    assert created.status_code == 201, created.text
    url = f"/api/v1/records/{created.json()['id']}"
    assert api.client.get(url, headers=member).status_code == 200

    hidden = problem(api.client.get(url, headers=api.headers()), 404, "not_found")
    unknown = problem(api.client.get(
        "/api/v1/records/organisation--00000000-0000-4000-8000-000000000000",
        headers=api.headers()), 404, "not_found")
    assert hidden.keys() == unknown.keys()
    assert hidden["title"] == unknown["title"]
    for path in (f"{url}/history", url):
        problem(api.client.put(url, headers=api.headers(), json={
            "version": 1, "details": {"name": "x"}}), 404, "not_found")
        problem(api.client.get(path, headers=api.headers()), 404, "not_found")
    found = api.client.get("/api/v1/records", headers=api.headers(),
                           params={"name": "Sirocco"}).json()
    assert found["items"] == []


def test_a_reviewer_sets_the_next_review_and_unblocks_an_overdue_record(api: Api) -> None:
    record = api.create("person")
    url = f"/api/v1/records/{record['id']}"
    api.clock.at += dt.timedelta(days=400)  # past the default review date
    problem(api.client.get(url, headers=api.headers()), 403, "review_overdue")
    next_review = (api.clock.at.date() + dt.timedelta(days=180)).isoformat()
    reviewed = api.client.post(f"{url}/review", headers=api.headers("reviewer"),
                               json={"review_date": next_review})
    assert reviewed.status_code == 200, reviewed.text
    assert reviewed.json()["markings"]["review_date"] == next_review
    assert api.client.get(url, headers=api.headers()).status_code == 200


def test_a_review_date_in_the_past_or_malformed_is_refused(api: Api) -> None:
    record = api.create("person")
    url = f"/api/v1/records/{record['id']}/review"
    problem(api.client.post(url, headers=api.headers("reviewer"),
                            json={"review_date": "2020-01-01"}), 422, "validation_failed",
            "review_date")
    problem(api.client.post(url, headers=api.headers("reviewer"),
                            json={"review_date": "2027-02-30"}), 422, "invalid_date",
            "review_date")


def test_a_malformed_record_id_is_a_validation_error(api: Api) -> None:
    response = api.client.get("/api/v1/records/not-an-id", headers=api.headers())
    problem(response, 422, "validation_failed", "record_id")


def test_creating_a_record_in_a_compartment_one_is_not_in_is_forbidden(api: Api) -> None:
    response = api.client.post("/api/v1/records", headers=api.headers(), json={
        "kind": "organisation", "markings": {"compartment": "op-sirocco"},
        "details": details_of("organisation")})
    assert "op-sirocco" in problem(response, 403, "forbidden")["detail"]
