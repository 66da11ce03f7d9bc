"""Storage adapters: the ports of ``passerelle.ports`` on SQLite (the default) and PostgreSQL,
with Alembic migrations, and an in-memory fake for fast tests.

Every dialect difference lives in this package (``engine``, ``types``, ``record_search``); the
services only ever see ``ports.UnitOfWork``. Typical wiring::

    engine = make_engine(settings.database_url)
    upgrade(engine)
    uow_factory = SqlUnitOfWorkFactory(engine, settings.audit_key.encode(), clock)
"""

from passerelle.storage.engine import make_engine
from passerelle.storage.memory import MemoryUnitOfWorkFactory
from passerelle.storage.migrate import current_revision, upgrade
from passerelle.storage.unit_of_work import SqlUnitOfWorkFactory

__all__ = [
    "MemoryUnitOfWorkFactory",
    "SqlUnitOfWorkFactory",
    "current_revision",
    "make_engine",
    "upgrade",
]
