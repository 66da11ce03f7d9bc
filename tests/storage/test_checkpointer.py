"""The background checkpointer of SQLite file databases (``storage.checkpointer``)."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from sqlalchemy import text

from passerelle.storage.checkpointer import WalCheckpointer
from passerelle.storage.engine import make_engine


def _wal_database(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA wal_autocheckpoint=0")
    connection.execute("CREATE TABLE t (x TEXT)")
    connection.executemany("INSERT INTO t VALUES (?)", [("x" * 500,) for _ in range(4000)])
    return connection


def _wait_for(condition: object, timeout_s: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return True
        time.sleep(0.02)
    return False


def test_the_log_reaches_the_database_file_without_a_commit_doing_it(tmp_path: Path) -> None:
    path = tmp_path / "node.db"
    writer = _wal_database(path)
    before = path.stat().st_size
    assert Path(f"{path}-wal").stat().st_size > 1_000_000  # the rows are in the log only
    checkpointer = WalCheckpointer(str(path), interval_s=0.05).start()
    try:
        # The counter moves just after the checkpoint returns: wait for both.
        assert _wait_for(lambda: path.stat().st_size > before + 1_000_000
                         and checkpointer.checkpoints >= 1)
        assert writer.execute("SELECT count(*) FROM t").fetchone() == (4000,)
    finally:
        checkpointer.stop()
        writer.close()


def test_a_missing_file_does_not_stop_the_thread(tmp_path: Path) -> None:
    checkpointer = WalCheckpointer(str(tmp_path / "gone" / "node.db"), interval_s=0.02)
    checkpointer.start()
    time.sleep(0.1)
    checkpointer.stop()
    assert checkpointer.checkpoints == 0


def test_file_engines_turn_automatic_checkpoints_off(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'node.db'}")
    try:
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA wal_autocheckpoint")).scalar() == 0
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    finally:
        engine.dispose()


def test_a_log_past_the_limit_is_emptied_while_a_writer_keeps_writing(tmp_path: Path) -> None:
    path = tmp_path / "node.db"
    writer = _wal_database(path)  # a reader-free log of over 2 MB, never checkpointed
    wal = Path(f"{path}-wal")
    checkpointer = WalCheckpointer(str(path), interval_s=0.02, limit_bytes=1_000_000).start()
    try:
        row = "y" * 500
        for _ in range(200):  # sustained writes, back to back, while the thread works
            writer.executemany("INSERT INTO t VALUES (?)", [(row,)] * 20)
        assert _wait_for(lambda: wal.stat().st_size < 1_000_000)
        assert writer.execute("SELECT count(*) FROM t").fetchone() == (8000,)
    finally:
        checkpointer.stop()
        writer.close()
