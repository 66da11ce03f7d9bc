"""The background checkpointer of SQLite file databases (``storage.checkpointer``)."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from sqlalchemy import text

from passerelle.storage.checkpointer import WalCheckpointer
from passerelle.storage.engine import AUTOCHECKPOINT_PAGES, make_engine


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


def test_file_engines_leave_checkpoints_to_the_thread_below_a_bound(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'node.db'}")
    try:
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA wal_autocheckpoint")).scalar() == \
                AUTOCHECKPOINT_PAGES
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    finally:
        engine.dispose()


def test_sustained_writes_do_not_grow_the_log_without_bound(tmp_path: Path) -> None:
    path = tmp_path / "node.db"
    engine = make_engine(f"sqlite:///{path}")
    bound = AUTOCHECKPOINT_PAGES * 4096
    row = "x" * 4000
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE t (x TEXT)"))
        for _ in range(3 * bound // (250 * len(row))):  # three bounds' worth, back to back
            with engine.begin() as connection:
                connection.execute(text("INSERT INTO t VALUES (:x)"), [{"x": row}] * 250)
        assert Path(f"{path}-wal").stat().st_size < 1.5 * bound
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM t")).scalar() > 3 * bound // 4096
    finally:
        engine.dispose()
