"""Peer trust: the registered keys of partner nodes and the nonces of accepted signed requests.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _key(length: int) -> sa.types.TypeEngine[str]:
    return sa.String(length).with_variant(sa.String(length, collation="C"), "postgresql")


def _time() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _index(table: str, *columns: str) -> None:
    with op.batch_alter_table(table) as batch:
        batch.create_index(batch.f(f"ix_{table}_{'_'.join(columns)}"), list(columns))


def upgrade() -> None:
    op.create_table(
        "peers",
        sa.Column("key_id", _key(64), nullable=False),
        sa.Column("agency_id", _key(63), nullable=False),
        sa.Column("public_key", sa.String(44), nullable=False),
        sa.Column("base_url", sa.Text(), nullable=False),
        sa.Column("added_at", _time(), nullable=False),
        sa.Column("added_by", sa.String(200), nullable=False),
        sa.Column("revoked_at", _time(), nullable=True),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"],
                                name=op.f("fk_peers_agency_id_agencies")),
        sa.PrimaryKeyConstraint("key_id", name=op.f("pk_peers")),
    )
    _index("peers", "agency_id", "added_at")
    op.create_table(
        "seen_nonces",
        sa.Column("key_id", _key(64), nullable=False),
        sa.Column("nonce", _key(128), nullable=False),
        sa.Column("keep_until", _time(), nullable=False),
        sa.PrimaryKeyConstraint("key_id", "nonce", name=op.f("pk_seen_nonces")),
        sqlite_with_rowid=False,
    )
    _index("seen_nonces", "keep_until")


def downgrade() -> None:
    op.drop_table("seen_nonces")
    op.drop_table("peers")
