"""The packaged migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine

from passerelle.storage.engine import make_engine
from passerelle.storage.migrate import current_revision, head_revision, upgrade
from passerelle.storage.schema import metadata


def differences(engine: Engine, target: sa.MetaData) -> list[Any]:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, target))


def test_the_migrated_schema_equals_the_models(sql_engine: Engine) -> None:
    assert differences(sql_engine, metadata) == []


def test_the_comparison_notices_a_model_the_migrations_lack(sql_engine: Engine) -> None:
    extended = sa.MetaData()
    for table in metadata.tables.values():
        table.to_metadata(extended)
    sa.Table("watchlists", extended, sa.Column("id", sa.String(64), primary_key=True))
    assert [diff[0] for diff in differences(sql_engine, extended)] == ["add_table"]


def test_a_migrated_database_is_at_the_head_revision(sql_engine: Engine) -> None:
    assert current_revision(sql_engine) == head_revision()


def test_upgrading_again_changes_nothing(sql_engine: Engine) -> None:
    upgrade(sql_engine)
    assert current_revision(sql_engine) == head_revision()
    assert differences(sql_engine, metadata) == []


def test_a_new_file_migrates_from_its_url_and_starts_with_an_empty_audit_head(
        tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'node.db'}"
    assert current_revision(url) is None
    upgrade(url)
    assert current_revision(url) == head_revision()
    engine = make_engine(url)
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT id, seq FROM audit_head")).all() == [(1, 0)]
    engine.dispose()


def test_a_database_made_by_the_first_revision_upgrades_to_the_models(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0001")
    assert differences(engine, metadata) != []
    upgrade(engine)
    assert differences(engine, metadata) == []
    engine.dispose()
