"""Federation: how far this node has read each partner's feed (a pull resumes from it).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sync_checkpoints",
        sa.Column("partner", sa.String(63).with_variant(sa.String(63, collation="C"),
                                                        "postgresql"), nullable=False),
        sa.Column("date_added", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("partner", name=op.f("pk_sync_checkpoints")),
    )


def downgrade() -> None:
    op.drop_table("sync_checkpoints")
