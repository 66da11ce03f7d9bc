"""The API reference page, linked from the web pages."""

from __future__ import annotations

from api_support import Api


def test_the_reference_lists_every_operation_without_scripts(api: Api) -> None:
    page = api.client.get("/api/v1/docs")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "<script" not in page.text
    schema = api.client.get("/api/v1/openapi.json").json()
    for path in schema["paths"]:
        assert f"<code>{path}</code>" in page.text
