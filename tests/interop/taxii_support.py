"""Support for the TAXII tests: a small fixture file in the reference server's format with
fictional content, the reference file itself when ../shared holds it, and a client that talks
to an application over httpx's ASGI transport.

Kept out of conftest.py under a name of its own, so that other directories can import it.
"""

from __future__ import annotations

import asyncio
import copy
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from passerelle.api.taxii import fixture_app

USER = "analyst.fr"
PASSWORD = "a long passphrase for tests"
TAXII = "application/taxii+json;version=2.1"
STIX_21 = "application/stix+json;version=2.1"
STIX_20 = "application/stix+json;version=2.0"
BASE_URL = "https://taxii.fr.passerelle.example"

ROOT = "intel"
OPEN = "4c0a1f0e-1b7f-4d4e-9a53-7a8f61a6b001"  # read and write, STIX 2.0 and 2.1
READ_ONLY = "4c0a1f0e-1b7f-4d4e-9a53-7a8f61a6b002"
WRITE_ONLY = "4c0a1f0e-1b7f-4d4e-9a53-7a8f61a6b003"
CLOSED = "4c0a1f0e-1b7f-4d4e-9a53-7a8f61a6b004"
STATUS_ID = "9e1b8b8e-3b9a-4a43-8f0e-2d3e4f5a6b7c"

INDICATOR = "indicator--6b1c7c3e-1f6d-4c8e-9a55-0c4b7a1e2d01"
MALWARE = "malware--0f4e2a9d-8c71-4b3e-a6d2-5e9f1c3b7a02"
IDENTITY = "identity--2d7e5b1a-6c3f-4e8d-b9a4-1f0e3c5d7b03"

SHARED_TAXII = (Path(__file__).resolve().parents[2].parent / "shared" / "data" / "taxii"
                / "medallion-default_data.json")


def stamp(day: str, second: int = 0) -> str:
    """``2026-01-01``, 5 -> ``2026-01-01T00:00:05.000Z`` (a STIX version)."""
    return f"{day}T00:00:{second:02d}.000Z"


def added(day: str, second: int = 1) -> str:
    """A ``date_added`` with microseconds."""
    return f"{day}T00:00:{second:02d}.000000Z"


def indicator(object_id: str, modified: str, address: str) -> dict[str, Any]:
    """A STIX 2.1 indicator on a documentation address."""
    return {"type": "indicator", "spec_version": "2.1", "id": object_id,
            "created": "2026-01-01T00:00:00.000Z", "modified": modified,
            "name": f"Relay {address}", "pattern": f"[ipv4-addr:value = '{address}']",
            "pattern_type": "stix", "valid_from": "2026-01-01T00:00:00Z"}


def _entry(obj: dict[str, Any], date_added: str, media_type: str = STIX_21) -> dict[str, Any]:
    return {"id": obj["id"], "date_added": date_added,
            "version": obj.get("modified", obj.get("created")), "media_type": media_type}


