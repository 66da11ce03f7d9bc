"""Writing over TAXII 2.1: posting envelopes (202 and a status resource), reading the status
back, server-assigned date_added, and deleting objects."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from passerelle.api.taxii import fixture_app
from passerelle.interop.taxii.timestamps import parse_timestamp

from .taxii_support import (
    INDICATOR,
    MALWARE,
    OPEN,
    PASSWORD,
    ROOT,
    USER,
    WRITE_ONLY,
    Taxii,
    indicator,
    objects_url,
    stamp,
    taxii_for,
    versions_of,
    write_fixture,
)

NEW = "indicator--7a9e3c1d-2b4f-4e6a-8c0d-1e2f3a4b5c6d"


class SteppedClock:
    """A clock stuck at one instant unless moved: posts in the same microsecond."""

    def __init__(self) -> None:
        self.at = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)

    def now(self) -> dt.datetime:
        return self.at


@pytest.fixture
def clock() -> SteppedClock:
    return SteppedClock()


@pytest.fixture
def taxii(tmp_path: Path, clock: SteppedClock) -> Taxii:
    return Taxii(fixture_app(write_fixture(tmp_path), USER, PASSWORD, 100, clock=clock))


def test_posting_an_envelope_answers_202_with_a_complete_status(taxii: Taxii) -> None:
    answer = taxii.post_envelope(objects_url(), [indicator(NEW, stamp("2026-05-01"),
                                                           "198.51.100.20")])
    assert answer.status_code == 202
    assert answer.headers["content-type"] == "application/taxii+json;version=2.1"
    status = answer.json()
    assert status["status"] == "complete"
    assert (status["total_count"], status["success_count"], status["failure_count"],
            status["pending_count"]) == (1, 1, 0, 0)
    assert status["successes"] == [{"id": NEW, "version": stamp("2026-05-01"),
                                    "message": "added"}]
    assert status["request_timestamp"] == "2026-11-22T09:00:00.000000Z"
    assert taxii.get(f"/{ROOT}/status/{status['id']}/").json() == status


def test_a_posted_object_is_served_with_a_date_added_later_than_all_others(
        taxii: Taxii, clock: SteppedClock) -> None:
    clock.at = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)  # behind the file's own date_added
    for address in ("198.51.100.21", "198.51.100.22"):
        oid = NEW[:-1] + address[-1]
        taxii.post_envelope(objects_url(), [indicator(oid, stamp("2026-05-01"), address)])
    manifest = taxii.get(f"/{ROOT}/collections/{OPEN}/manifest/",
                         params={"match[version]": "all", "match[spec_version]": "2.0,2.1"})
    dates = [entry["date_added"] for entry in manifest.json()["objects"]]
    assert dates == sorted(dates)
    assert len(set(dates)) == len(dates) - 1
    assert dates[-2:] == ["2026-03-01T00:00:01.000001Z", "2026-03-01T00:00:01.000002Z"]


def test_posted_objects_are_found_with_added_after_the_last_date_seen(taxii: Taxii) -> None:
    before = taxii.get(objects_url())
    taxii.post_envelope(objects_url(), [indicator(NEW, stamp("2026-05-01"), "198.51.100.30")])
    since = taxii.get(objects_url(), params={
        "added_after": before.headers["x-taxii-date-added-last"]})
    assert (NEW, stamp("2026-05-01")) in versions_of(since)
    added = since.headers["x-taxii-date-added-last"]
    assert parse_timestamp(added) is not None
    assert len(added) == 27


def test_reposting_a_stored_version_is_a_success_that_changes_nothing(taxii: Taxii) -> None:
    obj = indicator(NEW, stamp("2026-05-01"), "198.51.100.31")
    taxii.post_envelope(objects_url(), [obj])
    manifest_before = taxii.get(f"/{ROOT}/collections/{OPEN}/manifest/").json()
    again = taxii.post_envelope(objects_url(), [obj]).json()
    assert again["success_count"] == 1
    assert again["successes"][0]["message"] == "already stored; unchanged"
    assert taxii.get(f"/{ROOT}/collections/{OPEN}/manifest/").json() == manifest_before


def test_objects_that_cannot_be_stored_are_failures_of_the_status(taxii: Taxii) -> None:
    good = indicator(NEW, stamp("2026-05-01"), "198.51.100.32")
    wrong_type = {**indicator(NEW[:-1] + "e", stamp("2026-05-01"), "198.51.100.33"),
                  "type": "malware"}
    bad_id = {**good, "id": "indicator--not-a-uuid"}
    bad_version = {**indicator(NEW[:-1] + "f", "yesterday", "198.51.100.34")}
    status = taxii.post_envelope(objects_url(), [good, wrong_type, bad_id, bad_version]).json()
    assert (status["total_count"], status["success_count"], status["failure_count"]) == (4, 1, 3)
    assert [f["message"] for f in status["failures"]] == [
        "the type does not match the id", "the id is not a STIX identifier (type--UUID)",
        "modified (or created) is not a timestamp"]
    assert [v[0] for v in versions_of(taxii.get(objects_url()))].count(NEW) == 1


def test_a_collection_refuses_a_stix_version_it_does_not_list(taxii: Taxii) -> None:
    stix_20 = {k: v for k, v in indicator(NEW, stamp("2026-05-01"), "198.51.100.35").items()
               if k != "spec_version"} | {"spec_version": "2.0"}
    status = taxii.post_envelope(objects_url(WRITE_ONLY), [stix_20]).json()
    assert status["failures"] == [{
        "id": NEW, "version": stamp("2026-05-01"),
        "message": "this collection does not accept application/stix+json;version=2.0"}]


def test_deleting_an_object_removes_every_version(taxii: Taxii) -> None:
    url = objects_url() + f"{INDICATOR}/"
    answer = taxii.request("DELETE", url)
    assert answer.status_code == 200
    assert answer.content == b""
    assert taxii.get(url).status_code == 404
    assert taxii.get(url + "versions/").status_code == 404
    assert INDICATOR not in [e["id"] for e in taxii.get(
        f"/{ROOT}/collections/{OPEN}/manifest/").json()["objects"]]
    assert taxii.request("DELETE", url).status_code == 404


def test_deleting_with_a_version_filter_removes_only_those_versions(taxii: Taxii) -> None:
    url = objects_url() + f"{INDICATOR}/"
    assert taxii.request("DELETE", url, params={"match[version]": "first"}).status_code == 200
    assert taxii.get(url + "versions/").json()["versions"] == [stamp("2026-02-01")]
    assert taxii.request("DELETE", objects_url() + f"{MALWARE}/",
                         params={"match[spec_version]": "2.0"}).status_code == 200
    assert taxii.get(objects_url() + f"{MALWARE}/versions/", params={
        "match[spec_version]": "2.0,2.1"}).json()["versions"] == [stamp("2026-01-15")]


def test_an_unknown_status_is_a_404(tmp_path: Path) -> None:
    answer = taxii_for(tmp_path).get(f"/{ROOT}/status/00000000-0000-4000-8000-000000000000/")
    assert answer.status_code == 404
    assert answer.json()["error_code"] == "not_found"
