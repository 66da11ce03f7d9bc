"""A real TAXII client (the OASIS taxii2-client) against a real server on loopback: the
fixture server under uvicorn, read page by page with filters, written to, its status polled."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests
from taxii2client.v21 import ApiRoot, Collection, Server, as_pages
from tests.support import served_on_loopback

from passerelle.api.taxii import fixture_app

from .taxii_support import (
    INDICATOR,
    MALWARE,
    OPEN,
    PASSWORD,
    READ_ONLY,
    ROOT,
    USER,
    fixture_document,
    indicator,
    shared_fixture,
    stamp,
    write_fixture,
)

NEW = "indicator--5d2c9a7e-3f1b-4c8d-a6e0-9b8f7a6c5d4e"


@contextmanager
def serve(path: Path, page_size: int) -> Iterator[str]:
    """Run the fixture server on a free loopback port for the duration; its base URL."""
    with served_on_loopback(fixture_app(path, USER, PASSWORD, page_size)) as base:
        yield base


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = write_fixture(tmp_path_factory.mktemp("taxii"), fixture_document(generated=23))
    with serve(path, page_size=5) as url:
        yield url


def collection(base_url: str, collection_id: str = OPEN) -> Collection:
    return Collection(f"{base_url}/{ROOT}/collections/{collection_id}/", user=USER,
                      password=PASSWORD)


def ids(pages: list[dict[str, Any]]) -> list[str]:
    return [obj["id"] for page in pages for obj in page.get("objects", [])]


def test_the_client_discovers_the_roots_and_the_collections(base_url: str) -> None:
    server = Server(f"{base_url}/taxii2/", user=USER, password=PASSWORD)
    assert server.title == "Test TAXII server"
    assert [root.url for root in server.api_roots] == [f"{base_url}/{ROOT}/",
                                                       f"{base_url}/empty/"]
    assert server.default is not None
    assert server.default.url == f"{base_url}/{ROOT}/"
    root: ApiRoot = server.default
    assert root.max_content_length == 4096
    assert [(c.title, c.can_read, c.can_write) for c in root.collections] == [
        ("Open", True, True), ("Read only", True, False), ("Write only", False, True),
        ("Closed", False, False)]


def test_the_client_pages_through_every_object_following_next(base_url: str) -> None:
    open_collection = collection(base_url)
    whole = ids([open_collection.get_objects(limit=1000)])
    assert len(whole) == 5  # the server's page size caps what the client asked
    pages = list(as_pages(open_collection.get_objects, per_request=5))
    paged = ids(pages)
    assert len(pages) == 6
    assert len(paged) == len(set(paged)) == 26
    assert paged[:5] == whole
    assert all(page["more"] for page in pages[:-1])
    assert not pages[-1]["more"]


def test_the_client_pages_with_filters_and_a_smaller_limit(base_url: str) -> None:
    pages = list(as_pages(collection(base_url).get_objects, per_request=2, type="indicator",
                          added_after="2026-01-15T00:00:00Z"))
    found = ids(pages)
    assert found[0] == INDICATOR
    assert len(found) == 24
    assert all(len(page["objects"]) == 2 for page in pages)


def test_the_client_pages_through_the_manifest(base_url: str) -> None:
    pages = list(as_pages(collection(base_url).get_manifest, per_request=4,
                          version="all", spec_version=["2.0", "2.1"]))
    entries = [entry for page in pages for entry in page["objects"]]
    assert len(entries) == 28
    dates = [entry["date_added"] for entry in entries]
    assert dates == sorted(dates)


def test_the_client_reads_one_object_and_its_versions(base_url: str) -> None:
    open_collection = collection(base_url)
    assert open_collection.get_object(INDICATOR)["objects"][0]["modified"] == stamp(
        "2026-02-01")
    assert open_collection.object_versions(MALWARE, spec_version=["2.0", "2.1"])[
        "versions"] == [stamp("2026-01-15"), stamp("2026-03-01")]


def test_the_client_adds_objects_and_reads_the_status_back(base_url: str) -> None:
    open_collection = collection(base_url)
    envelope = {"objects": [indicator(NEW, stamp("2026-06-01"), "198.51.100.40")]}
    status = open_collection.add_objects(envelope)
    assert status.status == "complete"
    assert (status.total_count, status.success_count, status.failure_count) == (1, 1, 0)
    root = ApiRoot(f"{base_url}/{ROOT}/", user=USER, password=PASSWORD)
    again = root.get_status(status.id)
    assert again.status == "complete"
    assert again.successes == status.successes
    assert open_collection.get_object(NEW)["objects"][0]["id"] == NEW
    open_collection.delete_object(NEW)
    with pytest.raises(requests.HTTPError) as gone:
        open_collection.get_object(NEW)
    assert gone.value.response.status_code == 404


def test_the_client_meets_the_servers_refusals(base_url: str) -> None:
    with pytest.raises(requests.HTTPError) as refused:
        Collection(f"{base_url}/{ROOT}/collections/{OPEN}/", user=USER,
                   password="not the password").get_objects()
    assert refused.value.response.status_code == 401
    assert refused.value.response.json()["error_code"] == "authentication_required"
    forbidden = requests.post(  # taxii2-client itself refuses to write where can_write is false
        f"{base_url}/{ROOT}/collections/{READ_ONLY}/objects/", data=b'{"objects": []}',
        auth=(USER, PASSWORD), timeout=10,
        headers={"Content-Type": "application/taxii+json;version=2.1",
                 "Accept": "application/taxii+json;version=2.1"})
    assert forbidden.status_code == 403
    assert forbidden.json()["error_code"] == "forbidden"


def test_the_client_reads_the_reference_data_page_by_page() -> None:
    with serve(shared_fixture(), page_size=3) as base_url:
        high_value = Collection(
            f"{base_url}/trustgroup1/collections/91a7b528-80eb-42ed-a74d-c6fbd5a26116/",
            user=USER, password=PASSWORD)
        pages = list(as_pages(high_value.get_objects, per_request=3, version="all",
                              spec_version=["2.0", "2.1"]))
        assert [len(page["objects"]) for page in pages] == [3, 3, 2]
        assert len(ids(pages)) == 8
