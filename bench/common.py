"""What the benchmarks share: fresh databases on both backends, the analyst who imports and
searches, the synthetic records, progress on stderr, percentiles and the closing figures line.

Every benchmark script ends with ONE line of ``key=value`` figures separated by spaces; scripts
and CI read that line only, so nothing may be printed on stdout after it.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import psycopg
from psycopg import sql
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from sqlalchemy import Engine

from passerelle.domain.users import Role, User
from passerelle.seeding import COMPARTMENTS
from passerelle.services.caller import Caller
from passerelle.storage import make_engine, upgrade

Backend = Literal["sqlite", "postgresql"]
BACKENDS: tuple[Backend, ...] = ("sqlite", "postgresql")
AGENCY = "fr"
AUDIT_KEY = "benchmark-audit-key-not-a-secret-0123456789"
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
STDERR = Console(stderr=True, highlight=False)

ANALYST = User("bench-analyst", "bench.analyst", AGENCY, frozenset({Role.ANALYST}),
               "Benchmark analyst", frozenset(COMPARTMENTS))
"""An analyst of the owner agency in every compartment the sample data uses, and the named
recipient of its TLP:RED records: the policy lets them see everything but overdue records."""


def analyst_caller() -> Caller:
    """The analyst, with the justification consulting personal data requires."""
    return Caller(ANALYST, "benchmark: search latency on synthetic, fictional data")


def backends(choice: str) -> tuple[Backend, ...]:
    """``sqlite``, ``postgresql`` or ``both`` as the backends to run."""
    if choice == "both":
        return BACKENDS
    if choice in BACKENDS:
        return (choice,)
    raise SystemExit(f"unknown backend {choice!r}: sqlite, postgresql or both")


def note(message: str) -> None:
    """A line for the human watching (stderr, so that stdout keeps only figures)."""
    STDERR.print(f"[{time.strftime('%H:%M:%S')}] {message}")


@dataclass
class Database:
    """A database made for one benchmark run: its URL and its engine (schema migrated)."""

    backend: Backend
    url: str
    engine: Engine


def _pg_admin() -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres",
                           autocommit=True)


def _drop_pg(name: str) -> None:
    with _pg_admin() as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(name)))


def pg_exists(name: str) -> bool:
    """True when the PostgreSQL server holds a database of that name."""
    with _pg_admin() as admin:
        row = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    return row is not None


def _create(backend: Backend, name: str, directory: Path) -> str:
    if backend == "sqlite":
        path = directory / f"{name}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    _drop_pg(name)
    with _pg_admin() as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return f"{PG_SERVER}/{name}"


def _remove(backend: Backend, name: str, directory: Path) -> None:
    if backend == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{directory / name}.db{suffix}").unlink(missing_ok=True)
    else:
        _drop_pg(name)


def database_url(backend: Backend, name: str, directory: Path) -> str:
    """Where the database ``name`` of ``backend`` lives (whether or not it exists)."""
    if backend == "sqlite":
        return f"sqlite:///{directory / name}.db"
    return f"{PG_SERVER}/{name}"


@contextmanager
def fresh_database(backend: Backend, name: str, directory: Path, *, keep: bool = False,
                   reuse: bool = False) -> Iterator[Database]:
    """A new, migrated database (SQLite file in ``directory``, or a PostgreSQL database), dropped
    on exit unless ``keep``. With ``reuse`` an existing database of that name is opened as it is.
    """
    exists = (Path(f"{directory / name}.db").exists() if backend == "sqlite"
              else pg_exists(name))
    url = database_url(backend, name, directory) if reuse and exists else \
        _create(backend, name, directory)
    engine = make_engine(url)
    try:
        upgrade(engine)
        yield Database(backend, url, engine)
    finally:
        engine.dispose()
        if not keep:
            _remove(backend, name, directory)


def work_directory(path: str | None) -> AbstractContextManager[str]:
    """Where SQLite files and bundles go: ``path`` if given (kept), else a temporary one."""
    if path is not None:
        Path(path).mkdir(parents=True, exist_ok=True)
        return _given(path)
    return tempfile.TemporaryDirectory(prefix="passerelle-bench-")


@contextmanager
def _given(path: str) -> Iterator[str]:
    yield path


class Phase:
    """Progress of one phase on stderr: a Rich bar on a terminal, a line every few seconds
    otherwise (nohup logs)."""

    def __init__(self, label: str, total: int, every_s: float = 10.0) -> None:
        self.label, self.total, self.done = label, total, 0
        self._every, self._started = every_s, time.perf_counter()
        self._last = self._started
        self._bar: Progress | None = None
        if STDERR.is_terminal:
            self._bar = Progress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                TaskProgressColumn(), TimeElapsedColumn(), TimeRemainingColumn(),
                console=STDERR, transient=True)
            self._task = self._bar.add_task(label, total=total)

    def __enter__(self) -> Callable[[int], None]:
        if self._bar is not None:
            self._bar.start()
        return self.advance

    def advance(self, count: int) -> None:
        """``count`` more items done."""
        self.done += count
        if self._bar is not None:
            self._bar.update(self._task, completed=self.done)
            return
        now = time.perf_counter()
        if now - self._last >= self._every:
            self._last = now
            rate = self.done / (now - self._started)
            note(f"{self.label}: {self.done:,}/{self.total:,} ({rate:,.0f}/s)")

    def __exit__(self, *_: object) -> None:
        if self._bar is not None:
            self._bar.stop()
        elapsed = time.perf_counter() - self._started
        note(f"{self.label}: {self.done:,} in {elapsed:,.1f} s "
             f"({self.done / max(elapsed, 1e-9):,.0f}/s)")


def progress(label: str, total: int) -> Phase:
    """``with progress("load", n) as advance: ... advance(k)``."""
    return Phase(label, total)


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by linear interpolation between closest ranks."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def median(values: Sequence[float]) -> float:
    """The median, NaN when there is nothing to take it of."""
    return statistics.median(values) if values else float("nan")


def figures_line(figures: dict[str, object]) -> str:
    """``key=value`` pairs separated by spaces; floats with a sensible precision."""
    def show(value: object) -> str:
        if isinstance(value, float):
            return f"{value:.3f}" if abs(value) < 100 else f"{value:.0f}"
        return str(value)
    return " ".join(f"{key}={show(value)}" for key, value in figures.items())


def machine() -> str:
    """One line on the machine the figures come from."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"SQLite {sqlite3.sqlite_version}, load {load:.2f}, "
            f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")


def postgres_version() -> str:
    """The server's version string, short."""
    with _pg_admin() as admin:
        row = admin.execute("SHOW server_version").fetchone()
    return str(row[0]) if row else "unknown"


def write(line: str) -> None:
    """A line on stdout, flushed (figures, tables)."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()
