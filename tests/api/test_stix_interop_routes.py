"""The node serves Passerelle's extension-definitions, and a partner's bundle goes through the
API and back out with what Passerelle does not model kept as received."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from api_support import Api
from stix2validator import ValidationOptions, validate_instance

from passerelle.interop.stix.extensions import EXTENSIONS, RECORD

SHARED_STIX = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "stix"


def test_extension_definitions_are_served_without_login(api: Api) -> None:
    response = api.client.get("/api/v1/stix/extension-definitions")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/stix+json")
    served = {o["id"] for o in response.json()["objects"]
              if o["type"] == "extension-definition"}
    assert served == {e.id for e in EXTENSIONS}
    assert validate_instance(response.json(), ValidationOptions()).is_valid


def test_one_definition_and_its_schema_are_served(api: Api) -> None:
    one = api.client.get(f"/api/v1/stix/extension-definitions/{RECORD.id}")
    assert one.status_code == 200
    assert one.json()["version"] == RECORD.version
    schema = api.client.get(f"/api/v1/stix/extension-definitions/{RECORD.id}/schema")
    assert schema.json() == RECORD.schema()
    missing = api.client.get("/api/v1/stix/extension-definitions/extension-definition--x")
    assert missing.status_code == 404
    assert missing.json()["field"] == "definition_id"


def test_a_partner_bundle_goes_through_the_api_and_back_with_its_unmodelled_objects(
        api: Api) -> None:
    if not SHARED_STIX.is_dir():
        pytest.skip(f"{SHARED_STIX} is absent")
    original = json.loads((SHARED_STIX / "indicators-for-C2-with-COA.json").read_text())
    response = api.client.post("/api/v1/imports/stix", headers=api.headers(), json=original)
    assert response.status_code == 200, response.text
    assert response.json()["totals"] == {"created": len(original["objects"])}
    malware = next(o for o in original["objects"] if o["type"] == "malware")
    kept = api.client.get(f"/api/v1/records/{malware['id']}", headers=api.headers())
    assert kept.status_code == 200, kept.text
    assert kept.json()["kind"] == "object"
    assert json.loads(kept.json()["details"]["content"]) == malware
    exported = api.client.get("/api/v1/exports/stix", headers=api.headers())
    assert exported.status_code == 200
    ids = {o["id"] for o in exported.json()["objects"]}
    assert {o["id"] for o in original["objects"]} <= ids
    assert validate_instance(exported.json(), ValidationOptions()).is_valid


SHARED_MISP = SHARED_STIX.parent / "misp"


def test_a_misp_event_goes_through_the_api_element_by_element(api: Api) -> None:
    if not SHARED_MISP.is_dir():
        pytest.skip(f"{SHARED_MISP} is absent")
    event = json.loads((SHARED_MISP / "pymisp-proposals.json").read_text())
    response = api.client.post("/api/v1/imports/misp", headers=api.headers(), json=event)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["totals"].get("rejected", 0) == 0
    assert body["results"][-1]["where"] == "Event[0]"  # the event's report comes last
    assert any("proposal" in note for note in body["notes"])


def test_a_broken_misp_attribute_is_reported_and_the_rest_stored(api: Api) -> None:
    event = {"Event": {"info": "Fictional case", "date": "2026-11-30",
                       "uuid": "5a2f4c1e-8b7d-4e3f-9a6b-1c2d3e4f5a6b",
                       "Attribute": [
                           {"type": "ip-dst", "category": "Network activity",
                            "value": "198.51.100.7", "to_ids": True,
                            "uuid": "6b3f5d2e-9c8e-4f4a-8b7c-2d3e4f5a6b7c",
                            "timestamp": "1764460800"},
                           {"type": "domain", "category": "Network activity", "value": 12,
                            "uuid": "7c4a6e3f-ad9f-4a5b-9c8d-3e4f5a6b7c8d",
                            "timestamp": "1764460800"}]}}
    response = api.client.post("/api/v1/imports/misp", headers=api.headers(), json=event)
    assert response.status_code == 200, response.text
    results = {r["where"]: r for r in response.json()["results"]}
    assert results["Event[0].Attribute[0]"]["status"] == "created"
    assert results["Event[0].Attribute[1]"]["status"] == "rejected"
    assert results["Event[0].Attribute[1]"]["field"] == "Event[0].Attribute[1].value"


def test_a_document_that_is_no_misp_event_is_refused_whole(api: Api) -> None:
    response = api.client.post("/api/v1/imports/misp", headers=api.headers(),
                               json={"hello": "world"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_misp"