def open_content(generated: int = 0) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Objects and manifest of the open collection.

    An indicator in two versions, a malware in STIX 2.1 and (later) in 2.0, an identity added
    at the same instant as the indicator's second version; then ``generated`` indicators,
    one a second.
    """
    first = indicator(INDICATOR, stamp("2026-01-01"), "198.51.100.7")
    second = {**first, "modified": stamp("2026-02-01"), "name": "Relay 198.51.100.7 (seen)"}
    malware_21 = {"type": "malware", "spec_version": "2.1", "id": MALWARE,
                  "created": stamp("2026-01-15"), "modified": stamp("2026-01-15"),
                  "name": "Loader", "is_family": True}
    malware_20 = {"type": "malware", "id": MALWARE, "created": stamp("2026-01-15"),
                  "modified": stamp("2026-03-01"), "name": "Loader", "labels": ["dropper"]}
    identity = {"type": "identity", "spec_version": "2.1", "id": IDENTITY,
                "created": stamp("2026-01-20"), "modified": stamp("2026-01-20"),
                "name": "Example partner agency", "identity_class": "organization"}
    objects = [first, second, malware_21, malware_20, identity]
    manifest = [_entry(first, added("2026-01-01")), _entry(second, added("2026-02-01")),
                _entry(malware_21, added("2026-01-15")),
                _entry(malware_20, added("2026-03-01"), STIX_20),
                _entry(identity, added("2026-02-01"))]
    for n in range(generated):
        obj = indicator(f"indicator--00000000-0000-4000-8000-{n:012d}", stamp("2026-04-01"),
                        f"203.0.113.{n % 250}")
        objects.append(obj)
        manifest.append(_entry(obj, f"2026-04-01T{n // 3600:02d}:{n // 60 % 60:02d}:"
                                    f"{n % 60:02d}.000000Z"))
    return objects, manifest


def _collection(cid: str, title: str, read: bool, write: bool,
                content: tuple[list[dict[str, Any]], list[dict[str, Any]]] = ([], []),
                media_types: tuple[str, ...] = (STIX_21,)) -> dict[str, Any]:
    return {"id": cid, "title": title, "description": f"{title} (test)", "can_read": read,
            "can_write": write, "media_types": list(media_types),
            "objects": content[0], "manifest": content[1]}


def fixture_document(generated: int = 0) -> dict[str, Any]:
    """A fixture in the reference server's format: two API roots, four collections."""
    status = {"id": STATUS_ID, "status": "pending", "request_timestamp": added("2026-02-02"),
              "total_count": 2, "success_count": 1, "failure_count": 0, "pending_count": 1,
              "successes": [{"id": INDICATOR, "version": stamp("2026-02-01")}],
              "pendings": [{"id": IDENTITY, "version": stamp("2026-01-20")}]}
    information = {"title": "Shared intelligence", "versions": [TAXII],
                   "max_content_length": 4096}
    read_only = ([indicator(INDICATOR, stamp("2026-01-01"), "192.0.2.1")],
                 [_entry(indicator(INDICATOR, stamp("2026-01-01"), "192.0.2.1"),
                         added("2026-01-02"))])
    return {
        "/discovery": {"title": "Test TAXII server", "description": "Fictional content",
                       "default": f"http://localhost:5000/{ROOT}/",
                       "api_roots": [f"http://localhost:5000/{ROOT}/",
                                     "http://localhost:5000/empty/"]},
        ROOT: {"information": information, "status": [status], "collections": [
            _collection(OPEN, "Open", True, True, open_content(generated),
                        (STIX_20, STIX_21)),
            _collection(READ_ONLY, "Read only", True, False, read_only),
            _collection(WRITE_ONLY, "Write only", False, True),
            _collection(CLOSED, "Closed", False, False)]},
        "empty": {"information": {**information, "title": "Nothing yet"}, "status": [],
                  "collections": []},
    }


def write_fixture(folder: Path, document: dict[str, Any] | None = None) -> Path:
    """The document (by default ``fixture_document()``) written to a file in ``folder``."""
    path = folder / "fixture.json"
    path.write_text(json.dumps(copy.deepcopy(document or fixture_document())),
                    encoding="utf-8")
    return path


def shared_fixture() -> Path:
    """The reference server's test data; skips when ../shared is absent."""
    if not SHARED_TAXII.is_file():
        pytest.skip(f"{SHARED_TAXII} is absent: the reference TAXII data lives outside the "
                    "repository (see ../shared/data/README.md)")
    return SHARED_TAXII


def objects_url(collection: str = OPEN, root: str = ROOT) -> str:
    """The objects endpoint of a collection."""
    return f"/{root}/collections/{collection}/objects/"


class Taxii:
    """Requests to a TAXII application over httpx's ASGI transport, as ``USER`` by default,
    accepting TAXII 2.1 JSON."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    def request(self, method: str, path: str, *, auth: tuple[str, str] | None = (
            USER, PASSWORD), headers: dict[str, str] | None = None,
            **kwargs: Any) -> httpx.Response:
        """One request; ``auth=None`` sends no credentials."""
        all_headers = {"Accept": TAXII, **(headers or {})}

        async def send() -> httpx.Response:
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app),
                                         base_url=BASE_URL, auth=auth) as http:
                return await http.request(method, path, headers=all_headers, **kwargs)

        return asyncio.run(send())

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        """GET ``path``."""
        return self.request("GET", path, **kwargs)

    def post_envelope(self, path: str, objects: list[dict[str, Any]],
                      **kwargs: Any) -> httpx.Response:
        """POST an envelope of ``objects`` as TAXII JSON."""
        headers = {"Content-Type": TAXII, **kwargs.pop("headers", {})}
        return self.request("POST", path, content=json.dumps({"objects": objects}),
                            headers=headers, **kwargs)

    def pages(self, path: str, params: dict[str, str]) -> list[httpx.Response]:
        """Every page of a listing, following ``next``."""
        answers = [self.get(path, params=params)]
        while answers[-1].json().get("more"):
            answers.append(self.get(path, params={**params, "next": answers[-1].json()["next"]}))
        return answers


def taxii_for(folder: Path, document: dict[str, Any] | None = None,
              page_size: int = 100) -> Taxii:
    """A client of a fixture server over ``document``."""
    return Taxii(fixture_app(write_fixture(folder, document), USER, PASSWORD, page_size))


def versions_of(answer: httpx.Response) -> list[tuple[str, str]]:
    """``(id, modified)`` of each object of an envelope, in order."""
    return [(o["id"], o.get("modified", o.get("created"))) for o in answer.json().get(
        "objects", [])]
