"""Backends for the storage contract tests: every test that asks for ``uow_factory`` runs on the
in-memory fake, on SQLite (a fresh file) and on PostgreSQL (a throw-away database, emptied
between tests).

PostgreSQL is part of the suite: when it cannot be reached the PostgreSQL tests fail, unless
PASSERELLE_SKIP_POSTGRES=1 says to skip them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from tests.storage.samples import Samples
from tests.support import AUDIT_KEY, FixedClock, postgres_database

from passerelle.domain.audit import GENESIS
from passerelle.ports import UnitOfWorkFactory
from passerelle.storage.engine import make_engine
from passerelle.storage.memory import MemoryUnitOfWorkFactory
from passerelle.storage.migrate import upgrade
from passerelle.storage.schema import AUDIT_HEAD, metadata
from passerelle.storage.unit_of_work import SqlUnitOfWorkFactory

SQL_BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
ALL_BACKENDS = ["memory", *SQL_BACKENDS]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (migrating takes longer than copying)."""
    path = tmp_path_factory.mktemp("template") / "passerelle.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()  # checkpoints the WAL into the file
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A migrated throw-away PostgreSQL database for the session."""
    with ExitStack() as stack:
        try:
            url = stack.enter_context(postgres_database())
        except sa.exc.OperationalError as error:
            if os.environ.get("PASSERELLE_SKIP_POSTGRES") == "1":
                pytest.skip(f"PostgreSQL unreachable, skipped as asked: {error}")
            pytest.fail(f"PostgreSQL unreachable ({error}); set PASSERELLE_SKIP_POSTGRES=1 to "
                        "skip the PostgreSQL tests")
        upgrade(url)
        yield url


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def samples() -> Samples:
    return Samples()


def _empty_engine(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Engine:
    if backend == "sqlite":
        path = tmp_path / "passerelle.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return make_engine(f"sqlite:///{path}")
    engine = make_engine(request.getfixturevalue("postgres_url"))
    tables = ", ".join(t.name for t in metadata.sorted_tables if t is not AUDIT_HEAD)
    with engine.begin() as connection:
        connection.execute(sa.text(f"TRUNCATE {tables}"))
        connection.execute(AUDIT_HEAD.update().values(seq=0, hash=GENESIS))
    return engine


@pytest.fixture(params=SQL_BACKENDS)
def sql_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on an empty, migrated database: SQLite, then PostgreSQL."""
    engine = _empty_engine(request.param, request, tmp_path)
    yield engine
    engine.dispose()


@pytest.fixture
def sql_factory(sql_engine: Engine, clock: FixedClock) -> SqlUnitOfWorkFactory:
    """Units of work over ``sql_engine``."""
    return SqlUnitOfWorkFactory(sql_engine, AUDIT_KEY, clock)


@pytest.fixture(params=ALL_BACKENDS)
def uow_factory(request: pytest.FixtureRequest, tmp_path: Path,
                clock: FixedClock) -> Iterator[UnitOfWorkFactory]:
    """Units of work over an empty store: the in-memory fake, SQLite, PostgreSQL."""
    if request.param == "memory":
        yield MemoryUnitOfWorkFactory(AUDIT_KEY, clock)
        return
    engine = _empty_engine(request.param, request, tmp_path)
    yield SqlUnitOfWorkFactory(engine, AUDIT_KEY, clock)
    engine.dispose()
