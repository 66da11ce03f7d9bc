"""``passerelle federation up``: four real nodes on loopback that trust each other's signatures,
made again without duplicates on a second run, refused on a port in use, stopped by Ctrl+C.

These run real uvicorn servers on free loopback ports and speak HTTP to them, with 5 fictional
people per node to stay quick.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from passerelle.bootstrap import node_caller, opened
from passerelle.cli.local_federation import (
    AGENCIES,
    AGREEMENT,
    Federation,
    FederationOptions,
    Member,
)
from passerelle.domain.markings import Markings
from passerelle.domain.records import Organisation
from passerelle.domain.transfers import BasisKind
from passerelle.errors import Conflict
from passerelle.federation.keys import NodeKey
from passerelle.federation.signing_auth import SigningAuth
from passerelle.seeding import DEMO_PASSWORD

from .cli_support import Invoke, port_free

TAXII = {"Accept": "application/taxii+json;version=2.1"}
PEOPLE = 5
WAIT_S = 30.0


def options(folder: Path, base_port: int, **changes: Any) -> FederationOptions:
    return FederationOptions(folder=folder, base_port=base_port, people=PEOPLE, seed=3,
                             **changes)


def discovery(member: Member) -> str:
    return member.taxii_url + "taxii2/"


def test_up_serves_four_nodes_whose_taxii_answers_only_a_partners_signature(
        tmp_path: Path, base_port: int) -> None:
    federation = Federation(options(tmp_path / "federation", base_port))
    federation.bind()
    members = federation.prepare()
    started = threading.Event()
    runner = threading.Thread(target=federation.run,
                              kwargs={"on_started": lambda _f: started.set()})
    runner.start()
    try:
        assert started.wait(WAIT_S), "the four nodes did not start"
        with httpx.Client(timeout=10) as http:
            for member, signer in zip(members, members[1:] + members[:1], strict=True):
                assert http.get(member.url + "api/v1/health").json() == {"status": "ok"}
                assert http.get(discovery(member), headers=TAXII).status_code == 401
                signed = http.get(discovery(member), headers=TAXII,
                                  auth=SigningAuth(NodeKey.load(signer.key_file)))
                assert signed.status_code == 200, (member.agency_id, signer.agency_id,
                                                   signed.text)
                login = http.post(member.url + "api/v1/session",
                                  json={"username": "amina.analyst", "password": DEMO_PASSWORD})
                assert login.status_code == 200, login.text
    finally:
        federation.request_stop()
        runner.join(WAIT_S)
    assert not runner.is_alive()
    assert federation.running == []
    assert all(port_free(base_port + i) for i in range(4)), "the ports were not released"


def trust_and_accounts(members: list[Member]) -> dict[str, Any]:
    """What a run leaves in each node: accounts, trusted keys, bases, records, files."""
    state: dict[str, Any] = {}
    for member in members:
        with opened(member.settings) as node:
            with node.transactions() as tx:
                records = tx.records.count()
            state[member.agency_id] = {
                "users": sorted(u.username for u in node.accounts.list_users(None)),
                "peers": sorted((p.agency_id, p.key_id, p.base_url, p.active)
                                for p in node.peers.list()),
                "bases": sorted((b.partner, b.kind, b.reference)
                                for b in node.federation.bases()),
                "records": records,
                "key": member.key_file.read_bytes(),
                "settings": member.settings_file.read_text(encoding="utf-8"),
            }
    return state


def test_a_second_up_without_fresh_reuses_the_nodes_and_adds_nothing(
        tmp_path: Path, base_port: int) -> None:
    folder = tmp_path / "federation"
    first = Federation(options(folder, base_port)).prepare()
    before = trust_and_accounts(first)
    again = trust_and_accounts(Federation(options(folder, base_port)).prepare())
    assert again == before
    keys = {m.agency_id: NodeKey.load(m.key_file).key_id for m in first}
    fr, ma = before["fr"], before["ma"]
    assert fr["users"] == ["admin", "amina.analyst", "ines.releaser", "lucas.reviewer",
                           "pieter.auditor"]
    assert fr["peers"] == sorted((a, keys[a], f"http://127.0.0.1:{base_port + i}/taxii/", True)
                                 for i, a in enumerate(AGENCIES) if a != "fr")
    assert [(p, k) for p, k, _ in fr["bases"]] == [
        ("be", BasisKind.EU_DIRECTIVE), ("es", BasisKind.EU_DIRECTIVE),
        ("ma", BasisKind.AGREEMENT)]
    assert ("ma", BasisKind.AGREEMENT, AGREEMENT) in fr["bases"]
    assert {k for _, k, _ in ma["bases"]} == {BasisKind.AGREEMENT}
    assert fr["records"] > PEOPLE
    assert os.stat(first[0].settings_file).st_mode & 0o777 == 0o600


def test_fresh_starts_over_with_new_keys_that_the_other_nodes_trust(
        tmp_path: Path, base_port: int) -> None:
    folder = tmp_path / "federation"
    old = {m.agency_id: NodeKey.load(m.key_file).key_id
           for m in Federation(options(folder, base_port)).prepare()}
    members = Federation(options(folder, base_port, fresh=True)).prepare()
    new = {m.agency_id: NodeKey.load(m.key_file).key_id for m in members}
    assert not set(old.values()) & set(new.values())
    with opened(members[0].settings) as fr:
        assert sorted(p.key_id for p in fr.peers.list()) == sorted(
            new[a] for a in AGENCIES if a != "fr")


def test_a_port_in_use_is_refused_by_number_before_anything_is_written(
        cli: Invoke, tmp_path: Path, base_port: int) -> None:
    folder = tmp_path / "federation"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", base_port + 2))
        taken.listen()
        result = cli("federation", "up", "--dir", str(folder), "--base-port", str(base_port),
                     "--people", str(PEOPLE))
    assert result.exit_code == 2
    assert f"port {base_port + 2}" in result.output
    assert "be node" in result.output
    assert not folder.exists()
    assert port_free(base_port), "the ports bound before the refusal were not released"


def test_up_is_refused_in_production(cli: Invoke, tmp_path: Path, base_port: int,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PASSERELLE_ENVIRONMENT", "production")
    monkeypatch.setenv("PASSERELLE_SECRET_KEY", "s" * 40)
    monkeypatch.setenv("PASSERELLE_AUDIT_KEY", "a" * 40)
    folder = tmp_path / "federation"
    result = cli("federation", "up", "--dir", str(folder), "--base-port", str(base_port))
    assert result.exit_code == 2
    assert "production" in result.output
    assert not folder.exists()


def _interrupt_when_up(base_port: int) -> None:
    """Send this process Ctrl+C once the four nodes answer (or after WAIT_S regardless, so
    that a broken command cannot hang the test run: it then ends as aborted)."""
    deadline = time.monotonic() + WAIT_S
    with httpx.Client(timeout=1) as http:
        pending = [f"http://127.0.0.1:{base_port + i}/api/v1/health" for i in range(4)]
        while pending and time.monotonic() < deadline:
            try:
                if http.get(pending[0]).status_code == 200:
                    pending.pop(0)
            except httpx.TransportError:
                time.sleep(0.1)  # a real server on loopback: nothing to await but its port
    os.kill(os.getpid(), signal.SIGINT)


def test_ctrl_c_stops_the_four_nodes_and_exits_0(cli: Invoke, tmp_path: Path,
                                                  base_port: int) -> None:
    folder = tmp_path / "federation"
    interrupter = threading.Thread(target=_interrupt_when_up, args=(base_port,))
    interrupter.start()
    result = cli("federation", "up", "--dir", str(folder), "--base-port", str(base_port),
                 "--people", str(PEOPLE))
    interrupter.join()
    assert result.exit_code == 0, result.output
    for port in range(base_port, base_port + 4):
        assert f"http://127.0.0.1:{port}/api/v1/docs" in result.output
        assert f"http://127.0.0.1:{port}/taxii/taxii2/" in result.output
    assert "amina.analyst" in result.output
    assert DEMO_PASSWORD in result.output
    assert "stopped" in result.output
    assert all(port_free(base_port + i) for i in range(4))
    assert not [t.name for t in threading.enumerate() if t.name.startswith("passerelle-")]


def test_a_second_up_on_other_ports_is_refused_since_the_nodes_know_the_first_urls(
        tmp_path: Path, base_port: int) -> None:
    folder = tmp_path / "federation"
    Federation(options(folder, base_port)).prepare()
    with pytest.raises(Conflict) as refused:
        Federation(options(folder, base_port + 10)).prepare()
    assert refused.value.field == "base_port"
    assert f"http://127.0.0.1:{base_port + 1}/taxii/" in refused.value.detail


def _eventually(check: Any, what: str) -> Any:
    """Poll ``check`` until it returns something truthy (real servers on loopback, real
    threads: there is nothing to await but their work); fail after WAIT_S."""
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


def test_up_keeps_the_nodes_in_sync_pulling_records_and_pushing_an_erasure(
        tmp_path: Path, base_port: int) -> None:
    federation = Federation(options(tmp_path / "federation", base_port))
    federation.bind()
    fr_member, es_member = federation.prepare()[:2]
    started = threading.Event()
    runner = threading.Thread(target=federation.run,
                              kwargs={"on_started": lambda _f: started.set()})
    runner.start()
    try:
        assert started.wait(WAIT_S), "the four nodes did not start"
        with opened(fr_member.settings) as fr, opened(es_member.settings) as es:
            caller = node_caller("fr", "local federation test (fictional data)")
            record = fr.records.create(caller, Markings(releasable_to=frozenset({"es"})),
                                       Organisation("Réseau fictif Charente"))

            def es_holds() -> bool:
                with es.transactions() as tx:
                    return tx.records.get(record.id) is not None

            _eventually(es_holds, "es to pull the record")
            fr.records.erase(caller, record.id)
            _eventually(lambda: not es_holds(), "the erasure to reach es")

            def pushed() -> list[Any]:
                with fr.transactions() as tx:
                    return [i for i in tx.outbox.due(dt.datetime.max.replace(tzinfo=dt.UTC),
                                                     10, "es") if i.object_id.endswith(
                                                         record.id.partition("--")[2])]

            _eventually(lambda: not pushed(), "fr to record the delivery to es")
    finally:
        federation.request_stop()
        runner.join(WAIT_S)
    assert not runner.is_alive()
    assert federation.running == []
