"""Bad input is a problem naming what is wrong — never a 500, never a partial write."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from api_support import Api, details_of, problem

RECORDS = "/api/v1/records"


def count_records(api: Api) -> int:
    body = api.client.get(RECORDS, headers=api.headers(), params={"limit": 50}).json()
    return len(body["items"])


def test_a_body_over_the_limit_is_413_before_it_is_read(api: Api) -> None:
    body = b'{"kind": "organisation", "details": {"name": "' + b"x" * 70_000 + b'"}}'
    response = api.client.post(RECORDS, headers={**api.headers(),
                                                 "Content-Type": "application/json"},
                               content=body)
    problem(response, 413, "payload_too_large", "body")
    assert count_records(api) == 0


def test_a_chunked_body_over_the_limit_is_413_without_content_length(api: Api) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"kind": "organisation", "details": {"name": "'
        for _ in range(20):
            yield b"y" * 4096
        yield b'"}}'

    response = api.client.post(RECORDS, headers={**api.headers(),
                                                 "Content-Type": "application/json"},
                               content=chunks())
    assert "content-length" not in response.request.headers
    problem(response, 413, "payload_too_large", "body")
    assert count_records(api) == 0


def test_a_chunked_body_under_the_limit_is_accepted(api: Api) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"kind": "organisation", '
        yield b'"details": {"name": "Chunked"}}'

    response = api.client.post(RECORDS, headers={**api.headers(),
                                                 "Content-Type": "application/json"},
                               content=chunks())
    assert response.status_code == 201, response.text


@pytest.mark.parametrize("content_type", [
    "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
    "application/xml", None])
def test_a_body_that_is_not_json_is_415(api: Api, content_type: str | None) -> None:
    headers = api.headers()
    if content_type:
        headers["Content-Type"] = content_type
    response = api.client.post(RECORDS, headers=headers,
                               content=b'{"kind": "organisation", "details": {"name": "x"}}')
    problem(response, 415, "unsupported_media_type", "Content-Type")


def test_json_with_charset_and_structured_suffixes_are_json(api: Api) -> None:
    response = api.client.post(RECORDS, headers={
        **api.headers(), "Content-Type": "application/json; charset=utf-8"},
        content=b'{"kind": "organisation", "details": {"name": "Charset"}}')
    assert response.status_code == 201, response.text


@pytest.mark.parametrize("body", [
    b'{"kind": "organisation", "details": {"name": "tru', b"{", b"[1, 2", b"nul",
    b'{"kind": "organisation"} trailing', b"\xff\xfe{}"])
def test_truncated_or_malformed_json_is_400_naming_the_body(api: Api, body: bytes) -> None:
    response = api.client.post(RECORDS, headers={**api.headers(),
                                                 "Content-Type": "application/json"},
                               content=body)
    problem(response, 400, "bad_request", "body")


def test_a_missing_body_is_422_naming_the_body(api: Api) -> None:
    problem(api.client.post(RECORDS, headers=api.headers()), 422, "validation_failed", "body")


def test_an_unknown_tlp_is_an_invalid_marking_naming_markings_tlp(api: Api) -> None:
    response = api.client.post(RECORDS, headers=api.headers(), json={
        "kind": "person", "markings": {"tlp": "PURPLE"}, "details": details_of("person")})
    body = problem(response, 422, "invalid_marking", "markings.tlp")
    assert "PURPLE" in body["detail"]
    assert count_records(api) == 0


@pytest.mark.parametrize(("markings", "field"), [
    ({"tlp": "RED"}, "markings.recipients"),
    ({"handling_code": "H3"}, "markings.handling_conditions"),
    ({"pap": "GREEN"}, "markings.pap"),
    ({"review_date": "2027-02-30"}, "markings.review_date"),
    ({"colour": "blue"}, "markings.colour"),
    ({"releasable_to": "es"}, "markings.releasable_to"),
])
def test_inconsistent_markings_name_their_field(api: Api, markings: dict[str, object],
                                                field: str) -> None:
    response = api.client.post(RECORDS, headers=api.headers(), json={
        "kind": "organisation", "markings": markings, "details": details_of("organisation")})
    assert problem(response, 422, response.json()["code"], field)["status"] == 422


def test_a_person_without_subject_category_names_details_subject_category(api: Api) -> None:
    details = details_of("person")
    del details["subject_category"]
    response = api.client.post(RECORDS, headers=api.headers(), json={
        "kind": "person", "details": details})
    problem(response, 422, "validation_failed", "details.subject_category")


@pytest.mark.parametrize(("kind", "change", "field"), [
    ("person", {"date_of_birth": "1987-02-30"}, "details.date_of_birth"),
    ("person", {"date_of_birth": "1987-13"}, "details.date_of_birth"),
    ("document", {"expiry_date": "2030-04-31"}, "details.expiry_date"),
    ("event", {"occurred_at": "2026-02-30T10:00:00Z"}, "details.occurred_at"),
])
def test_an_impossible_date_is_invalid_date_naming_the_field(
        api: Api, kind: str, change: dict[str, str], field: str) -> None:
    response = api.client.post(RECORDS, headers=api.headers(), json={
        "kind": kind, "details": {**details_of(kind), **change}})
    problem(response, 422, "invalid_date", field)


@pytest.mark.parametrize(("details", "field"), [
    ({"name": "x", "aliases": ["ok", 7]}, "details.aliases[1]"),
    ({"name": ""}, "details.name"),
    ({"name": "x", "country": "France"}, "details.country"),
    ({"name": "x", "founded": "1999"}, "details.founded"),
    ("a string", "details"),
])
def test_wrong_details_name_the_dotted_path(api: Api, details: object, field: str) -> None:
    response = api.client.post(RECORDS, headers=api.headers(), json={
        "kind": "organisation", "details": details})
    problem(response, 422, "validation_failed", field)


def test_an_unknown_kind_names_kind(api: Api) -> None:
    response = api.client.post(RECORDS, headers=api.headers(), json={
        "kind": "spaceship", "details": {}})
    problem(response, 422, "validation_failed", "kind")


def test_unknown_routes_and_methods_are_problems(api: Api) -> None:
    problem(api.client.get("/api/v1/nothing-here"), 404, "not_found")
    response = api.client.patch(RECORDS, headers=api.headers(), json={})
    problem(response, 405, "bad_request")
    assert response.headers["allow"] == "GET, HEAD, POST"


def test_an_unexpected_exception_is_a_500_problem_without_internals(api: Api) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("SELECT secret FROM internals")

    api.node.accounts.agencies = explode  # type: ignore[method-assign]
    response = api.client.get("/api/v1/agencies", headers=api.headers())
    body = problem(response, 500, "internal")
    assert "SELECT" not in response.text
    assert "incident" in body["detail"]


def test_every_answer_forbids_caching(api: Api) -> None:
    for response in (api.client.get("/api/v1/health"), api.client.get("/api/v1/me")):
        assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(("kind", "change", "field"), [
    ("event", {"occurred_at": "0001-01-01T00:00:00+01:00"}, "details.occurred_at"),
    ("event", {"ended_at": "9999-12-31T23:59:59-01:00"}, "details.ended_at"),
    ("indicator", {"valid_from": "0001-01-01T00:00:00+14:00"}, "details.valid_from"),
])
def test_a_timestamp_beyond_the_calendar_is_invalid_date_not_a_crash(
        api: Api, kind: str, change: dict[str, str], field: str) -> None:
    response = api.client.post(RECORDS, headers=api.headers(), json={
        "kind": kind, "details": {**details_of(kind), **change}})
    problem(response, 422, "invalid_date", field)


@pytest.mark.parametrize("body", [
    b'{"kind": "organisation", "details": {"name": "a\\ud800b"}}',
    b'{"kind": "organisation", "details": {"\\udfff": "x"}}',
    b"[" * 20_000 + b"]" * 20_000,
    b'{"kind": "organisation", "details": {"name": 1' + b"0" * 5000 + b"}}",
])
def test_json_that_is_not_text_or_too_deep_is_400_naming_the_body(api: Api, body: bytes) -> None:
    response = api.client.post(RECORDS, content=body, headers={
        **api.headers(), "Content-Type": "application/json"})
    problem(response, 400, "bad_request", "body")
    assert count_records(api) == 0
