"""Records: the review date and the end of validity as columns, so that the records falling due
for review and the alerts about to expire are read from an index instead of every body.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-10

Existing rows are filled from the latest body of each record (``markings.review_date``, and
``details.valid_until`` of alerts and indicators), read in batches of ``BATCH`` ids: a JSON
expression would have to be spelled once per dialect, and on SQLite its text would not have
the fixed-width naive-UTC form the time columns compare by. The bodies are read as stored, not
through the application's codec, so that this migration keeps working when the codec changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 2000
VALIDITY_KINDS = ("alert", "indicator")

_records = sa.table(
    "records", sa.column("id", sa.String(64)), sa.column("kind", sa.String(16)),
    sa.column("version", sa.Integer()), sa.column("review_date", sa.Date()),
    sa.column("valid_until", sa.DateTime(timezone=True)))
_versions = sa.table(
    "record_versions", sa.column("record_id", sa.String(64)), sa.column("version", sa.Integer()),
    sa.column("body", sa.JSON().with_variant(postgresql.JSONB(), "postgresql")))


def upgrade() -> None:
    with op.batch_alter_table("records") as batch:
        batch.add_column(sa.Column("review_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("valid_until", sa.DateTime(timezone=True), nullable=True))
        batch.create_index(batch.f("ix_records_owner_agency_review_date_id"),
                           ["owner_agency", "review_date", "id"])
        batch.create_index(batch.f("ix_records_owner_agency_valid_until_id"),
                           ["owner_agency", "valid_until", "id"])
    _fill(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("records") as batch:
        batch.drop_index(batch.f("ix_records_owner_agency_valid_until_id"))
        batch.drop_index(batch.f("ix_records_owner_agency_review_date_id"))
        batch.drop_column("valid_until")
        batch.drop_column("review_date")


def _fill(connection: sa.Connection) -> None:
    naive = connection.dialect.name == "sqlite"  # SQLite keeps times as naive UTC text
    statement = (sa.update(_records).where(_records.c.id == sa.bindparam("record_id"))
                 .values(review_date=sa.bindparam("review"), valid_until=sa.bindparam("until")))
    after = ""
    while True:
        rows = connection.execute(
            sa.select(_records.c.id, _records.c.kind, _versions.c.body)
            .select_from(_records.join(_versions, sa.and_(
                _versions.c.record_id == _records.c.id,
                _versions.c.version == _records.c.version)))
            .where(_records.c.id > after).order_by(_records.c.id).limit(BATCH)).all()
        if not rows:
            return
        after = rows[-1].id
        values = [v for v in (_values(row.id, row.kind, row.body, naive) for row in rows)
                  if v is not None]
        if values:
            connection.execute(statement, values)


def _values(record_id: str, kind: str, body: Any, naive: bool) -> dict[str, Any] | None:
    review = (body.get("markings") or {}).get("review_date")
    until = (body.get("details") or {}).get("valid_until") if kind in VALIDITY_KINDS else None
    if review is None and until is None:
        return None
    moment = None
    if until is not None:
        parsed = dt.datetime.fromisoformat(str(until).replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=dt.UTC)
        moment = parsed.astimezone(dt.UTC)
        if naive:
            moment = moment.replace(tzinfo=None)
    return {"record_id": record_id,
            "review": None if review is None else dt.date.fromisoformat(str(review)),
            "until": moment}
