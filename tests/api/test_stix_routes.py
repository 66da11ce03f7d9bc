"""STIX over HTTP: bulk import reported object by object, streamed export, round trip."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from api_support import Api, problem

from passerelle.api import routes_imports

IMPORT = "/api/v1/imports/stix"
EXPORT = "/api/v1/exports/stix"
STAMP = "2026-01-05T08:00:00.000Z"


def stix(kind: str, **properties: Any) -> dict[str, Any]:
    return {"type": kind, "spec_version": "2.1", "id": f"{kind}--{uuid.uuid4()}",
            "created": STAMP, "modified": STAMP, **properties}


def indicator(pattern: str = "[ipv4-addr:value = '198.51.100.7']") -> dict[str, Any]:
    return stix("indicator", pattern=pattern, pattern_type="stix", valid_from=STAMP)


def bundle(*objects: dict[str, Any]) -> dict[str, Any]:
    return {"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": list(objects)}


def record_ids(api: Api) -> set[str]:
    body = api.client.get("/api/v1/records", headers=api.headers(), params={"limit": 50}).json()
    return {r["id"] for r in body["items"]}


def test_a_mixed_bundle_stores_the_valid_objects_whole_and_reports_each(api: Api) -> None:
    good_indicator = indicator()
    good_group = stix("identity", name="Groupe Tramontane", identity_class="organization")
    objects = [
        good_indicator,
        indicator("not a pattern"),
        stix("identity", name="Jan Peeters", identity_class="individual"),
        good_group,
        stix("malware", name="x", is_family=False),
        {**indicator(), "object_marking_refs": ["marking-definition--unknown"]},
        good_indicator,  # the same id twice
    ]
    response = api.client.post(IMPORT, headers=api.headers(), json=bundle(*objects))
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [r["index"] for r in results] == list(range(len(objects)))
    # The individual without a data-subject category and the malware are kept as received.
    assert [r["status"] for r in results] == [
        "created", "rejected", "created", "created", "created", "rejected", "rejected"]
    assert results[1]["code"] == "invalid_stix"
    assert results[1]["field"] == "objects[1].pattern"
    assert results[2]["id"] == objects[2]["id"]
    assert results[4]["id"] == objects[4]["id"]
    assert results[5]["field"] == "objects[5].object_marking_refs[0]"
    assert results[6]["code"] == "conflict"
    assert response.json()["totals"] == {"created": 4, "rejected": 3}

    stored = {r["id"] for r in results if r["status"] == "created"}
    assert record_ids(api) == stored
    group = api.client.get(f"/api/v1/records/{results[3]['id']}", headers=api.headers()).json()
    assert group["details"]["name"] == "Groupe Tramontane"
    assert group["owner_agency"] == "fr"


def test_importing_the_same_bundle_again_changes_nothing(api: Api) -> None:
    document = bundle(indicator())
    api.client.post(IMPORT, headers=api.headers(), json=document)
    again = api.client.post(IMPORT, headers=api.headers(), json=document).json()
    assert [r["status"] for r in again["results"]] == ["unchanged"]


def test_the_stix_media_type_is_accepted(api: Api) -> None:
    response = api.client.post(IMPORT, content=json.dumps(bundle(indicator())).encode(),
                               headers={**api.headers(),
                                        "Content-Type": "application/stix+json;version=2.1"})
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(("document", "field"), [
    ({"type": "report", "id": "bundle--x", "objects": []}, "type"),
    ({"type": "bundle", "id": "nope", "objects": []}, "id"),
    ({"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": [1]}, "objects[0]"),
    ({"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "spec_version": "2.0",
      "objects": []}, "spec_version"),
])
def test_something_that_is_not_a_stix_21_bundle_is_422(api: Api, document: dict[str, Any],
                                                        field: str) -> None:
    response = api.client.post(IMPORT, headers=api.headers(), json=document)
    assert problem(response, 422, response.json()["code"], field)["code"] in (
        "invalid_stix", "validation_failed")


def test_an_auditor_may_not_import_and_nothing_is_stored(api: Api) -> None:
    response = api.client.post(IMPORT, headers=api.headers("auditor"), json=bundle(indicator()))
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert record_ids(api) == set()


def test_an_export_round_trips_through_an_import(api: Api,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(routes_imports, "EXPORT_BATCH", 2)  # several batches, shared context
    originals = {kind: api.create(kind) for kind in ("person", "organisation", "indicator")}
    originals["report"] = api.create("report", markings={"tlp": "GREEN"})
    originals["event"] = api.create("event", markings={"tlp": "CLEAR"})
    response = api.client.get(EXPORT, headers=api.headers())
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/stix+json")
    exported = json.loads(response.content)
    assert exported["type"] == "bundle"
    ids = [o["id"] for o in exported["objects"]]
    assert len(ids) == len(set(ids)), "context objects are written once"

    for record in originals.values():
        assert api.client.delete(f"/api/v1/records/{record['id']}",
                                 headers=api.headers()).status_code == 204
    imported = api.client.post(IMPORT, headers=api.headers(), json=exported).json()
    statuses = {r["status"] for r in imported["results"]}
    assert statuses == {"created", "context"}
    for record in originals.values():
        again = api.client.get(f"/api/v1/records/{record['id']}", headers=api.headers())
        assert again.json()["details"] == record["details"]
        assert again.json()["markings"] == record["markings"]


def test_an_empty_export_is_an_empty_bundle(api: Api) -> None:
    response = api.client.get(EXPORT, headers=api.headers(), params={"kind": "report"})
    assert response.status_code == 200
    assert "objects" not in json.loads(response.content)  # STIX forbids empty lists


def test_export_refusals_are_problems_not_broken_streams(api: Api) -> None:
    api.create("person")
    problem(api.client.get(EXPORT, headers=api.headers(justification=None)), 400,
            "justification_required", "justification")
    problem(api.client.get(EXPORT, headers=api.headers("reviewer")), 403, "forbidden")
