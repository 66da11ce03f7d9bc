"""The OpenAPI document is documentation: complete, truthful, and in step with the domain."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from api_support import Api

from passerelle.api.record_schemas import DETAILS_MODELS, Markings
from passerelle.domain import markings as domain_markings
from passerelle.domain.codec import DETAILS_CLASS, markings_to_dict
from passerelle.errors import ALL_ERRORS

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def schema(api: Api) -> dict[str, Any]:
    response = api.client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def operations(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", operation


def test_every_operation_has_a_summary_a_description_and_tags(schema: dict[str, Any]) -> None:
    bare = [name for name, op in operations(schema)
            if not op.get("summary") or not op.get("description") or not op.get("tags")]
    assert not bare


def test_every_operation_documents_a_4xx_problem(schema: dict[str, Any]) -> None:
    for name, operation in operations(schema):
        errors = {s: r for s, r in operation["responses"].items() if s.startswith("4")}
        assert errors, f"{name} documents no 4xx response"
        for status, response in errors.items():
            content = response["content"]
            assert list(content) == ["application/problem+json"], f"{name} {status}"
            ref = content["application/problem+json"]["schema"]["$ref"]
            assert ref == "#/components/schemas/Problem", f"{name} {status}"


def test_fastapis_own_validation_error_model_is_not_documented(schema: dict[str, Any]) -> None:
    assert "HTTPValidationError" not in str(schema)


def test_every_reference_resolves(schema: dict[str, Any]) -> None:
    def refs(node: object) -> Iterator[str]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "$ref" and isinstance(value, str):
                    yield value
                else:
                    yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)

    components = schema["components"]["schemas"]
    missing = {r for r in refs(schema)
               if r.removeprefix("#/components/schemas/") not in components}
    assert not missing


def test_authenticated_operations_declare_both_ways_in(schema: dict[str, Any]) -> None:
    open_operations = {"GET /api/v1/health", "POST /api/v1/session", "DELETE /api/v1/session",
                       "GET /api/v1/stix/extension-definitions",
                       "GET /api/v1/stix/extension-definitions/{definition_id}",
                       "GET /api/v1/stix/extension-definitions/{definition_id}/schema"}
    for name, operation in operations(schema):
        if name in open_operations:
            continue
        assert operation.get("security") == [{"apiToken": []}, {"session": []}], name


def test_record_wire_models_list_exactly_the_domain_fields() -> None:
    fields = {f.name for f in dataclasses.fields(domain_markings.Markings)}
    assert set(Markings.model_fields) == fields
    for kind, model in DETAILS_MODELS.items():
        assert set(model.model_fields) == {f.name for f in dataclasses.fields(
            DETAILS_CLASS[kind])}, kind


def test_record_wire_defaults_are_the_domain_defaults() -> None:
    documented = {name: field.default for name, field in Markings.model_fields.items()}
    assert documented == markings_to_dict(domain_markings.Markings())
    for kind, model in DETAILS_MODELS.items():
        for field in dataclasses.fields(DETAILS_CLASS[kind]):
            wire = model.model_fields[field.name]
            if field.default is dataclasses.MISSING:
                assert wire.is_required(), f"{kind}.{field.name}"
            else:
                default = field.default
                expected = [] if default == () else getattr(default, "value", default)
                assert wire.default == expected, f"{kind}.{field.name}"


def test_the_documented_examples_are_accepted(api: Api, schema: dict[str, Any]) -> None:
    components = schema["components"]["schemas"]
    example = components["RecordCreate"]["examples"][0]
    created = api.client.post("/api/v1/records", headers=api.headers(), json=example)
    assert created.status_code == 201, created.text
    update = {**components["RecordUpdate"]["examples"][0], "version": 1}
    changed = api.client.put(f"/api/v1/records/{created.json()['id']}", headers=api.headers(),
                             json=update)
    assert changed.status_code == 200, changed.text


def test_every_error_code_is_explained_in_api_md() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
    missing = [e.code for e in ALL_ERRORS if f"| `{e.code}` | {e.status} |" not in text]
    assert not missing
