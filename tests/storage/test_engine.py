"""Engines are configured the way the repositories rely on."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from passerelle.storage.engine import make_engine, normalise_url


def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'node.db'}")
    with engine.connect() as connection:
        pragma = {name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                  for name in ("journal_mode", "foreign_keys", "synchronous", "busy_timeout")}
    engine.dispose()
    assert pragma["journal_mode"] == "wal"
    assert pragma["foreign_keys"] == 1
    assert pragma["synchronous"] == 1  # NORMAL
    assert pragma["busy_timeout"] >= 1000


def test_an_in_memory_sqlite_database_is_shared_by_every_connection() -> None:
    engine = make_engine("sqlite://")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM t").scalar() == 0
    engine.dispose()


@pytest.mark.parametrize("url", ["postgresql://u@db/passerelle", "postgres://u@db/passerelle",
                                 "postgresql+psycopg://u@db/passerelle"])
def test_postgresql_urls_are_served_by_psycopg_3(url: str) -> None:
    assert normalise_url(url).drivername == "postgresql+psycopg"


def test_other_databases_are_refused() -> None:
    with pytest.raises(ValueError, match="unsupported database"):
        make_engine("mysql://u@db/passerelle")


@pytest.mark.postgres
def test_the_postgresql_engine_connects_through_psycopg(postgres_url: str) -> None:
    engine = make_engine(postgres_url.replace("+psycopg", ""))
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT 1")).scalar() == 1
    assert engine.dialect.driver == "psycopg"
    engine.dispose()
