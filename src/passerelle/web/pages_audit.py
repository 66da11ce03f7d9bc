"""The audit view, for auditors (data-protection officers): search the log by user, record,
action and time, verify the hash chain, export what was found. Every search and export is
itself written to the log by the service."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from passerelle.domain.audit import AuditAction
from passerelle.domain.users import Role
from passerelle.errors import ValidationFailed
from passerelle.ports import AuditQuery
from passerelle.web.page import Page, PageDep

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Query(max_length=200)]
PAGE_SIZE = 100


def _instant(text: str, field: str) -> dt.datetime | None:
    if not text.strip():
        return None
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValidationFailed("a date and time, e.g. 2026-12-06T09:00", field=field) from None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _people(page: Page) -> dict[str, str]:
    """``user:<id>`` -> username, to search and show people by the name they sign in with.
    Read as the node itself: auditors see who acted, not the accounts' settings."""
    return {user.principal: user.username for user in page.node.accounts.list_users(None)}


def _actor(text: str, people: dict[str, str]) -> str | None:
    text = text.strip()
    if not text:
        return None
    if text.startswith(("user:", "agency:")) or text == "system":
        return text
    for principal, username in people.items():
        if username == text:
            return principal
    raise ValidationFailed(f"no user signs in as {text!r} on this node", field="actor")


@router.get("/audit", response_class=HTMLResponse)
def audit(page: PageDep, actor: Text = "", record: Text = "", action: Text = "",
          time_from: Text = "", time_to: Text = "",
          after: Annotated[int, Query(ge=0)] = 0) -> HTMLResponse:
    """The search form and the entries found, in sequence order."""
    page.require(Role.AUDITOR)
    people = _people(page)
    values = {"actor": actor, "record": record, "action": action, "time_from": time_from,
              "time_to": time_to}
    errors: dict[str, str] = {}
    entries: list[Any] = []
    export = ""
    try:
        query = AuditQuery(actor=_actor(actor, people), record_id=record.strip() or None,
                           action=action if action in {a.value for a in AuditAction} else None,
                           time_from=_instant(time_from, "time_from"),
                           time_to=_instant(time_to, "time_to"))
    except ValidationFailed as error:
        errors[error.field or "actor"] = error.detail
    else:
        entries = page.node.audit.search(page.caller(), query, after, PAGE_SIZE)
        filters = {"actor": query.actor, "record_id": query.record_id, "action": query.action,
                   "time_from": query.time_from.isoformat() if query.time_from else None,
                   "time_to": query.time_to.isoformat() if query.time_to else None}
        export = "/api/v1/audit/export?" + urlencode({k: v for k, v in filters.items() if v})
    next_after = entries[-1].seq if len(entries) == PAGE_SIZE else None
    return page.render("audit.html", status=422 if errors else 200, values=values,
                       errors=errors, entries=entries, people=people,
                       actions=[a.value for a in AuditAction], export=export,
                       next_after=next_after, searched=any(values.values()) or after > 0)


@router.get("/audit/verify", response_class=HTMLResponse)
def verify(page: PageDep) -> HTMLResponse:
    """Walk the whole chain; a break is a finding, shown with the first bad entry."""
    page.require(Role.AUDITOR)
    report = page.node.audit.verify(page.caller())
    return page.render("audit_verify.html", report=report)
