"""Alerts over HTTP: an alert on a fictional person is created, read, found, exported and
imported through the record routes, and a broken alert is refused naming the field."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from api_support import Api, details_of, problem

RECORDS = "/api/v1/records"


def alert_on(subject: str, **changes: Any) -> dict[str, Any]:
    return {**details_of("alert"), "subject": subject, **changes}


def create_alert(api: Api, details: dict[str, Any]) -> Any:
    return api.client.post(RECORDS, headers=api.headers(), json={
        "kind": "alert", "markings": {"tlp": "AMBER", "handling_code": "H2"},
        "details": details})


def test_an_alert_on_a_person_is_created_and_reads_back_as_written(api: Api) -> None:
    person = api.create("person", details={
        "subject_category": "suspect", "given_names": "Ngozi", "family_name": "Adeyemi-Larsen",
        "nationalities": ["BE"]})
    details = alert_on(person["id"], category="refusal_of_entry", urgency="immediate",
                       grounds="Entry ban issued by a fictional court.")
    created = create_alert(api, details)
    assert created.status_code == 201, created.text
    alert = created.json()
    assert alert["kind"] == "alert"
    assert alert["id"].startswith("alert--")
    assert alert["details"] == {**details, "status": "active"}

    read = api.client.get(f"{RECORDS}/{alert['id']}", headers=api.headers())
    assert read.status_code == 200, read.text
    assert read.json() == alert


def test_defaults_of_an_alert_are_routine_and_active(api: Api) -> None:
    alert = api.create("alert", details=alert_on(f"person--{uuid.uuid4()}"))
    assert (alert["details"]["urgency"], alert["details"]["status"]) == ("routine", "active")
    assert alert["details"]["grounds"] == ""


def test_an_alert_is_withdrawn_by_a_new_version(api: Api) -> None:
    alert = api.create("alert")
    url = f"{RECORDS}/{alert['id']}"
    withdrawn = api.client.put(url, headers=api.headers(), json={
        "version": 1, "markings": alert["markings"],
        "details": {**alert["details"], "status": "withdrawn"}})
    assert withdrawn.status_code == 200, withdrawn.text
    assert api.client.get(url, headers=api.headers()).json()["details"]["status"] == "withdrawn"


def test_searching_alerts_needs_a_justification_and_bounds_their_validity_start(
        api: Api) -> None:
    early = api.create("alert", details=alert_on(f"person--{uuid.uuid4()}",
                                                 valid_from="2025-06-01T00:00:00Z"))
    late = api.create("alert")
    problem(api.client.get(RECORDS, headers=api.headers(justification=None),
                           params={"kind": "alert"}), 400, "justification_required",
            "justification")
    found = api.client.get(RECORDS, headers=api.headers(), params={
        "kind": "alert", "time_from": "2026-01-01T00:00:00Z"})
    assert [r["id"] for r in found.json()["items"]] == [late["id"]]
    assert early["id"] != late["id"]


@pytest.mark.parametrize("category", ["wanted", "DISCREET_CHECK", "", 7, None])
def test_an_unknown_category_is_refused_naming_it(api: Api, category: object) -> None:
    response = create_alert(api, alert_on(f"person--{uuid.uuid4()}", category=category))
    body = problem(response, 422, response.json()["code"], "details.category")
    assert "discreet_check" in body["detail"]  # the choices are listed


def test_an_unknown_category_is_a_validation_failure_not_a_marking_error(api: Api) -> None:
    response = create_alert(api, alert_on(f"person--{uuid.uuid4()}", category="wanted"))
    problem(response, 422, "validation_failed", "details.category")


def test_a_document_to_seize_alert_on_a_person_is_refused_naming_the_subject(api: Api) -> None:
    person = api.create("person")
    response = create_alert(api, alert_on(person["id"], category="document_to_seize"))
    body = problem(response, 422, "validation_failed", "details.subject")
    assert "document" in body["detail"]


def test_a_document_to_seize_alert_on_a_document_is_accepted(api: Api) -> None:
    document = api.create("document")
    response = create_alert(api, alert_on(document["id"], category="document_to_seize"))
    assert response.status_code == 201, response.text


@pytest.mark.parametrize("valid_until", ["2026-02-28T23:59:59Z", "2026-03-01T00:00:00Z"])
def test_an_alert_ending_before_or_as_it_starts_is_refused_naming_the_end(
        api: Api, valid_until: str) -> None:
    response = create_alert(api, alert_on(f"person--{uuid.uuid4()}", valid_until=valid_until))
    problem(response, 422, "validation_failed", "details.valid_until")


@pytest.mark.parametrize(("change", "code", "field"), [
    ({"action": ""}, "validation_failed", "details.action"),
    ({"action": "   "}, "validation_failed", "details.action"),
    ({"subject": "someone"}, "validation_failed", "details.subject"),
    ({"subject": f"organisation--{uuid.uuid4()}"}, "validation_failed", "details.subject"),
    ({"urgency": "asap"}, "validation_failed", "details.urgency"),
    ({"status": "expired"}, "validation_failed", "details.status"),
    ({"valid_from": "2026-02-30T00:00:00Z"}, "invalid_date", "details.valid_from"),
    ({"valid_until": None}, "invalid_date", "details.valid_until"),
    ({"priority": "high"}, "validation_failed", "details.priority"),
])
def test_other_broken_alerts_are_refused_naming_the_field(
        api: Api, change: dict[str, Any], code: str, field: str) -> None:
    response = create_alert(api, {**details_of("alert"), **change})
    problem(response, 422, code, field)


def test_a_refused_alert_writes_nothing(api: Api) -> None:
    create_alert(api, alert_on(f"person--{uuid.uuid4()}", category="wanted"))
    found = api.client.get(RECORDS, headers=api.headers(), params={"kind": "alert"})
    assert found.json()["items"] == []


def test_an_alert_is_exported_as_an_x_passerelle_alert_and_imports_back(api: Api) -> None:
    person = api.create("person")
    alert = api.create("alert", details=alert_on(person["id"]))
    exported = api.client.get("/api/v1/exports/stix", headers=api.headers(),
                              params={"kind": "alert"})
    assert exported.status_code == 200, exported.text
    objects = exported.json()["objects"]
    (obj,) = [o for o in objects if o["type"] == "x-passerelle-alert"]
    assert obj["id"] == alert["id"].replace("alert--", "x-passerelle-alert--")
    assert obj["subject_ref"] == person["id"].replace("person--", "identity--")
    assert obj["action_to_be_taken"] == alert["details"]["action"]

    erased = api.client.delete(f"{RECORDS}/{alert['id']}", headers=api.headers())
    assert erased.status_code == 204
    imported = api.client.post("/api/v1/imports/stix", headers=api.headers(),
                               json=exported.json())
    assert imported.status_code == 200, imported.text
    statuses = [r["status"] for r in imported.json()["results"] if r["id"] == alert["id"]]
    assert statuses == ["created"]


def test_the_openapi_document_describes_alert_details_with_an_accepted_example(
        api: Api) -> None:
    components = api.client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert components["AlertDetails"]["properties"]["category"]["enum"][0] == "discreet_check"
    (example,) = [e for e in components["RecordCreate"]["examples"] if e["kind"] == "alert"]
    created = api.client.post(RECORDS, headers=api.headers(), json=example)
    assert created.status_code == 201, created.text
