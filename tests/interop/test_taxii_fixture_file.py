"""Fixture files in the reference server's format: read whole and checked before anything is
served, a bad one refused with the file and the JSON path at fault; the reference server's
own test data (in ../shared) served as written."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from passerelle.errors import ValidationFailed
from passerelle.interop.taxii.fixture import FixtureBackend
from passerelle.interop.taxii.fixture_file import load_fixture
from passerelle.interop.taxii.model import ObjectFilter, Requester

from .taxii_support import (
    BASE_URL,
    OPEN,
    PASSWORD,
    ROOT,
    USER,
    Taxii,
    fixture_document,
    shared_fixture,
    write_fixture,
)

ANYONE = Requester("user:test", "test")
Change = Callable[[dict[str, Any]], None]


def _open(document: dict[str, Any]) -> dict[str, Any]:
    collection: dict[str, Any] = document[ROOT]["collections"][0]
    return collection


def _set(path: tuple[Any, ...], value: Any) -> Change:
    def change(document: dict[str, Any]) -> None:
        target = document
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
    return change


@pytest.mark.parametrize(("change", "field", "message"), [
    (lambda d: d.pop("/discovery"), '["/discovery"]', "discovery resource is missing"),
    (_set(("/discovery", "api_roots", 1), "http://localhost:5000/elsewhere/"),
     '["/discovery"].api_roots[1]', "no member 'elsewhere'"),
    (_set(("/discovery", "default"), "http://localhost:5000/other/"),
     '["/discovery"].default', "must be one of api_roots"),
    (_set((ROOT, "information", "max_content_length"), "big"),
     "intel.information.max_content_length", "non-negative integer"),
    (_set((ROOT, "collections", 1, "can_read"), "yes"),
     "intel.collections[1].can_read", "true or false"),
    (_set((ROOT, "collections", 0, "manifest", 2, "date_added"), "2026-01-15"),
     "intel.collections[0].manifest[2].date_added", "expected a timestamp"),
    (lambda d: _open(d)["manifest"].pop(0),
     "intel.collections[0].objects[0]", "no manifest entry for indicator--"),
    (lambda d: _open(d)["objects"].pop(4),
     "intel.collections[0].manifest[4]", "no object of identity--"),
    (lambda d: _open(d)["objects"][2].update(modified=None, created=None),
     "intel.collections[0].objects[2]", "modified or created"),
    (_set((ROOT, "status", 0, "total_count"), 5),
     "intel.status[0].total_count", "does not equal"),
    (_set((ROOT, "collections", 1, "id"), OPEN),
     "intel.collections[1]", "appears twice"),
    (_set((ROOT, "collections", 0, "objects", 0), ["not", "an", "object"]),
     "intel.collections[0].objects[0]", "expected a JSON object"),
])
def test_a_bad_fixture_names_the_file_and_the_json_path(
        tmp_path: Path, change: Change, field: str, message: str) -> None:
    document = copy.deepcopy(fixture_document())
    change(document)
    path = write_fixture(tmp_path, document)
    with pytest.raises(ValidationFailed) as refused:
        load_fixture(path)
    assert refused.value.field == field
    assert str(path) in refused.value.detail
    assert message in refused.value.detail


def test_a_file_that_is_not_json_is_refused_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"/discovery": ', encoding="utf-8")
    with pytest.raises(ValidationFailed, match="not JSON") as refused:
        load_fixture(path)
    assert str(path) in refused.value.detail


def test_the_reference_data_loads_as_written() -> None:
    data = load_fixture(shared_fixture())
    assert data.discovery.api_roots == ("api1", "api2", "trustgroup1")
    assert data.discovery.default == "trustgroup1"
    trust = data.roots[2]
    assert [(c.info.can_read, c.info.can_write) for c in trust.collections] == [
        (False, True), (True, True), (True, True), (True, False), (False, False)]
    assert sum(len(c.objects) for c in trust.collections) == 8
    # The second status writes total_objects instead of total_count: it is counted.
    assert [(s.total_count, s.success_count, s.pending_count) for s in trust.statuses] == [
        (4, 1, 2), (0, 0, 0)]


def test_the_reference_data_is_served_with_its_own_date_added() -> None:
    backend = FixtureBackend.from_file(shared_fixture())
    page = backend.manifest("trustgroup1", "91a7b528-80eb-42ed-a74d-c6fbd5a26116", ANYONE,
                            ObjectFilter(versions=("all",), spec_versions=frozenset()), 100,
                            None)
    source = load_fixture(shared_fixture()).roots[2].collections[2]
    assert sorted((e.id, e.version, e.date_added, e.media_type) for e in page.items) == sorted(
        (o.meta.object_id, o.meta.version_text, o.meta.date_added, o.media_type)
        for o in source.objects)


def test_the_reference_server_answers_over_taxii() -> None:
    from passerelle.api.taxii import fixture_app

    taxii = Taxii(fixture_app(shared_fixture(), USER, PASSWORD, 3))
    assert taxii.get("/taxii2/").json()["default"] == f"{BASE_URL}/trustgroup1/"
    objects = "/trustgroup1/collections/91a7b528-80eb-42ed-a74d-c6fbd5a26116/objects/"
    pages = taxii.pages(objects, {"match[version]": "all", "match[spec_version]": "2.0,2.1"})
    assert [len(p.json()["objects"]) for p in pages] == [3, 3, 2]
    assert pages[0].headers["x-taxii-date-added-first"] == "2014-05-08T09:00:00.000000Z"
    assert pages[-1].headers["x-taxii-date-added-last"] == "2017-12-31T13:49:53.935000Z"
    denied = taxii.get("/trustgroup1/collections/64993447-4d7e-4f70-b94d-d7f33742ee63/objects/")
    assert denied.status_code == 403
