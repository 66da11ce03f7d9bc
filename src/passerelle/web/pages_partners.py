"""Partners and federation status: for each partner agency, its node's address and key, the
legal basis of transfers to it, when this node last pulled its feed, what waits in the outbox
for it, and when the two last spoke."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from passerelle.web.page import PageDep

router = APIRouter(include_in_schema=False)


@router.get("/partners", response_class=HTMLResponse)
def partners(page: PageDep, fragment: int = 0) -> HTMLResponse:
    """No personal data: any signed-in user may see how the federation is doing."""
    now = page.node.clock.now()
    rows = [{"status": p, "state": p.state(now).value, "lag": p.sync_lag(now)}
            for p in page.node.partner_status.partners(page.caller())]
    return page.render("partners_rows.html" if fragment else "partners.html", rows=rows,
                       now=now)
