"""The dashboard: what waits for the user, without personal data (counts, dates, ids), so
that it needs no stated purpose. Each panel shows only to the roles it concerns."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from passerelle.domain.hits import CandidateStatus
from passerelle.domain.users import Role
from passerelle.web.labels import record_label
from passerelle.web.page import PageDep

router = APIRouter(include_in_schema=False)
EXPIRING_DAYS = 14
REVIEW_DAYS = 30
LISTED = 10


@router.get("/", response_class=HTMLResponse)
def dashboard(page: PageDep, fragment: int = 0) -> HTMLResponse:
    """New candidates, hits, alerts about to expire, reviews due and partner status."""
    node, caller, now = page.node, page.caller(), page.node.clock.now()
    panels: dict[str, Any] = {}
    if page.has(Role.REVIEWER):
        panels["candidates"] = node.review.counts(caller).get(CandidateStatus.PENDING, 0)
    if page.has(Role.ANALYST, Role.REVIEWER):
        panels["deadlines"] = node.hits.deadlines(caller)
    if page.has(Role.ANALYST):
        personal = page.purpose is not None
        alerts = node.records.expiring_alerts(caller, EXPIRING_DAYS, LISTED) if personal \
            else None
        due = node.records.due_for_review(caller, REVIEW_DAYS, LISTED) if personal else None
        panels["expiring"] = [{"id": r.id, "label": record_label(r),
                               "until": getattr(r.details, "valid_until", None)}
                              for r in alerts] if alerts is not None else None
        panels["due"] = [{"id": r.id, "kind": r.kind.value, "label": record_label(r),
                          "date": r.markings.review_date} for r in due] \
            if due is not None else None
    partners = node.partner_status.partners(caller)
    panels["partners"] = [{"status": p, "state": p.state(now).value, "lag": p.sync_lag(now)}
                          for p in partners]
    return page.render("dashboard_panels.html" if fragment else "dashboard.html", now=now,
                       expiring_days=EXPIRING_DAYS, review_days=REVIEW_DAYS, **panels)
