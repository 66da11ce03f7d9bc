"""The record-time index carries the id, so that a narrow time range is read and sorted from the
index alone: PostgreSQL otherwise walks the primary key through a million rows to fill a page.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("records") as batch:
        batch.drop_index(batch.f("ix_records_record_time"))
        batch.create_index(batch.f("ix_records_record_time_id"), ["record_time", "id"])


def downgrade() -> None:
    with op.batch_alter_table("records") as batch:
        batch.drop_index(batch.f("ix_records_record_time_id"))
        batch.create_index(batch.f("ix_records_record_time"), ["record_time"])
