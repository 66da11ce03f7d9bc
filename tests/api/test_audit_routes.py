"""The audit log over HTTP: what was done is found, exported and verified; nothing edits it."""

from __future__ import annotations

import json

import pytest
from api_support import Api, problem

AUDIT = "/api/v1/audit"


def test_a_consultation_is_found_with_its_justification(api: Api) -> None:
    record = api.create("person")
    api.client.get(f"/api/v1/records/{record['id']}", headers=api.headers())
    response = api.client.get(AUDIT, headers=api.headers("auditor"),
                              params={"record_id": record["id"]})
    assert response.status_code == 200, response.text
    actions = [e["action"] for e in response.json()["items"]]
    assert actions == ["collection", "consultation"]
    consultation = response.json()["items"][1]
    assert consultation["justification"].startswith("enquête")
    assert consultation["at"].endswith("Z")


def test_audit_pages_continue_after_the_cursor(api: Api) -> None:
    for _ in range(5):
        api.create("organisation")
    seen: list[int] = []
    after = 0
    while True:
        body = api.client.get(AUDIT, headers=api.headers("auditor"),
                              params={"action": "collection", "limit": 2,
                                      "after": after}).json()
        seen += [e["seq"] for e in body["items"]]
        if body["next_cursor"] is None:
            break
        after = int(body["next_cursor"])
    assert len(seen) == len(set(seen)) == 5
    assert seen == sorted(seen)


def test_audit_filters_are_checked(api: Api) -> None:
    headers = api.headers("auditor")
    problem(api.client.get(AUDIT, headers=headers, params={"action": "delete"}), 422,
            "validation_failed", "action")
    problem(api.client.get(AUDIT, headers=headers, params={"after": -1}), 422,
            "validation_failed", "after")
    problem(api.client.get(AUDIT, headers=headers, params={"after": 2**64}), 422,
            "validation_failed", "after")
    problem(api.client.get(AUDIT, headers=headers, params={"actor": "x\ny"}), 422,
            "validation_failed", "actor")


def test_the_export_streams_every_entry_as_ndjson_and_is_itself_logged(api: Api) -> None:
    api.create("organisation")
    response = api.client.get(f"{AUDIT}/export", headers=api.headers("auditor"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert [e["seq"] for e in lines] == list(range(1, len(lines) + 1))
    assert lines[-1]["action"] == "export"


def test_the_chain_verifies(api: Api) -> None:
    api.create("organisation")
    report = api.client.get(f"{AUDIT}/verify", headers=api.headers("auditor")).json()
    assert report["ok"] is True
    assert report["broken_seq"] is None
    assert report["checked"] > 1


@pytest.mark.parametrize("method", ["put", "patch", "delete", "post"])
def test_no_route_edits_or_deletes_audit_entries(api: Api, method: str) -> None:
    for path in (AUDIT, f"{AUDIT}/1"):
        response = api.client.request(method.upper(), path, headers=api.headers("auditor"),
                                      json={})
        assert response.status_code in (404, 405)
    paths = api.client.get("/api/v1/openapi.json").json()["paths"]
    audit_methods = {m for p, item in paths.items() if p.startswith(AUDIT) for m in item}
    assert audit_methods == {"get"}
