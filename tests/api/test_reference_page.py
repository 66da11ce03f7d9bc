"""The API reference page people are sent to by `passerelle serve --demo`."""

from __future__ import annotations

from api_support import Api


def test_the_home_page_leads_to_the_api_reference(api: Api) -> None:
    response = api.client.get("/", follow_redirects=False)
    assert response.status_code in (302, 307)
    assert response.headers["location"] == "/api/v1/docs"


def test_the_reference_lists_every_operation_without_scripts(api: Api) -> None:
    page = api.client.get("/api/v1/docs")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "<script" not in page.text
    schema = api.client.get("/api/v1/openapi.json").json()
    for path in schema["paths"]:
        assert f"<code>{path}</code>" in page.text
