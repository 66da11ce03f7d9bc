"""Record names: the spelling keys of every person's and organisation's names, so that a
sounds-like search ("Yusuf", "Jusuf", "يوسف" for "Youssef") finds the records stored before it.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-12

The keys are extra rows of ``record_names``, ``~`` + a consonant skeleton of
``matching.blocking.spelling_keys`` (a name token is made of word characters only, so the two
never collide); no table changes. Existing records are read in batches of ``BATCH`` ids per
kind, their names taken from the latest body as stored (as ``Person.all_names`` does, not
through the application's codec, so that this migration keeps working when the codec changes).
The skeletons are the matcher's at the time the migration runs: the keys the application
writes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from passerelle.matching.blocking import spelling_keys

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 2000
NAMED_KINDS = ("organisation", "person")
PREFIX = "~"
PAST_PREFIX = chr(ord(PREFIX) + 1)  # "\x7f": below any non-ASCII token in UTF-8 bytes
TOKEN_LENGTH = 100

_records = sa.table(
    "records", sa.column("id", sa.String(64)), sa.column("version", sa.Integer()))
_versions = sa.table(
    "record_versions", sa.column("record_id", sa.String(64)), sa.column("version", sa.Integer()),
    sa.column("body", sa.JSON().with_variant(postgresql.JSONB(), "postgresql")))
_names = sa.table(
    "record_names", sa.column("token", sa.String(TOKEN_LENGTH)),
    sa.column("record_id", sa.String(64)))


def upgrade() -> None:
    connection = op.get_bind()
    _drop_keys(connection)  # a re-run after a failed upgrade starts from a clean slate
    for kind in NAMED_KINDS:
        _fill(connection, kind)


def downgrade() -> None:
    _drop_keys(op.get_bind())


def _drop_keys(connection: sa.Connection) -> None:
    # Every key starts with "~" (0x7E) and every name token with a word character, ASCII
    # (below 0x7E) or not (0x80 and up in UTF-8, compared byte by byte): a range of the
    # primary key holds exactly the keys.
    connection.execute(sa.delete(_names).where(_names.c.token >= PREFIX,
                                               _names.c.token < PAST_PREFIX))


def _fill(connection: sa.Connection, kind: str) -> None:
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
        keys = [{"record_id": row.id, "token": key}
                for row in rows for key in _keys(row.body.get("details") or {})]
        if keys:
            connection.execute(sa.insert(_names), keys)


def _keys(details: dict[str, Any]) -> set[str]:
    return {(PREFIX + key.removeprefix("s:"))[:TOKEN_LENGTH]
            for name in _all_names(details) for word in spelling_keys(name) for key in word}


def _all_names(details: dict[str, Any]) -> Iterator[str]:
    """A person's or an organisation's names as written (``Person.all_names``)."""
    parts = (details.get("given_names") or "", details.get("family_name") or "")
    full = " ".join(part for part in parts if part.strip())
    if full:
        yield full
    if details.get("name"):
        yield str(details["name"])
    yield from details.get("names_original_script") or ()
    yield from details.get("aliases") or ()
