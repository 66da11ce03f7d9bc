"""The records pointing at a record: the documents a person holds, the alerts on a person or a
document, the relationships whose source or target it is, the events and reports naming it.

The store reads them from its reference index (``RecordRepository.referring``), without the
policy; here they are cut to those the caller may consult. The index is read once, for up to
``SCAN_FACTOR`` times the page, and the first ``limit`` the caller may see are kept: like a
search page, a list drowned in records the caller may not see ends early rather than reading
without bound. ``RecordService.referring`` owns the transaction, the checks on the target and
the audit entry.
"""

from __future__ import annotations

import datetime as dt

from passerelle.domain.policy import Action, decide
from passerelle.domain.records import Record
from passerelle.domain.users import User
from passerelle.errors import ValidationFailed
from passerelle.ports import UnitOfWork

MAX_REFERRING = 1000
SCAN_FACTOR = 20


def check_referring_limit(limit: int) -> None:
    """Refuse a page size outside 1 to ``MAX_REFERRING``."""
    if not 1 <= limit <= MAX_REFERRING:
        raise ValidationFailed(f"1 to {MAX_REFERRING}", field="limit")


def visible_referring(tx: UnitOfWork, user: User, record_id: str, limit: int,
                      today: dt.date) -> list[tuple[str, Record]]:
    """Up to ``limit`` (role, record) pairs pointing at ``record_id`` that ``user`` may read,
    in the store's order (kind, id, role)."""
    candidates = tx.records.referring(record_id, limit * SCAN_FACTOR)
    visible = [(role, record) for role, record in candidates
               if decide(user, record, Action.READ, today).allowed]
    return visible[:limit]
