"""The node's TAXII client pulls from the OASIS reference server, medallion, over real HTTP.

medallion runs on loopback with its memory backend loaded from its own test fixture
(../shared/data/taxii/medallion-default_data.json, BSD-3); the node reads the "High Value
Indicator Collection" page by page and stores every object: what Passerelle models
(indicators) as records, what it does not (malware) kept as received.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.support import AUDIT_KEY, FixedClock, sqlite_transactions

from passerelle.domain.agencies import DEFAULT_AGENCIES
from passerelle.domain.records import Record
from passerelle.errors import BadRequest
from passerelle.federation.taxii_source import pull_collection
from passerelle.node import Node
from passerelle.ports import RecordQuery
from passerelle.settings import Settings

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "taxii"
FIXTURE = SHARED / "medallion-default_data.json"
COLLECTION = "trustgroup1/collections/91a7b528-80eb-42ed-a74d-c6fbd5a26116/"

medallion = pytest.importorskip("medallion")
pytestmark = pytest.mark.skipif(not FIXTURE.exists(), reason="../shared/data is not there")


@pytest.fixture(scope="module")
def medallion_url() -> Iterator[str]:
    from medallion import application_instance as app
    from medallion import connect_to_backend, register_blueprints, set_config
    from werkzeug.serving import make_server

    config = {"backend": {"module_class": "MemoryBackend",
                          "module": "medallion.backends.memory_backend",
                          "filename": str(FIXTURE)},
              "users": {"reader": "a-reader-password"}, "taxii": {"max_page_size": 2}}
    for part in ("users", "taxii", "backend"):
        set_config(app, part, config)
    app.medallion_backend = connect_to_backend(config["backend"])
    if "objects" not in app.blueprints:
        register_blueprints(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    thread.join(timeout=5)


def test_pull_from_medallion_pages_and_stores_every_object(
        medallion_url: str, tmp_path: Path) -> None:
    node = _node(tmp_path)
    report = pull_collection(node, medallion_url + COLLECTION, "be",
                             auth=("reader", "a-reader-password"), page_size=2)
    assert report.pages >= 3  # medallion's page size is 2 here: the client followed next
    assert report.objects == 5  # the latest version of each of the collection's 5 objects
    assert report.stored >= 2
    assert sum(report.rejected.values()) == 0  # malware: kept as received
    assert report.stored + report.unchanged + report.context \
        + sum(report.rejected.values()) == report.objects
    stored = _indicators(node)
    assert len(stored) == report.stored
    assert all(r.owner_agency == "be" for r in stored)
    again = pull_collection(node, medallion_url + COLLECTION, "be",
                            auth=("reader", "a-reader-password"), page_size=2)
    assert again.stored == 0
    assert again.unchanged == report.stored


def test_wrong_credentials_are_named(medallion_url: str, tmp_path: Path) -> None:
    with pytest.raises(BadRequest) as error:
        pull_collection(_node(tmp_path), medallion_url + COLLECTION, "be",
                        auth=("reader", "wrong"))
    assert "401" in error.value.detail


def _node(tmp_path: Path) -> Node:
    clock = FixedClock()
    settings = Settings(environment="test", agency_id="fr", secret_key="s" * 40,
                        audit_key=AUDIT_KEY.decode(), database_url="sqlite://")
    node = Node.build(settings, sqlite_transactions(tmp_path / "fr.db", clock), clock)
    node.accounts.register_agencies(list(DEFAULT_AGENCIES))
    return node


def _indicators(node: Node) -> list[Record]:
    with node.transactions() as tx:
        return tx.records.search(RecordQuery(), None, 1000)


def test_the_cli_pulls_and_reports(medallion_url: str, tmp_path: Path) -> None:
    from tests.cli.cli_support import run_cli

    database = tmp_path / "node.db"
    assert run_cli(database, "init", "--admin-password", "an admin password").exit_code == 0
    result = run_cli(database, "taxii", "pull", medallion_url + COLLECTION, "--owner", "be",
                     "--user", "reader", "--password", "a-reader-password",
                     "--justification", "indicator exchange (test)")
    assert result.exit_code == 0, result.output  # medallion's malware is kept as received
    assert "stored" in result.output
