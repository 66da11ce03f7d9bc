"""Initial schema: agencies, users, API tokens, versioned records with their search index, and
the hash-chained audit log with its head.

Revision ID: 0001
Revises:
Create Date: 2026-11-22

Migrations are frozen history: they spell out plain SQLAlchemy types instead of importing the
application's (``storage.types``), which may change later without rewriting the past.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENESIS = "0" * 64


def _key(length: int) -> sa.types.TypeEngine[str]:
    return sa.String(length).with_variant(sa.String(length, collation="C"), "postgresql")


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _time() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _index(table: str, *columns: str) -> None:
    with op.batch_alter_table(table) as batch:
        batch.create_index(batch.f(f"ix_{table}_{'_'.join(columns)}"), list(columns))


def upgrade() -> None:
    op.create_table(
        "agencies",
        sa.Column("id", _key(63), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("eu_member", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agencies")),
    )
    op.create_table(
        "users",
        sa.Column("id", _key(100), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("agency_id", sa.String(63), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("roles", _json(), nullable=False),
        sa.Column("compartments", _json(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", _key(100), nullable=False),
        sa.Column("user_id", _key(100), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", _time(), nullable=False),
        sa.Column("expires_at", _time(), nullable=True),
        sa.Column("revoked_at", _time(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_api_tokens_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    _index("api_tokens", "user_id", "created_at")
    _create_records()
    _create_audit()


def _create_records() -> None:
    op.create_table(
        "records",
        sa.Column("id", _key(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("owner_agency", sa.String(63), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("record_time", _time(), nullable=False),
        sa.Column("modified_at", _time(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_records")),
        sqlite_with_rowid=False,
    )
    _index("records", "owner_agency", "id")
    _index("records", "record_time")
    op.create_table(
        "record_versions",
        sa.Column("record_id", _key(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("body", _json(), nullable=False),
        sa.Column("modified_at", _time(), nullable=False),
        sa.Column("modified_by", sa.String(200), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"],
                                name=op.f("fk_record_versions_record_id_records")),
        sa.PrimaryKeyConstraint("record_id", "version", name=op.f("pk_record_versions")),
    )
    op.create_table(
        "record_names",
        sa.Column("token", _key(100), nullable=False),
        sa.Column("record_id", _key(64), nullable=False),
        sa.PrimaryKeyConstraint("token", "record_id", name=op.f("pk_record_names")),
        sqlite_with_rowid=False,
    )
    _index("record_names", "record_id")
    op.create_table(
        "record_documents",
        sa.Column("number_key", _key(128), nullable=False),
        sa.Column("record_id", _key(64), nullable=False),
        sa.PrimaryKeyConstraint("number_key", "record_id", name=op.f("pk_record_documents")),
        sqlite_with_rowid=False,
    )
    _index("record_documents", "record_id")


def _create_audit() -> None:
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  autoincrement=False, nullable=False),
        sa.Column("at", _time(), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("agency_id", sa.String(63), nullable=False),
        sa.Column("record_id", sa.String(64), nullable=True),
        sa.Column("justification", sa.Text(), nullable=False),
        sa.Column("details", _json(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_log")),
    )
    _index("audit_log", "actor", "seq")
    _index("audit_log", "record_id", "seq")
    _index("audit_log", "at")
    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_audit_head_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    # The head row exists from the start: appenders lock it, so it must never need inserting.
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": GENESIS}])


def downgrade() -> None:
    for table in ("audit_head", "audit_log", "record_documents", "record_names",
                  "record_versions", "records", "api_tokens", "users", "agencies"):
        op.drop_table(table)
