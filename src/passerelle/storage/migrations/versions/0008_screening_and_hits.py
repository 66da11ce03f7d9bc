"""Alerts: screening jobs, the review queue of candidates, hit reports and their messages.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _key(length: int) -> sa.types.TypeEngine[str]:
    return sa.String(length).with_variant(sa.String(length, collation="C"), "postgresql")


def _time() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "screening_jobs",
        sa.Column("id", _key(64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("submitted_by", sa.String(200), nullable=False),
        sa.Column("submitted_at", _time(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("candidates", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("finished_at", _time(), nullable=True),
        sa.Column("rows", _json(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_jobs")),
    )
    op.create_table(
        "screening_marks",
        sa.Column("name", _key(63), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_screening_marks")),
    )
    op.create_table(
        "candidates",
        sa.Column("id", _key(64), nullable=False),
        sa.Column("check_key", _key(200), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("job_id", _key(64), nullable=True),
        sa.Column("row", sa.Integer(), nullable=True),
        sa.Column("record_id", _key(64), nullable=True),
        sa.Column("query", _json(), nullable=False),
        sa.Column("alert_id", _key(64), nullable=False),
        sa.Column("alert_version", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(63), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("features", _json(), nullable=False),
        sa.Column("created_at", _time(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reviewed_by", sa.String(200), nullable=False),
        sa.Column("reviewed_at", _time(), nullable=True),
        sa.Column("justification", sa.Text(), nullable=False),
        sa.Column("hit_id", _key(64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidates")),
        sa.UniqueConstraint("check_key", name=op.f("uq_candidates_check_key")),
    )
    op.create_table(
        "hits",
        sa.Column("id", _key(64), nullable=False),
        sa.Column("direction", sa.String(16), nullable=False),
        sa.Column("alert_id", _key(64), nullable=False),
        sa.Column("issuer", sa.String(63), nullable=False),
        sa.Column("finder", sa.String(63), nullable=False),
        sa.Column("sighting", _json(), nullable=False),
        sa.Column("reported_by", sa.String(200), nullable=False),
        sa.Column("reported_at", _time(), nullable=False),
        sa.Column("candidate_id", _key(64), nullable=True),
        sa.Column("answered_at", _time(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hits")),
    )
    op.create_table(
        "hit_messages",
        sa.Column("id", _key(64), nullable=False),
        sa.Column("hit_id", _key(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("agency", sa.String(63), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("at", _time(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hit_messages")),
    )
    with op.batch_alter_table("screening_jobs") as batch:
        batch.create_index(batch.f("ix_screening_jobs_status_submitted_at"),
                           ["status", "submitted_at"])
    with op.batch_alter_table("candidates") as batch:
        batch.create_index(batch.f("ix_candidates_status_id"), ["status", "id"])
    with op.batch_alter_table("hits") as batch:
        batch.create_index(batch.f("ix_hits_direction_answered_at_reported_at"),
                           ["direction", "answered_at", "reported_at"])
    with op.batch_alter_table("hit_messages") as batch:
        batch.create_index(batch.f("ix_hit_messages_hit_id_at"), ["hit_id", "at"])


def downgrade() -> None:
    for name in ("hit_messages", "hits", "candidates", "screening_marks", "screening_jobs"):
        op.drop_table(name)
