"""Every refusal of the TAXII endpoints is a TAXII error message in the TAXII media type, with
the status, the stable code and the field at fault: 400, 401, 403, 404, 405, 406, 413, 415,
422 — and a cursor that was tampered with is a 400, never a crash."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from .taxii_support import (
    CLOSED,
    INDICATOR,
    OPEN,
    READ_ONLY,
    ROOT,
    TAXII,
    WRITE_ONLY,
    Taxii,
    indicator,
    objects_url,
    stamp,
    taxii_for,
)


@pytest.fixture
def taxii(tmp_path: Path) -> Taxii:
    return taxii_for(tmp_path)


def assert_error(answer: httpx.Response, status: int, code: str,
                 field: str | None = None) -> dict[str, Any]:
    """The answer is a TAXII error message with this status, code and field."""
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == TAXII
    error = answer.json()
    assert error["http_status"] == str(status)
    assert error["error_code"] == code
    assert error["title"]
    assert error["description"]
    assert error.get("details", {}).get("field") == field
    return error


def envelope(*objects: dict[str, Any]) -> bytes:
    return json.dumps({"objects": list(objects)}).encode()


def post(taxii: Taxii, content: bytes, collection: str = OPEN, **kwargs: Any) -> httpx.Response:
    headers = {"Content-Type": TAXII, **kwargs.pop("headers", {})}
    return taxii.request("POST", objects_url(collection), content=content, headers=headers,
                         **kwargs)


@pytest.mark.parametrize("auth", [None, ("analyst.fr", "wrong password"), ("someone", "x")])
def test_without_the_right_credentials_every_endpoint_is_a_401_with_a_challenge(
        taxii: Taxii, auth: tuple[str, str] | None) -> None:
    for path in ("/taxii2/", f"/{ROOT}/", objects_url(), f"/{ROOT}/collections/nowhere/"):
        answer = taxii.get(path, auth=auth)
        assert_error(answer, 401, "authentication_required")
        assert answer.headers["www-authenticate"].startswith('Basic realm="passerelle-taxii"')


def test_a_malformed_authorization_header_is_a_401(taxii: Taxii) -> None:
    for value in ("Basic !!!", "Basic " + base64.b64encode(b"no-colon").decode(), "Bearer x"):
        answer = taxii.get("/taxii2/", auth=None, headers={"Authorization": value})
        assert_error(answer, 401, "authentication_required")


@pytest.mark.parametrize("accept", ["application/json", "application/taxii+json;version=2.0",
                                    "application/stix+json;version=2.1",
                                    "application/taxii+json;version=2.1;q=0, */*;q=1",
                                    "*/*;q=0"])
def test_an_accept_that_excludes_taxii_21_json_is_a_406(taxii: Taxii, accept: str) -> None:
    assert_error(taxii.get(objects_url(), headers={"Accept": accept}), 406,
                 "not_acceptable", "Accept")


@pytest.mark.parametrize("content_type", ["application/json", "application/stix+json",
                                          "application/taxii+json;version=2.0", "text/plain"])
def test_a_body_not_declared_as_taxii_json_is_a_415(taxii: Taxii, content_type: str) -> None:
    answer = post(taxii, envelope(), headers={"Content-Type": content_type})
    assert_error(answer, 415, "unsupported_media_type", "Content-Type")


def test_a_declared_body_over_the_api_roots_limit_is_a_413(taxii: Taxii) -> None:
    big = indicator(INDICATOR, stamp("2026-05-01"), "198.51.100.9") | {"x_pad": "a" * 5000}
    assert_error(post(taxii, envelope(big)), 413, "payload_too_large", "body")


def test_a_chunked_body_over_the_limit_is_cut_off_with_a_413(taxii: Taxii) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"objects": ['
        for _ in range(100):
            yield b'"' + b"a" * 100 + b'",'
        yield b'"end"]}'

    answer = taxii.request("POST", objects_url(), content=chunks(),
                           headers={"Content-Type": TAXII})
    assert "content-length" not in answer.request.headers
    assert_error(answer, 413, "payload_too_large", "body")


def test_a_body_that_is_not_json_is_a_400(taxii: Taxii) -> None:
    assert_error(post(taxii, b'{"objects": [}'), 400, "bad_request", "body")
    assert_error(post(taxii, b'{"objects": ["\\ud800"]}'), 400, "bad_request", "body")


@pytest.mark.parametrize(("body", "field"), [
    (b"[]", "body"),
    (b"{}", "objects"),
    (b'{"objects": {}}', "objects"),
    (b'{"objects": [{"type": "indicator"}]}', "objects[0].id"),
    (b'{"objects": [{"id": "indicator--6b1c7c3e-1f6d-4c8e-9a55-0c4b7a1e2d01",'
     b' "type": "indicator"}, 3]}', "objects[1]"),
])
def test_a_body_that_is_not_an_envelope_is_a_422_naming_the_field(
        taxii: Taxii, body: bytes, field: str) -> None:
    assert_error(post(taxii, body), 422, "validation_failed", field)


def test_reading_a_collection_without_can_read_is_a_403(taxii: Taxii) -> None:
    for collection in (WRITE_ONLY, CLOSED):
        for suffix in ("objects/", "manifest/", f"objects/{INDICATOR}/",
                       f"objects/{INDICATOR}/versions/"):
            answer = taxii.get(f"/{ROOT}/collections/{collection}/{suffix}")
            assert_error(answer, 403, "forbidden", "collection_id")


def test_writing_or_deleting_without_can_write_is_a_403(taxii: Taxii) -> None:
    obj = indicator(INDICATOR, stamp("2026-05-01"), "198.51.100.9")
    assert_error(post(taxii, envelope(obj), READ_ONLY), 403, "forbidden", "collection_id")
    answer = taxii.request("DELETE", objects_url(READ_ONLY) + f"{INDICATOR}/")
    assert_error(answer, 403, "forbidden", "collection_id")


def test_deleting_from_a_write_only_collection_is_a_403(taxii: Taxii) -> None:
    answer = taxii.request("DELETE", objects_url(WRITE_ONLY) + f"{INDICATOR}/")
    assert_error(answer, 403, "forbidden", "collection_id")


@pytest.mark.parametrize(("path", "field"), [
    ("/nowhere/", "api_root"),
    ("/nowhere/collections/", "api_root"),
    (f"/{ROOT}/collections/no-such-collection/", "collection_id"),
    (f"/{ROOT}/collections/no-such-collection/objects/", "collection_id"),
    (objects_url() + "indicator--00000000-0000-4000-8000-000000000000/", "object_id"),
    (objects_url() + "indicator--00000000-0000-4000-8000-000000000000/versions/", "object_id"),
    (f"/{ROOT}/status/unknown/", "status_id"),
])
def test_what_does_not_exist_is_a_404(taxii: Taxii, path: str, field: str) -> None:
    assert_error(taxii.get(path), 404, "not_found", field)


def test_an_unknown_path_and_a_wrong_method_are_taxii_errors_too(taxii: Taxii) -> None:
    assert_error(taxii.get(f"/{ROOT}/collections/{OPEN}/elsewhere/x/"), 404, "not_found")
    answer = taxii.request("PUT", objects_url())
    assert_error(answer, 405, "bad_request")
    assert answer.json()["title"] == "Method not allowed"
    assert set(answer.headers["allow"].split(", ")) >= {"GET", "POST"}


@pytest.mark.parametrize(("params", "field"), [
    ({"limit": "0"}, "limit"), ({"limit": "-3"}, "limit"), ({"limit": "ten"}, "limit"),
    ({"limit": "9" * 5000}, None),
    ({"added_after": "yesterday"}, "added_after"),
    ({"added_after": "2026-01-01T00:00:00+01:00"}, "added_after"),
    ({"match[version]": "latest"}, "match[version]"),
    ({"match[version]": "last,"}, "match[version]"),
    ({"match[spec_version]": "two"}, "match[spec_version]"),
    ({"match[type]": ""}, "match[type]"),
])
def test_a_malformed_parameter_is_a_400_naming_it(taxii: Taxii, params: dict[str, str],
                                                  field: str | None) -> None:
    answer = taxii.get(objects_url(), params=params)
    if field is None:  # a huge limit is a valid positive integer: capped, not refused
        assert answer.status_code == 200
    else:
        assert_error(answer, 400, "bad_request", field)


def test_a_parameter_given_twice_where_one_value_is_meant_is_a_400(taxii: Taxii) -> None:
    answer = taxii.get(objects_url() + "?limit=1&limit=2")
    assert_error(answer, 400, "bad_request", "limit")


def _first_next(taxii: Taxii, **params: str) -> str:
    answer = taxii.get(objects_url(), params={"limit": "1", **params})
    cursor: str = answer.json()["next"]
    return cursor


def _flip(cursor: str, index: int) -> str:
    raw = bytearray(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    raw[index] ^= 0x01
    return base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()


@pytest.mark.parametrize("index", [0, 5, 14, 20, -20, -1])
def test_a_tampered_cursor_is_a_400_never_a_crash(taxii: Taxii, index: int) -> None:
    cursor = _first_next(taxii)
    answer = taxii.get(objects_url(), params={"limit": "1", "next": _flip(cursor, index)})
    assert_error(answer, 400, "bad_request", "next")


@pytest.mark.parametrize("cursor", ["garbage", "!!!!", "A" * 3000, "é", "AAAA" * 20])
def test_something_that_is_not_a_cursor_is_a_400(taxii: Taxii, cursor: str) -> None:
    assert_error(taxii.get(objects_url(), params={"next": cursor}), 400, "bad_request", "next")


def test_a_cursor_is_refused_with_other_filters_or_elsewhere(taxii: Taxii,
                                                             tmp_path: Path) -> None:
    cursor = _first_next(taxii)
    for path, params in ((objects_url(), {"match[version]": "all"}),
                         (f"/{ROOT}/collections/{OPEN}/manifest/", {}),
                         (objects_url(READ_ONLY), {})):
        answer = taxii.get(path, params={**params, "next": cursor})
        assert_error(answer, 400, "bad_request", "next")
    other_server = taxii_for(tmp_path / "..")  # another key: its cursors are not ours
    assert_error(other_server.get(objects_url(), params={"next": cursor}), 400,
                 "bad_request", "next")


def test_a_cursor_works_for_the_same_query_with_another_limit(taxii: Taxii) -> None:
    cursor = _first_next(taxii)
    answer = taxii.get(objects_url(), params={"limit": "5", "next": cursor})
    assert answer.status_code == 200
    assert len(answer.json()["objects"]) == 2
