"""Federation: the outbox of objects to push to partners' nodes (revocations, later alerts).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _key(length: int) -> sa.types.TypeEngine[str]:
    return sa.String(length).with_variant(sa.String(length, collation="C"), "postgresql")


def _time() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", _key(64), nullable=False),
        sa.Column("partner", _key(63), nullable=False),
        sa.Column("object", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
                  nullable=False),
        sa.Column("object_id", _key(300), nullable=False),
        sa.Column("object_version", sa.Text(), nullable=False),
        sa.Column("enqueued_at", _time(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", _time(), nullable=False),
        sa.Column("delivered_at", _time(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )
    with op.batch_alter_table("outbox") as batch:
        batch.create_index(batch.f("ix_outbox_delivered_at_next_attempt_at"),
                           ["delivered_at", "next_attempt_at"])
        batch.create_index(batch.f("ix_outbox_partner_object_id"), ["partner", "object_id"])


def downgrade() -> None:
    op.drop_table("outbox")
