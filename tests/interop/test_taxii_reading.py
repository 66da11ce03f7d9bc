"""Reading over TAXII 2.1: discovery, API roots, collections, objects, manifests and versions
of a fixture server, through httpx's ASGI transport — filters, defaults and keyset pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from passerelle.interop.taxii.timestamps import parse_timestamp

from .taxii_support import (
    BASE_URL,
    IDENTITY,
    INDICATOR,
    MALWARE,
    OPEN,
    READ_ONLY,
    ROOT,
    STATUS_ID,
    STIX_20,
    TAXII,
    Taxii,
    fixture_document,
    objects_url,
    stamp,
    taxii_for,
    versions_of,
)

A1 = (INDICATOR, stamp("2026-01-01"))
A2 = (INDICATOR, stamp("2026-02-01"))
B21 = (MALWARE, stamp("2026-01-15"))
B20 = (MALWARE, stamp("2026-03-01"))
C = (IDENTITY, stamp("2026-01-20"))


@pytest.fixture
def taxii(tmp_path: Path) -> Taxii:
    return taxii_for(tmp_path)


def test_discovery_names_the_api_roots_at_the_address_the_client_used(taxii: Taxii) -> None:
    answer = taxii.get("/taxii2/")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == TAXII
    assert answer.json() == {"title": "Test TAXII server", "description": "Fictional content",
                             "default": f"{BASE_URL}/{ROOT}/",
                             "api_roots": [f"{BASE_URL}/{ROOT}/", f"{BASE_URL}/empty/"]}


def test_an_api_root_advertises_the_smaller_body_limit(taxii: Taxii) -> None:
    assert taxii.get(f"/{ROOT}/").json() == {
        "title": "Shared intelligence", "versions": [TAXII], "max_content_length": 4096}


def test_collections_carry_the_callers_rights(taxii: Taxii) -> None:
    listed = taxii.get(f"/{ROOT}/collections/").json()["collections"]
    assert [(c["title"], c["can_read"], c["can_write"]) for c in listed] == [
        ("Open", True, True), ("Read only", True, False), ("Write only", False, True),
        ("Closed", False, False)]
    assert taxii.get(f"/{ROOT}/collections/{READ_ONLY}/").json() == listed[1]
    assert "objects" not in listed[0]
    assert "manifest" not in listed[0]


def test_an_api_root_without_collections_lists_none(taxii: Taxii) -> None:
    assert taxii.get("/empty/collections/").json() == {}


def test_a_status_of_the_file_is_served_with_its_outcomes(taxii: Taxii) -> None:
    status = taxii.get(f"/{ROOT}/status/{STATUS_ID}/").json()
    assert status["status"] == "pending"
    assert (status["total_count"], status["success_count"], status["pending_count"]) == (2, 1, 1)
    assert status["pendings"] == [{"id": IDENTITY, "version": stamp("2026-01-20")}]
    assert status["request_timestamp"] == "2026-02-02T00:00:01.000000Z"


def test_objects_default_to_the_last_version_in_the_latest_stix_version(taxii: Taxii) -> None:
    answer = taxii.get(objects_url())
    # Ordered by date_added; the identity and the indicator's second version share one, and
    # the 2.0 malware is newer but STIX 2.1 is the latest version that object exists in.
    assert versions_of(answer) == [B21, C, A2]
    assert answer.json()["more"] is False
    assert "next" not in answer.json()
    assert answer.headers["x-taxii-date-added-first"] == "2026-01-15T00:00:01.000000Z"
    assert answer.headers["x-taxii-date-added-last"] == "2026-02-01T00:00:01.000000Z"


@pytest.mark.parametrize(("params", "expected"), [
    ({"match[version]": "all", "match[spec_version]": "2.0,2.1"}, [A1, B21, C, A2, B20]),
    ({"match[version]": "first"}, [A1, B21, C]),
    ({"match[spec_version]": "2.0"}, [B20]),
    ({"match[spec_version]": "2.1,2.0"}, [C, A2, B20]),
    ({"match[version]": stamp("2026-01-01") + "," + stamp("2026-01-15")}, [A1, B21]),
    ({"match[type]": "indicator,identity"}, [C, A2]),
    ({"match[id]": MALWARE, "match[version]": "all"}, [B21]),
    # added_after is strict and comes first: the 2.1 malware was added at that very instant,
    # so only its 2.0 version is left, and it is then the latest STIX version left.
    ({"added_after": "2026-01-15T00:00:01Z"}, [C, A2, B20]),
    ({"added_after": "2026-03-01T00:00:01.000000Z"}, []),
])
def test_filters_select_versions(taxii: Taxii, params: dict[str, str],
                                 expected: list[tuple[str, str]]) -> None:
    assert versions_of(taxii.get(objects_url(), params=params)) == expected


def test_a_repeated_filter_means_any_of_its_values(taxii: Taxii) -> None:
    answer = taxii.get(objects_url() + "?match[type]=indicator&match[type]=identity")
    assert versions_of(answer) == [C, A2]


def test_parameters_an_endpoint_does_not_define_are_ignored(taxii: Taxii) -> None:
    answer = taxii.get(objects_url(), params={"match[relationship_type]": "uses", "x": "1"})
    assert versions_of(answer) == [B21, C, A2]


def test_an_empty_result_is_an_envelope_saying_no_more(taxii: Taxii) -> None:
    answer = taxii.get(objects_url(), params={"match[type]": "campaign"})
    assert answer.status_code == 200
    assert answer.json() == {"more": False}
    assert "x-taxii-date-added-first" not in answer.headers


def test_the_servers_page_size_caps_the_clients_limit(tmp_path: Path) -> None:
    answer = taxii_for(tmp_path, page_size=2).get(objects_url(), params={"limit": "1000"})
    assert versions_of(answer) == [B21, C]
    assert answer.json()["more"] is True


def test_pages_chain_through_next_without_loss_or_repetition(taxii: Taxii) -> None:
    params = {"match[version]": "all", "match[spec_version]": "2.0,2.1"}
    pages = taxii.pages(objects_url(), {**params, "limit": "2"})
    assert [versions_of(page) for page in pages] == [[A1, B21], [C, A2], [B20]]
    assert [page.json()["more"] for page in pages] == [True, True, False]
    assert "next" not in pages[-1].json()


def test_many_pages_chain_and_each_carries_its_own_date_range(tmp_path: Path) -> None:
    taxii = taxii_for(tmp_path, fixture_document(generated=95))
    params = {"match[type]": "indicator"}
    manifest = taxii.get(f"/{ROOT}/collections/{OPEN}/manifest/", params=params).json()
    dates = [entry["date_added"] for entry in manifest["objects"]]
    pages = taxii.pages(objects_url(), {**params, "limit": "10"})
    seen = [v for page in pages for v in versions_of(page)]
    assert len(pages) == 10
    assert len(seen) == len(set(seen)) == len(dates) == 96
    for number, page in enumerate(pages):
        in_page = dates[number * 10:number * 10 + 10]
        assert page.headers["x-taxii-date-added-first"] == in_page[0]
        assert page.headers["x-taxii-date-added-last"] == in_page[-1]


def test_versions_sharing_a_date_added_are_split_across_pages_exactly(taxii: Taxii) -> None:
    # C and A2 share a date_added: a page boundary between them must lose neither.
    pages = taxii.pages(objects_url(), {"limit": "2"})
    assert [versions_of(p) for p in pages] == [[B21, C], [A2]]
    assert pages[0].headers["x-taxii-date-added-last"] == pages[1].headers[
        "x-taxii-date-added-first"]


def test_the_manifest_describes_exactly_the_selected_versions(taxii: Taxii) -> None:
    params = {"match[version]": "all", "match[spec_version]": "2.0,2.1"}
    manifest = taxii.get(f"/{ROOT}/collections/{OPEN}/manifest/", params=params).json()
    objects = taxii.get(objects_url(), params=params).json()["objects"]
    assert [(e["id"], e["version"]) for e in manifest["objects"]] == [
        (o["id"], o["modified"]) for o in objects]
    malware_20 = manifest["objects"][-1]
    assert malware_20 == {"id": MALWARE, "date_added": "2026-03-01T00:00:01.000000Z",
                          "version": stamp("2026-03-01"), "media_type": STIX_20}
    for entry in manifest["objects"]:
        assert len(entry["date_added"]) == 27
        assert parse_timestamp(entry["date_added"])


def test_the_manifest_pages_with_next_too(taxii: Taxii) -> None:
    pages = taxii.pages(f"/{ROOT}/collections/{OPEN}/manifest/", {"limit": "1"})
    assert [[e["id"] for e in p.json()["objects"]] for p in pages] == [
        [MALWARE], [IDENTITY], [INDICATOR]]


def test_one_object_is_its_last_version_unless_asked_otherwise(taxii: Taxii) -> None:
    url = objects_url() + f"{INDICATOR}/"
    assert versions_of(taxii.get(url)) == [A2]
    assert versions_of(taxii.get(url, params={"match[version]": "all"})) == [A1, A2]
    pages = taxii.pages(url, {"match[version]": "all", "limit": "1"})
    assert [versions_of(p) for p in pages] == [[A1], [A2]]


def test_an_object_filtered_to_nothing_is_an_empty_envelope_not_a_404(taxii: Taxii) -> None:
    answer = taxii.get(objects_url() + f"{INDICATOR}/",
                       params={"added_after": "2026-12-31T00:00:00Z"})
    assert answer.status_code == 200
    assert answer.json() == {"more": False}


def test_versions_lists_every_version_of_the_latest_stix_version(taxii: Taxii) -> None:
    url = objects_url() + f"{MALWARE}/versions/"
    assert taxii.get(url).json() == {"more": False, "versions": [stamp("2026-01-15")]}
    both = taxii.get(url, params={"match[spec_version]": "2.0,2.1"})
    assert both.json()["versions"] == [stamp("2026-01-15"), stamp("2026-03-01")]
    assert both.headers["x-taxii-date-added-last"] == "2026-03-01T00:00:01.000000Z"
    pages = taxii.pages(objects_url() + f"{INDICATOR}/versions/", {"limit": "1"})
    assert [p.json()["versions"] for p in pages] == [[stamp("2026-01-01")],
                                                      [stamp("2026-02-01")]]


@pytest.mark.parametrize("accept", [
    "application/taxii+json", "application/taxii+json;version=2.1", "*/*", "application/*",
    "text/html, application/taxii+json; version=2.1; q=0.5"])
def test_any_accept_that_allows_taxii_21_json_is_served(taxii: Taxii, accept: str) -> None:
    answer = taxii.get("/taxii2/", headers={"Accept": accept})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == TAXII
