"""Opening a node: the one place that chooses the storage adapter.

``open_node`` builds the engine from ``settings.database_url``, refuses a database whose schema
is not the one this code expects (telling to run ``passerelle init``, which migrates), and wires
the SQL unit of work into ``Node.build``. It never migrates by itself: a schema change is an
operator's decision, taken with ``passerelle init`` (and a backup), not a side effect of starting
a server. ``migrate`` is that decision; ``opened`` is ``open_node`` for one command, closing the
database connections at the end.

``node_key_path`` says where the node's signing key lives and ``load_node_key`` reads it; only
``passerelle init`` creates it (``federation.keys.ensure_node_key``).

``node_caller`` is how the node acts as itself (the CLI without ``--as``: seeding, imports,
exports, accounts, the audit log): the audit log names it "system", as ``AccountService`` does
for ``caller=None``, and the policy still screens what it touches.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from passerelle.clock import SystemClock
from passerelle.domain.users import Role, User
from passerelle.errors import Conflict, PasserelleError, ValidationFailed
from passerelle.federation.keys import NodeKey
from passerelle.node import Node
from passerelle.ports import Clock
from passerelle.services.caller import Caller
from passerelle.settings import Settings
from passerelle.storage import SqlUnitOfWorkFactory, current_revision, make_engine, upgrade
from passerelle.storage.migrate import head_revision

SYSTEM_USER_ID = "system"
DEFAULT_NODE_KEY_FILE = "passerelle-node.key"
NODE_KEY_SUFFIX = ".node.key"
NODE_ROLES = frozenset({Role.ANALYST, Role.AUDITOR, Role.ADMINISTRATOR})
INIT_HINT = "run `passerelle init` to create or upgrade it"


@dataclasses.dataclass(frozen=True, slots=True)
class NodeCaller(Caller):
    """The node acting as itself. Its user exists only in memory and cannot log in.

    It holds the roles of the work an operator does from the node's host (analyst for imports,
    exports and seeding; auditor; administrator), since that operator holds the database and its
    keys anyway; the need-to-know rules still apply (a compartment it is not given, or a TLP:RED
    record that does not name it, stays out of reach)."""

    @property
    def actor(self) -> str:
        """The audit log's name for the node itself."""
        return "system"


def node_caller(agency_id: str, justification: str = "",
                compartments: frozenset[str] = frozenset()) -> Caller:
    """A caller for work the node does on its own behalf."""
    user = User(SYSTEM_USER_ID, "system", agency_id, NODE_ROLES, "the node itself", compartments)
    return NodeCaller(user, justification)


def safe_url(database_url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(database_url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unreadable database URL>"


def engine_for(settings: Settings, *, create: bool) -> Engine:
    """An engine on the configured database. Unless ``create``, a missing SQLite file is an
    error rather than silently created empty (a typo in the path would look like data loss)."""
    try:
        url = make_url(settings.database_url)
        if (url.get_backend_name() == "sqlite" and not create and url.database
                and url.database != ":memory:" and not Path(url.database).exists()):
            raise Conflict(f"no database at {safe_url(settings.database_url)}: {INIT_HINT}",
                           field="database_url")
        return make_engine(url)
    except (ArgumentError, ValueError) as error:
        raise ValidationFailed(str(error), field="database_url") from None


def node_key_path(settings: Settings) -> Path:
    """Where the node's signing key lives: ``settings.node_key_file`` when set; otherwise next
    to a SQLite database file, named after it (``passerelle.db`` -> ``passerelle.node.key``),
    so that two nodes whose databases share a folder never share a key; otherwise (PostgreSQL,
    an in-memory SQLite) ``passerelle-node.key`` in the working directory."""
    if settings.node_key_file is not None:
        return settings.node_key_file
    try:
        url = make_url(settings.database_url)
    except ArgumentError:
        return Path(DEFAULT_NODE_KEY_FILE)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        database = Path(url.database)
        return database.with_name(database.stem + NODE_KEY_SUFFIX)
    return Path(DEFAULT_NODE_KEY_FILE)


def load_node_key(settings: Settings) -> NodeKey:
    """This node's signing key: ``Conflict`` naming ``key_file`` when there is none yet (run
    ``passerelle init``), ``InvalidKey`` when others may read the file or it holds no key."""
    return NodeKey.load(node_key_path(settings))


def migrate(settings: Settings) -> tuple[str | None, str]:
    """Create or upgrade the schema; returns (revision before, revision after)."""
    engine = engine_for(settings, create=True)
    try:
        before = current_revision(engine)
        upgrade(engine)
        return before, head_revision()
    except SQLAlchemyError as error:
        reason = getattr(error, "orig", None) or error
        raise PasserelleError(f"cannot migrate {safe_url(settings.database_url)}: {reason}",
                              field="database_url") from error
    finally:
        engine.dispose()


def _check_schema(engine: Engine, settings: Settings) -> None:
    try:
        found = current_revision(engine)
    except SQLAlchemyError as error:  # unreachable server, wrong password, not a database file
        reason = getattr(error, "orig", None) or error
        raise PasserelleError(f"cannot open {safe_url(settings.database_url)}: {reason}",
                              field="database_url") from error
    expected = head_revision()
    if found is None:
        raise Conflict(f"the database {safe_url(settings.database_url)} is not initialised: "
                       f"{INIT_HINT}", field="database_url")
    if found != expected:
        raise Conflict(f"the database schema is at revision {found}, this version of "
                       f"Passerelle needs {expected}: {INIT_HINT}", field="database_url")


def _build(settings: Settings, clock: Clock | None) -> tuple[Node, Engine]:
    engine = engine_for(settings, create=False)
    try:
        _check_schema(engine, settings)
    except PasserelleError:
        engine.dispose()
        raise
    clock = clock or SystemClock()
    transactions = SqlUnitOfWorkFactory(engine, settings.audit_key.encode(), clock)
    return Node.build(settings, transactions, clock), engine


def open_node(settings: Settings, clock: Clock | None = None) -> Node:
    """The node for a long-running process (the server): its engine lives as long as it."""
    return _build(settings, clock)[0]


@contextmanager
def opened(settings: Settings, clock: Clock | None = None) -> Iterator[Node]:
    """The node for one command; its database connections are closed at the end."""
    node, engine = _build(settings, clock)
    try:
        yield node
    finally:
        engine.dispose()
