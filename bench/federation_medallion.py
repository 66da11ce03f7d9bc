"""medallion, the OASIS reference TAXII 2.1 server, as a baseline for the page latency.

medallion (PyPI ``medallion``, the ``bench`` extra) runs with its memory backend, loaded from a
data file in its ``default_data.json`` format that this module writes: one API root
(``bench``) with one readable collection of synthetic STIX 2.1 indicators on documentation
address ranges and reserved names, each with its manifest entry, whose ``date_added`` are one
microsecond apart (as Passerelle's feed entries). Its Flask application is served by
werkzeug's ``make_server`` in a thread on loopback, with HTTP basic authentication
(``user``/``pass``, from the configuration this module writes).

Pages are requested as Passerelle's are (``limit=100``, ``added_after`` at a random position).
The memory backend filters a whole collection on every new request, comparing entries pairwise
(its ``added_after`` and version filters parse timestamps in nested loops), so a request costs
seconds at a few thousand objects and grows with the square of the size; a request that
follows a ``next`` token only pops the next objects of a list kept from the first request. Both
are timed: each timed request's ``next`` is followed once.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import logging
import random
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from federation_feed import FEED_START, PAGE_LIMIT, TICK
from federation_nodes import LOOPBACK, taxii_time
from passerelle.federation.pull import TAXII

ROOT = "bench"
COLLECTION = "6d3c9b2e-5f1a-4c8e-9b7d-2a4f6e8c0b13"
USER, PASSWORD = "user", "pass"
NETS = ("192.0.2.", "198.51.100.", "203.0.113.")
STIX = "application/stix+json;version=2.1"


def installed() -> bool:
    """Whether medallion can be imported (it is in the ``bench`` extra only)."""
    try:
        importlib.import_module("medallion")
    except ImportError:
        return False
    return True


def _indicator(rng: random.Random, index: int) -> dict[str, Any]:
    created = taxii_time(FEED_START - dt.timedelta(days=rng.randint(1, 400)))
    if index % 2:
        pattern = f"[ipv4-addr:value = '{rng.choice(NETS)}{rng.randint(1, 254)}']"
    else:
        pattern = f"[domain-name:value = 'relay-{rng.randint(1, 99999)}.example']"
    return {"type": "indicator", "spec_version": "2.1",
            "id": f"indicator--{uuid.UUID(int=rng.getrandbits(128), version=4)}",
            "created": created, "modified": created, "name": "Sample indicator (synthetic)",
            "indicator_types": ["malicious-activity"], "pattern": pattern,
            "pattern_type": "stix", "valid_from": created}


def write_data(path: Path, size: int, seed: int) -> None:
    """A medallion data file with ``size`` indicators in the benchmark's collection."""
    rng = random.Random(f"medallion:{seed}")
    objects = [_indicator(rng, i) for i in range(size)]
    manifest = [{"id": o["id"], "date_added": taxii_time(FEED_START + i * TICK),
                 "version": o["modified"], "media_type": STIX} for i, o in enumerate(objects)]
    base = f"http://{LOOPBACK}/"
    data = {
        "/discovery": {"title": "Benchmark TAXII server", "description": "medallion baseline",
                       "default": f"{base}{ROOT}/", "api_roots": [f"{base}{ROOT}/"]},
        ROOT: {"information": {"title": "Benchmark root", "description": "synthetic indicators",
                               "versions": [TAXII], "max_content_length": 10_000_000},
               "status": [],
               "collections": [{"id": COLLECTION, "title": "Synthetic indicators",
                                "description": "Indicators on documentation ranges",
                                "can_read": True, "can_write": False, "media_types": [STIX],
                                "objects": objects, "manifest": manifest}]}}
    path.write_text(json.dumps(data), encoding="utf-8")


def _configuration(data: Path) -> dict[str, Any]:
    return {"backend": {"module": "medallion.backends.memory_backend",
                        "module_class": "MemoryBackend", "filename": str(data)},
            "users": {USER: PASSWORD}, "taxii": {"max_page_size": PAGE_LIMIT}}


class Medallion:
    """medallion's application, set up once per process (it is a module-level Flask app)."""

    def __init__(self) -> None:
        self._module: Any = importlib.import_module("medallion")
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
        self._app: Any = self._module.application_instance
        self._ready = False

    def load(self, data: Path) -> None:
        """Serve the collection of the data file ``data`` (a new memory backend)."""
        configuration = _configuration(data)
        for part in ("users", "taxii", "backend"):
            self._module.set_config(self._app, part, configuration)
        if not self._ready:
            if not self._app.blueprints:  # another user in this process may have done it
                self._module.register_blueprints(self._app)
            self._ready = True

    @contextmanager
    def served(self) -> Iterator[str]:
        """Serve the application on a free loopback port; yields its base URL."""
        serving = importlib.import_module("werkzeug.serving")
        server: Any = serving.make_server(LOOPBACK, 0, self._app, threaded=False)
        thread = threading.Thread(target=server.serve_forever, name="medallion", daemon=True)
        thread.start()
        try:
            yield f"http://{LOOPBACK}:{server.port}/"
        finally:
            server.shutdown()
            thread.join(10)
            server.server_close()


class MedallionPages:
    """Fetches medallion's pages as ``federation_feed.time_pages`` wants; each request's
    ``next`` is followed once, timed on its own (``next_ms``)."""

    def __init__(self, client: httpx.Client) -> None:
        self._client = client
        self._path = f"{ROOT}/collections/{COLLECTION}/objects/"
        self.next_ms: list[float] = []

    def __call__(self, position: int) -> tuple[int, int]:
        added_after = taxii_time(FEED_START + position * TICK)
        envelope, size = self._get({"limit": PAGE_LIMIT, "added_after": added_after})
        token = envelope.get("next")
        if envelope.get("more") and token:
            started = time.perf_counter()
            self._get({"limit": PAGE_LIMIT, "added_after": added_after, "next": token})
            self.next_ms.append((time.perf_counter() - started) * 1000)
        return len(envelope.get("objects") or []), size

    def _get(self, params: dict[str, Any]) -> tuple[dict[str, Any], int]:
        response = self._client.get(self._path, params=params)
        if response.status_code != 200:
            raise SystemExit(f"medallion answered {response.status_code}: {response.text[:300]}")
        envelope: dict[str, Any] = response.json()
        return envelope, len(response.content)


def medallion_client(base_url: str) -> httpx.Client:
    """A TAXII client of medallion: basic authentication, TAXII 2.1 media type."""
    return httpx.Client(base_url=base_url, auth=(USER, PASSWORD), timeout=3600.0,
                        headers={"Accept": TAXII})
