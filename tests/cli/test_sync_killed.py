"""``passerelle federation sync`` killed with SIGKILL in the middle of a pull, then run again:
the node resumes from its checkpoint, and every record the partner released is held once,
with one audit entry, nothing lost or doubled.

Real processes and real HTTP: the partner (fr) is served by uvicorn on loopback, the syncing
node (es) is ``passerelle`` run as a separate process, killed without warning while it pulls.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from tests.support import served_on_loopback

from passerelle.api.app import create_app
from passerelle.bootstrap import node_caller, opened
from passerelle.domain.markings import Markings
from passerelle.domain.records import Record
from passerelle.federation.keys import NodeKey
from passerelle.seeding import RecordMaker
from passerelle.settings import Settings
from passerelle.synthetic import PeopleGenerator

from .cli_support import ENV

RECORDS = 2000
PAGE_SIZE = "20"  # a hundred requests: time enough to be killed in the middle
JUSTIFICATION = "federation test on fictional people"


def settings_of(database: Path, agency: str) -> Settings:
    return Settings(environment="test", agency_id=agency, audit_key=ENV["PASSERELLE_AUDIT_KEY"],
                    database_url=f"sqlite:///{database}")


def released_people(count: int) -> list[Record]:
    """Fictional people's records that fr releases to es."""
    maker = RecordMaker("fr", 11, dt.datetime.now(dt.UTC), "user:analyst.fr")
    markings = Markings(releasable_to=frozenset({"es"}))
    return [dataclasses.replace(maker.person(p), markings=markings)
            for p in PeopleGenerator(11).people(count)]


@contextmanager
def served(database: Path) -> Iterator[str]:
    """fr's node served on a free loopback port; its TAXII base URL."""
    with opened(settings_of(database, "fr")) as node, \
            served_on_loopback(create_app(node)) as base:
        yield f"{base}/taxii/"


def sync(es_database: Path, key_file: Path) -> subprocess.Popen[bytes]:
    """``passerelle federation sync --partner fr`` as es, in a process of its own."""
    env = {**os.environ, **ENV, "PASSERELLE_AGENCY_ID": "es",
           "PASSERELLE_DATABASE_URL": f"sqlite:///{es_database}",
           "PASSERELLE_NODE_KEY_FILE": str(key_file)}
    return subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-c", "from passerelle.cli.main import run; run()", "federation",
         "sync", "--partner", "fr", "--page-size", PAGE_SIZE],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def held(database: Path) -> tuple[int, int, dt.datetime | None]:
    """Records held, versions stored and the checkpoint of fr's feed, read as another
    process would (SQLite's log lets a reader in while the node writes)."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=10) as db:
        records = db.execute("SELECT count(*) FROM records").fetchone()[0]
        versions = db.execute("SELECT count(*) FROM record_versions").fetchone()[0]
        row = db.execute("SELECT date_added FROM sync_checkpoints WHERE partner = 'fr'"
                         ).fetchone()
    return records, versions, (dt.datetime.fromisoformat(row[0]) if row else None)


@pytest.fixture
def nodes(tmp_path: Path, initialised_template: Path) -> tuple[Path, Path, Path, list[str]]:
    """fr holding RECORDS people released to es; es knowing nothing yet; es's key file."""
    fr_db, es_db, key_file = tmp_path / "fr.db", tmp_path / "es.db", tmp_path / "es.node.key"
    shutil.copyfile(initialised_template, fr_db)
    shutil.copyfile(initialised_template, es_db)
    es_key = NodeKey.generate()
    es_key.save(key_file)
    with opened(settings_of(fr_db, "fr")) as fr:
        records = released_people(RECORDS)
        fr.imports.import_records(node_caller("fr", JUSTIFICATION), records, atomic=True)
        fr.peers.register(node_caller("fr", JUSTIFICATION), "es", es_key.public_raw_b64(),
                          "http://es.invalid/taxii/")
    return fr_db, es_db, key_file, [r.id for r in records]


def test_a_sync_killed_mid_pull_resumes_from_its_checkpoint(
        nodes: tuple[Path, Path, Path, list[str]]) -> None:
    fr_db, es_db, key_file, released = nodes
    with served(fr_db) as url:
        with opened(settings_of(es_db, "es")) as es:
            es.peers.register(node_caller("es", JUSTIFICATION), "fr",
                              NodeKey.generate().public_raw_b64(), url)
        first = sync(es_db, key_file)
        deadline = time.monotonic() + 60
        while held(es_db)[0] < RECORDS // 5:
            assert first.poll() is None, first.communicate()[0].decode()
            assert time.monotonic() < deadline, "the sync made no progress in 60 s"
            time.sleep(0.01)
        first.send_signal(signal.SIGKILL)
        assert first.wait(10) == -signal.SIGKILL
        records, versions, checkpoint = held(es_db)
        assert 0 < records < RECORDS, "killed too late: the sync had finished"
        assert checkpoint is not None
        assert versions == records

        second = sync(es_db, key_file)
        output = second.communicate(timeout=120)[0].decode()
        assert second.returncode == 0, output

    records, versions, checkpoint = held(es_db)
    assert (records, versions) == (RECORDS, RECORDS)  # nothing lost, nothing doubled
    with opened(settings_of(es_db, "es")) as es:
        caller = node_caller("es", JUSTIFICATION)
        assert {es.records.get(caller, rid).owner_agency for rid in released[:50]} == {"fr"}
    with sqlite3.connect(es_db) as db:
        collected = db.execute(
            "SELECT record_id, count(*) FROM audit_log WHERE action = 'collection' "
            "GROUP BY record_id").fetchall()
    assert {rid for rid, _ in collected} == set(released)
    assert {n for _, n in collected} == {1}  # each record collected once, audited once
    with sqlite3.connect(fr_db) as db:
        fed = db.execute("SELECT max(date_added) FROM releases WHERE partner = 'es'").fetchone()
    assert checkpoint == dt.datetime.fromisoformat(fed[0])
