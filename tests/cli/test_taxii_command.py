"""``passerelle taxii serve-fixture``: checks the file, then hands uvicorn a TAXII server over
it with the account and page size given; needs no database or settings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.interop.taxii_support import (
    OPEN,
    PASSWORD,
    ROOT,
    USER,
    Taxii,
    fixture_document,
    objects_url,
    write_fixture,
)
from typer.testing import CliRunner, Result

from passerelle.cli.main import app


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """What uvicorn was asked to serve, instead of serving it."""
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr("uvicorn.run",
                        lambda app, **options: calls.append({"app": app, **options}))
    return calls


def run(*args: str) -> Result:
    return CliRunner().invoke(app, ["taxii", "serve-fixture", *args],
                              env={"COLUMNS": "200", "PASSERELLE_DATABASE_URL":
                                   "postgresql+psycopg://nobody@127.0.0.1:1/none"})


def test_serves_the_file_with_the_account_and_page_size_given(
        tmp_path: Path, served: list[dict[str, Any]]) -> None:
    result = run(str(write_fixture(tmp_path)), "--user", USER, "--password", PASSWORD,
                 "--page-size", "2", "--port", "8123")
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:8123/taxii2/" in result.output
    [call] = served
    assert (call["host"], call["port"]) == ("127.0.0.1", 8123)
    taxii = Taxii(call["app"])
    page = taxii.get(objects_url())
    assert len(page.json()["objects"]) == 2
    assert page.json()["more"] is True
    assert taxii.get(f"/{ROOT}/collections/{OPEN}/", auth=(USER, "other")).status_code == 401


def test_the_password_may_come_from_the_environment(
        tmp_path: Path, served: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PASSERELLE_TAXII_PASSWORD", "from the environment")
    result = run(str(write_fixture(tmp_path)), "--user", USER, "--host", "::1")
    assert result.exit_code == 0, result.output
    assert served[0]["host"] == "::1"
    assert "http://[::1]:8021/taxii2/" in result.output
    taxii = Taxii(served[0]["app"])
    assert taxii.get("/taxii2/", auth=(USER, "from the environment")).status_code == 200


def test_a_bad_file_stops_the_command_naming_the_file_and_the_json_path(
        tmp_path: Path, served: list[dict[str, Any]]) -> None:
    document = fixture_document()
    document[ROOT]["collections"][0]["manifest"][1]["date_added"] = "soon"
    path = write_fixture(tmp_path, document)
    result = run(str(path), "--user", USER, "--password", PASSWORD)
    assert result.exit_code == 2
    assert "validation_failed" in result.output
    assert "intel.collections[0].manifest[1].date_added" in result.output
    assert path.name in result.output.replace("\n", "")
    assert served == []


def test_a_file_that_is_not_json_stops_the_command(tmp_path: Path,
                                                   served: list[dict[str, Any]]) -> None:
    path = tmp_path / "notes.json"
    path.write_text(json.dumps({"/discovery": {}})[:-3], encoding="utf-8")
    result = run(str(path), "--user", USER, "--password", PASSWORD)
    assert result.exit_code == 2
    assert "not JSON" in result.output
    assert served == []


def test_a_missing_file_or_a_bad_user_name_is_refused(tmp_path: Path,
                                                      served: list[dict[str, Any]]) -> None:
    assert run(str(tmp_path / "absent.json"), "--user", USER, "--password", "x").exit_code == 2
    result = run(str(write_fixture(tmp_path)), "--user", "a:b", "--password", "x")
    assert result.exit_code == 2
    assert "without ':'" in result.output
    assert served == []
