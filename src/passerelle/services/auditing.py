"""The auditor's view of the log: search, export and verification. Nobody edits the log."""

from __future__ import annotations

from collections.abc import Iterator

from passerelle.domain.audit import AuditAction, AuditEntry, AuditEvent, ChainReport, verify_chain
from passerelle.domain.policy import may_use_role
from passerelle.domain.users import Role
from passerelle.errors import Forbidden
from passerelle.ports import AuditQuery, UnitOfWorkFactory
from passerelle.services.caller import Caller


class AuditService:
    """Read-only access to the audit log for auditors, and chain verification."""

    def __init__(self, transactions: UnitOfWorkFactory, audit_key: bytes) -> None:
        self._transactions = transactions
        self._key = audit_key

    def _auditor(self, caller: Caller | None) -> None:
        if caller is not None and not may_use_role(caller.user, Role.AUDITOR):
            raise Forbidden("needs the auditor role")

    def verify(self, caller: Caller | None = None) -> ChainReport:
        """Walk the whole chain; the report names the first broken entry, if any."""
        self._auditor(caller)
        with self._transactions() as tx:
            return verify_chain(self._key, tx.audit.scan(), tx.audit.head())

    def search(self, caller: Caller, query: AuditQuery, after_seq: int, limit: int
               ) -> list[AuditEntry]:
        """Entries matching ``query``; the search itself is logged."""
        self._auditor(caller)
        with self._transactions() as tx:
            found = tx.audit.entries(query, after_seq, limit)
            tx.audit.append([AuditEvent(AuditAction.SEARCH, caller.actor,
                                        caller.user.agency_id, None, caller.justification,
                                        {"audit_query": _describe(query), "after": after_seq})])
            tx.commit()
        return found

    def export(self, caller: Caller | None, query: AuditQuery = AuditQuery(),
               batch: int = 5000) -> Iterator[AuditEntry]:
        """Every matching entry in sequence order; the export is logged first."""
        self._auditor(caller)
        with self._transactions() as tx:
            tx.audit.append([AuditEvent(
                AuditAction.EXPORT, caller.actor if caller else "system",
                caller.user.agency_id if caller else "", None,
                caller.justification if caller else "", {"audit_query": _describe(query)})])
            tx.commit()
        after = 0
        while True:
            with self._transactions() as tx:
                found = tx.audit.entries(query, after, batch)
            yield from found
            if len(found) < batch:
                return
            after = found[-1].seq


def _describe(query: AuditQuery) -> dict[str, object]:
    return {
        "actor": query.actor,
        "record_id": query.record_id,
        "action": query.action,
        "time_from": query.time_from.isoformat() if query.time_from else None,
        "time_to": query.time_to.isoformat() if query.time_to else None,
    }
