"""Moving SQLite's write-ahead log into the database file away from the requests.

In WAL mode SQLite copies the log back into the database file (a checkpoint) when it passes a
thousand pages, on the connection whose commit crossed the line: that request pays for copying
megabytes and for two ``fsync``. A TAXII page writes its transfer records and audit entries, so
every twenty-odd pages one of them took several times as long as the others (measured: p99 of
a page nearly halved without it).

A file database's connections therefore turn automatic checkpoints off, and one thread per
engine runs a ``PASSIVE`` checkpoint every ``INTERVAL_S`` on a connection of its own: it copies
what no reader still needs, without waiting for readers or blocking writers (SQLite releases
Python's lock while it works). These copies do not make SQLite start the log again from its
beginning (observed under sustained writes and under steady serving alike): a load of a
million records grew it to 15 GB, and every read then searched it. So when the file passes
``LIMIT_BYTES`` (1 GiB), the thread runs a ``TRUNCATE`` checkpoint, which waits for the writer
of the moment, copies everything and empties the file; a request may wait for it once in
that gigabyte. A lower bound costs the requests: SQLite's own automatic checkpoint at 64 MiB
took a TAXII page's p99 from 40 to 120 ms, and so did this thread truncating at 64 MiB. When
the last connection of a process closes, SQLite checkpoints what is left, so a short command
leaves no log behind. The thread stops when its engine is garbage-collected or disposed of
through ``stop``.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import weakref
from pathlib import Path

INTERVAL_S = 1.0
TIMEOUT_S = 5.0
LIMIT_BYTES = 1024 * 1024 * 1024


class WalCheckpointer:
    """A daemon thread that checkpoints the SQLite file at ``path`` every ``interval_s``."""

    def __init__(self, path: str, interval_s: float = INTERVAL_S,
                 limit_bytes: int = LIMIT_BYTES) -> None:
        self._path = path
        self._wal = Path(f"{path}-wal")
        self._interval_s = interval_s
        self._limit_bytes = limit_bytes
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"wal-checkpoint {path}",
                                        daemon=True)
        self.checkpoints = 0

    def start(self, owner: object | None = None) -> WalCheckpointer:
        """Start; stop when ``owner`` (the engine), if given, is garbage-collected."""
        if owner is not None:
            weakref.finalize(owner, self._stop.set)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the thread (after one last checkpoint) and wait for it."""
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(TIMEOUT_S)

    def _mode(self) -> str:
        try:
            oversized = self._wal.stat().st_size > self._limit_bytes
        except OSError:
            oversized = False
        return "TRUNCATE" if oversized else "PASSIVE"

    def _run(self) -> None:
        connection: sqlite3.Connection | None = None
        try:
            while True:
                stopping = self._stop.wait(self._interval_s)
                try:
                    if connection is None:
                        connection = sqlite3.connect(self._path, timeout=TIMEOUT_S,
                                                     check_same_thread=False)
                    connection.execute(f"PRAGMA wal_checkpoint({self._mode()})").fetchall()
                    self.checkpoints += 1
                except sqlite3.Error:
                    # The file is gone or busy; the next round tries again (and a checkpoint
                    # not made now loses nothing: the log keeps every page until one is).
                    if connection is not None:
                        with contextlib.suppress(sqlite3.Error):
                            connection.close()
                    connection = None
                if stopping:
                    return
        finally:
            if connection is not None:
                with contextlib.suppress(sqlite3.Error):
                    connection.close()
