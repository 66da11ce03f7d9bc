"""Search over HTTP: names in any script, document numbers, filters, keyset pages."""

from __future__ import annotations

from typing import Any

from api_support import Api, details_of, problem

SEARCH = "/api/v1/records"

PEOPLE = [
    {"given_names": "Youssef", "family_name": "El Amrani",
     "names_original_script": ["يوسف العمراني"]},
    {"given_names": "Samira", "family_name": "Haddad", "names_original_script": ["سميرة حداد"]},
    {"given_names": "Jan", "family_name": "Peeters"},
    {"given_names": "Ana", "family_name": "García Núñez"},
]


def person(**names: Any) -> dict[str, Any]:
    return {"subject_category": "suspect", **names}


def found(api: Api, **params: Any) -> list[dict[str, Any]]:
    response = api.client.get(SEARCH, headers=api.headers(), params=params)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def test_search_finds_people_by_latin_name_ignoring_case_and_accents(api: Api) -> None:
    ids = [api.create("person", details=person(**names))["id"] for names in PEOPLE]
    assert [r["id"] for r in found(api, name="garcia nunez")] == [ids[3]]
    assert [r["id"] for r in found(api, name="HADDAD")] == [ids[1]]


def test_search_finds_people_by_arabic_name_whatever_the_letter_forms(api: Api) -> None:
    ids = [api.create("person", details=person(**names))["id"] for names in PEOPLE]
    assert [r["id"] for r in found(api, name="العمراني")] == [ids[0]]
    # ta marbuta is folded into ha: a name typed either way is the same name
    assert [r["id"] for r in found(api, name="سميره")] == [ids[1]]


def test_search_finds_documents_by_number_ignoring_spaces_and_dashes(api: Api) -> None:
    document = api.create("document")
    api.create("document", details={**details_of("document"), "number": "ZZ999"})
    assert [r["id"] for r in found(api, document_number="ab-123456")] == [document["id"]]


def test_search_filters_by_kind_without_justification_for_non_personal_kinds(
        api: Api) -> None:
    api.create("person")
    organisation = api.create("organisation")
    response = api.client.get(SEARCH, headers=api.headers(justification=None),
                              params={"kind": ["organisation", "event"]})
    assert response.status_code == 200, response.text
    assert [r["id"] for r in response.json()["items"]] == [organisation["id"]]
    problem(api.client.get(SEARCH, headers=api.headers(justification=None)), 400,
            "justification_required", "justification")


def test_pages_cover_every_result_once(api: Api) -> None:
    created = {api.create("organisation", details={"name": f"Groupe {n}"})["id"]
               for n in range(23)}
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params: dict[str, Any] = {"kind": "organisation", "limit": 5}
        if cursor:
            params["cursor"] = cursor
        body = api.client.get(SEARCH, headers=api.headers(), params=params).json()
        assert len(body["items"]) <= 5
        seen += [r["id"] for r in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 23
    assert set(seen) == created
    assert seen == sorted(seen)
    assert pages >= 5


def test_paging_limits_and_cursors_are_checked(api: Api) -> None:
    headers = api.headers()
    problem(api.client.get(SEARCH, headers=headers, params={"limit": 51}), 422,
            "validation_failed", "limit")
    problem(api.client.get(SEARCH, headers=headers, params={"limit": 0}), 422,
            "validation_failed", "limit")
    problem(api.client.get(SEARCH, headers=headers, params={"limit": 10**40}), 422,
            "validation_failed", "limit")
    problem(api.client.get(SEARCH, headers=headers, params={"cursor": "bm90LWFuLWlk"}), 422,
            "validation_failed", "cursor")
    problem(api.client.get(SEARCH, headers=headers, params={"kind": "spaceship"}), 422,
            "validation_failed", "kind[0]")
    problem(api.client.get(SEARCH, headers=headers, params={"name": "a\x00b"}), 422,
            "validation_failed", "name")
    for bad_time in ("2026-13-01", "0.5", "0001-01-01T00:00:00+01:00"):
        problem(api.client.get(SEARCH, headers=headers, params={"time_from": bad_time}), 422,
                "invalid_date", "time_from")


def test_time_filters_bound_event_times(api: Api) -> None:
    early = api.create("event", details={**details_of("event"),
                                         "occurred_at": "2025-06-01T00:00:00Z"})
    late = api.create("event")
    params = {"kind": "event", "time_from": "2026-01-01T00:00:00+01:00"}
    assert [r["id"] for r in found(api, **params)] == [late["id"]]
    assert [r["id"] for r in found(api, kind="event", time_to="2025-12-31T00:00:00")] == [
        early["id"]]
