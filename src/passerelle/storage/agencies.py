"""Partner agencies in SQL: a handful of rows, written by administrators."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select, update

from passerelle.domain.agencies import Agency
from passerelle.storage.conflicts import stored_meanwhile_is_conflict
from passerelle.storage.schema import AGENCIES


def _agency(row: Any) -> Agency:
    return Agency(id=row.id, name=row.name, country=row.country, eu_member=row.eu_member)


class SqlAgencyRepository:
    """``ports.AgencyRepository`` over one connection."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def upsert(self, agency: Agency) -> None:
        """Create or replace. An update-then-insert works the same on both databases; of two
        administrators creating the same agency at once, one gets ``Conflict``."""
        values = {"name": agency.name, "country": agency.country, "eu_member": agency.eu_member}
        changed = self._connection.execute(
            update(AGENCIES).where(AGENCIES.c.id == agency.id).values(values))
        if changed.rowcount == 0:
            with stored_meanwhile_is_conflict("the agency was created meanwhile", "id"):
                self._connection.execute(insert(AGENCIES).values(id=agency.id, **values))

    def get(self, agency_id: str) -> Agency | None:
        """By id."""
        row = self._connection.execute(
            select(AGENCIES).where(AGENCIES.c.id == agency_id)).first()
        return None if row is None else _agency(row)

    def list(self) -> list[Agency]:
        """Every agency, ordered by id."""
        return [_agency(row) for row in
                self._connection.execute(select(AGENCIES).order_by(AGENCIES.c.id))]
