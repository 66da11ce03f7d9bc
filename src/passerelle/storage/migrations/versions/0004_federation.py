"""Federation: legal bases per partner, transfer records, the per-partner release feed and
onward-transfer consents.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _key(length: int) -> sa.types.TypeEngine[str]:
    return sa.String(length).with_variant(sa.String(length, collation="C"), "postgresql")


def _time() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _seq() -> sa.types.TypeEngine[int]:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _index(table: str, *columns: str) -> None:
    with op.batch_alter_table(table) as batch:
        batch.create_index(batch.f(f"ix_{table}_{'_'.join(columns)}"), list(columns))


def upgrade() -> None:
    op.create_table(
        "legal_bases",
        sa.Column("partner", _key(63), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("reference", sa.Text(), nullable=False),
        sa.Column("justification", sa.Text(), nullable=False),
        sa.Column("recorded_at", _time(), nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("expires", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["partner"], ["agencies.id"],
                                name=op.f("fk_legal_bases_partner_agencies")),
        sa.PrimaryKeyConstraint("partner", name=op.f("pk_legal_bases")),
    )
    op.create_table(
        "transfers",
        sa.Column("seq", _seq(), autoincrement=True, nullable=False),
        sa.Column("id", _key(64), nullable=False),
        sa.Column("at", _time(), nullable=False),
        sa.Column("sender", sa.String(63), nullable=False),
        sa.Column("recipient", sa.String(63), nullable=False),
        sa.Column("record_id", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("basis", sa.String(32), nullable=False),
        sa.Column("reference", sa.Text(), nullable=False),
        sa.Column("justification", sa.Text(), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_transfers")),
        sa.UniqueConstraint("id", name=op.f("uq_transfers_id")),
    )
    _index("transfers", "recipient", "seq")
    _index("transfers", "record_id", "seq")
    _index("transfers", "at")
    op.create_table(
        "releases",
        sa.Column("seq", _seq(), autoincrement=True, nullable=False),
        sa.Column("partner", sa.String(63), nullable=False),
        sa.Column("date_added", _time(), nullable=False),
        sa.Column("record_id", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("change", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_releases")),
    )
    _index("releases", "partner", "date_added", "seq")
    _index("releases", "record_id", "partner")
    op.create_table(
        "onward_consents",
        sa.Column("record_id", _key(64), nullable=False),
        sa.Column("agency_id", _key(63), nullable=False),
        sa.Column("granted_by", sa.String(200), nullable=False),
        sa.Column("at", _time(), nullable=False),
        sa.PrimaryKeyConstraint("record_id", "agency_id", name=op.f("pk_onward_consents")),
    )


def downgrade() -> None:
    op.drop_table("onward_consents")
    op.drop_table("releases")
    op.drop_table("transfers")
    op.drop_table("legal_bases")
