"""``passerelle federation sync``: one pull of the partners and one push of the outbox, with a
summary per partner; a partner that cannot be reached keeps its items waiting (exit 1)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from passerelle.bootstrap import node_caller
from passerelle.domain.markings import Markings
from passerelle.domain.records import Organisation
from passerelle.federation.keys import NodeKey

from .cli_support import Invoke, node_of

JUSTIFICATION = "enquête 2026/415 — fictional document fraud"


@pytest.fixture
def keyed(initialised: Path) -> Path:
    """An initialised node with its signing key next to the database."""
    NodeKey.generate().save(initialised.with_name(initialised.stem + ".node.key"))
    return initialised


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_with_no_partner_sync_does_nothing_and_succeeds(cli: Invoke, keyed: Path) -> None:
    result = cli("federation", "sync")
    assert result.exit_code == 0, result.output
    assert "sync of fr" in result.output


def test_a_partner_that_cannot_be_reached_keeps_its_revocation_waiting(
        cli: Invoke, keyed: Path) -> None:
    url = f"http://127.0.0.1:{closed_port()}/taxii/"
    added = cli("peer", "add", "es", "--public-key", NodeKey.generate().public_raw_b64(),
                "--url", url)
    assert added.exit_code == 0, added.output
    with node_of(keyed) as node:
        caller = node_caller("fr", JUSTIFICATION)
        record = node.records.create(caller, Markings(releasable_to=frozenset({"es"})),
                                     Organisation("Réseau fictif Vilaine"))
        node.records.erase(caller, record.id)
    result = cli("federation", "sync", "--partner", "es")
    assert result.exit_code == 1, result.output
    assert "could not be reached" in result.output
    assert "pull from es failed" in result.output
    with node_of(keyed) as node:
        assert node.outbox.pending_counts() == {"es": 1}
        assert node.outbox.due(limit=10) == []  # not due again before its back-off


def test_an_unknown_partner_is_refused_by_name(cli: Invoke, keyed: Path) -> None:
    result = cli("federation", "sync", "--partner", "xx")
    assert result.exit_code == 2
    assert "partner" in result.output
