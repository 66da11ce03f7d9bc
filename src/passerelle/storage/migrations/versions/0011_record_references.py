"""Record references: which records each record's latest version points at (a document's
holder, an alert's subject, an event's participants, a report's references, a relationship's
source and target), so that a record's page lists the records pointing at it.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-14

Existing records are read in batches of ``BATCH`` ids per kind that can point at another
record, their references taken from the latest body as stored (as
``storage.search_keys.record_references`` does, not through the application's codec, so that
this migration keeps working when the codec changes).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 2000
ID_LENGTH = 64
ROLE_LENGTH = 16
#: For each kind that points at other records, its fields naming one record (or a list) and
#: the role the named record plays.
FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "alert": (("subject", "subject"),),
    "document": (("holder", "holder"),),
    "event": (("participants", "participant"),),
    "relationship": (("source", "source"), ("target", "target")),
    "report": (("references", "reference"),),
}

_records = sa.table(
    "records", sa.column("id", sa.String(64)), sa.column("version", sa.Integer()))
_versions = sa.table(
    "record_versions", sa.column("record_id", sa.String(64)), sa.column("version", sa.Integer()),
    sa.column("body", sa.JSON().with_variant(postgresql.JSONB(), "postgresql")))
_references = sa.table(
    "record_references", sa.column("target_id", sa.String(ID_LENGTH)),
    sa.column("record_id", sa.String(ID_LENGTH)), sa.column("role", sa.String(ROLE_LENGTH)))


def _key(length: int) -> sa.types.TypeEngine[str]:
    return sa.String(length).with_variant(sa.String(length, collation="C"), "postgresql")


def upgrade() -> None:
    op.create_table(
        "record_references",
        sa.Column("target_id", _key(ID_LENGTH), nullable=False),
        sa.Column("record_id", _key(ID_LENGTH), nullable=False),
        sa.Column("role", _key(ROLE_LENGTH), nullable=False),
        sa.PrimaryKeyConstraint("target_id", "record_id", "role",
                                name=op.f("pk_record_references")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("record_references") as batch:
        batch.create_index(batch.f("ix_record_references_record_id"), ["record_id"])
    connection = op.get_bind()
    for kind, fields in FIELDS.items():
        _fill(connection, kind, fields)


def downgrade() -> None:
    op.drop_table("record_references")


def _fill(connection: sa.Connection, kind: str, fields: tuple[tuple[str, str], ...]) -> None:
    after, end = f"{kind}--", f"{kind}-."  # the kind is the prefix of the id
    while True:
        rows = connection.execute(
            sa.select(_records.c.id, _versions.c.body)
            .select_from(_records.join(_versions, sa.and_(
                _versions.c.record_id == _records.c.id,
                _versions.c.version == _records.c.version)))
            .where(_records.c.id > after, _records.c.id < end)
            .order_by(_records.c.id).limit(BATCH)).all()
        if not rows:
            return
        after = rows[-1].id
        references = [{"target_id": target, "record_id": row.id, "role": role}
                      for row in rows
                      for role, target in _references_of(row.body.get("details") or {}, fields)]
        if references:
            connection.execute(sa.insert(_references), references)


def _references_of(details: dict[str, Any], fields: tuple[tuple[str, str], ...]
                   ) -> Iterator[tuple[str, str]]:
    """The distinct (role, target id) pairs of one body's details; ids too long to name a
    stored record are left out, as the application leaves them out."""
    found: dict[tuple[str, str], None] = {}
    for name, role in fields:
        value = details.get(name)
        targets = value if isinstance(value, list) else [value]
        found.update(((role, str(target)), None) for target in targets
                     if target and len(str(target)) <= ID_LENGTH)
    yield from found
