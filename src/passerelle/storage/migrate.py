"""Bring a database to the schema this version of Passerelle expects, without any alembic.ini.

The migration scripts ship inside the package (``passerelle.storage:migrations``), so an
installed node can migrate itself: ``upgrade(url)`` at start-up or from the CLI. Migrations run
in one transaction; on PostgreSQL a failed migration leaves the schema as it was (SQLite commits
some DDL implicitly, so take a copy of the file before a risky upgrade).
"""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.engine import URL

from passerelle.storage.engine import make_engine

SCRIPT_LOCATION = "passerelle.storage:migrations"


def alembic_config() -> Config:
    """An Alembic configuration pointing at the packaged migration scripts."""
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    return config


def head_revision() -> str:
    """The revision this code expects the database to be at."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError("the packaged migrations have no head revision")
    return head


def upgrade(target: Engine | str | URL, revision: str = "head") -> None:
    """Migrate the database behind ``target`` (an engine or a URL) up to ``revision``."""
    engine = target if isinstance(target, Engine) else make_engine(target)
    try:
        config = alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        if engine is not target:
            engine.dispose()


def current_revision(target: Engine | str | URL) -> str | None:
    """The revision the database is at, or None when it was never migrated."""
    engine = target if isinstance(target, Engine) else make_engine(target)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        if engine is not target:
            engine.dispose()
