"""Hits: the inbox of hit reports on this node's alerts and the hits it sent, each with its
12-hour reply deadline, the acknowledgement and the replies between the two bureaux."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from passerelle.domain.codec import dataclass_to_dict
from passerelle.domain.hits import Direction, MessageKind
from passerelle.domain.users import Role
from passerelle.errors import ValidationFailed
from passerelle.web.page import Page, PageDep

router = APIRouter(include_in_schema=False)
HitId = Annotated[str, Path(pattern=r"^hit--[0-9a-f-]{36}$", max_length=60)]
MAX_TEXT = 2000


@router.get("/hits", response_class=HTMLResponse)
def hits(page: PageDep, direction: Annotated[str, Query(max_length=10)] = "received",
         fragment: int = 0) -> HTMLResponse:
    """Received (the issuer's inbox) or sent; ``fragment`` renders the table alone."""
    page.require(Role.ANALYST, Role.REVIEWER)
    wanted = Direction.SENT if direction == "sent" else Direction.RECEIVED
    now = page.node.clock.now()
    found = page.node.hits.hits(page.personal(), wanted, None, 200)
    rows = [{"id": h.id, "alert_id": h.alert_id, "issuer": h.issuer, "finder": h.finder,
             "place": h.sighting.place, "found_at": h.sighting.found_at,
             "reported_at": h.reported_at, "reply_due": h.reply_due,
             "answered_at": h.answered_at, "overdue": h.overdue(now)}
            for h in sorted(found, key=lambda h: h.reported_at, reverse=True)]
    return page.render("hits_rows.html" if fragment else "hits.html", rows=rows,
                       direction=wanted.value)


def _hit_page(page: Page, hit_id: str, errors: dict[str, str], values: dict[str, str],
              status: int = 200, reported: bool = False) -> HTMLResponse:
    report = page.node.hits.hit(page.personal(), hit_id)
    now = page.node.clock.now()
    acknowledged = any(m.kind is MessageKind.ACKNOWLEDGEMENT for m in report.messages)
    return page.render("hit.html", status=status, hit=report,
                       sighting=dataclass_to_dict(report.sighting),
                       overdue=report.overdue(now), acknowledged=acknowledged,
                       received=report.direction is Direction.RECEIVED, errors=errors,
                       values=values, reported=reported)


@router.get("/hits/{hit_id}", response_class=HTMLResponse)
def hit(hit_id: HitId, page: PageDep, reported: int = 0) -> HTMLResponse:
    """One hit report with its messages."""
    page.require(Role.ANALYST, Role.REVIEWER)
    return _hit_page(page, hit_id, {}, {}, reported=bool(reported))


async def _message(page: Page, hit_id: str, kind: MessageKind) -> Response:
    page.require(Role.ANALYST, Role.REVIEWER)
    form = await page.form()
    text = str(form.get("text", "")).strip()
    caller = page.personal()
    try:
        if len(text) > MAX_TEXT:
            raise ValidationFailed(f"at most {MAX_TEXT} characters", field="text")
        if kind is MessageKind.ACKNOWLEDGEMENT:
            page.node.hits.acknowledge(caller, hit_id, text)
        else:
            if not text:
                raise ValidationFailed("write the reply", field="text")
            page.node.hits.reply(caller, hit_id, text)
    except ValidationFailed as error:
        return _hit_page(page, hit_id, {f"{kind.value}_text": error.detail},
                         {f"{kind.value}_text": text}, 422)
    return RedirectResponse(f"/hits/{hit_id}", status_code=303)


@router.post("/hits/{hit_id}/acknowledge", response_model=None)
async def acknowledge(hit_id: HitId, page: PageDep) -> Response:
    """The issuer's acknowledgement, sent to the finder at once."""
    return await _message(page, hit_id, MessageKind.ACKNOWLEDGEMENT)


@router.post("/hits/{hit_id}/reply", response_model=None)
async def reply(hit_id: HitId, page: PageDep) -> Response:
    """A follow-up to the other bureau."""
    return await _message(page, hit_id, MessageKind.REPLY)
