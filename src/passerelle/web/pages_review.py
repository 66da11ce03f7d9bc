"""The review queue: each candidate beside the alert and its subject, confirmed (the hit
report leaves for the issuer at once) or dismissed, always with a justification."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from passerelle.domain.codec import record_to_dict
from passerelle.domain.hits import CandidateStatus, Sighting
from passerelle.domain.users import Role
from passerelle.errors import PasserelleError, ValidationFailed
from passerelle.matching.model import Band
from passerelle.web.labels import record_label
from passerelle.web.page import Page, PageDep

router = APIRouter(include_in_schema=False)
CandidateId = Annotated[str, Path(pattern=r"^candidate--[0-9a-f-]{36}$", max_length=60)]
SIGHTING_FIELDS = ("found_at", "place", "reason_of_check", "action_taken", "route",
                   "destination", "companions", "vehicle", "objects_carried", "remarks")
LIST_FIELDS = ("companions", "objects_carried")


def query_name(query: dict[str, Any]) -> str:
    """The name a check was made with (a traveller's, or a partner record's)."""
    for key in ("full_name", "name_original_script"):
        if query.get(key):
            return str(query[key])
    given, family = query.get("given_name", ""), query.get("family_name", "")
    if given or family:
        return f"{given} {family}".strip()
    details = query.get("details", {})
    if isinstance(details, dict):
        return " ".join(str(details.get(k, "")) for k in ("given_names", "family_name")).strip()
    return str(query.get("id", ""))


@router.get("/review", response_class=HTMLResponse)
def review_queue(page: PageDep, status: Annotated[str, Query(max_length=20)] = "pending",
                 fragment: int = 0) -> HTMLResponse:
    """Pending candidates first by id; ``fragment`` renders the table alone (live updates)."""
    page.require(Role.REVIEWER)
    caller = page.personal()
    wanted = CandidateStatus(status) if status in {s.value for s in CandidateStatus} \
        else CandidateStatus.PENDING
    items = page.node.review.queue(caller, wanted, None, 200)
    rows = [{"id": i.candidate.id, "name": query_name(i.candidate.query),
             "source": i.candidate.source.value, "issuer": i.candidate.issuer,
             "score": i.candidate.score, "band": _band(i.candidate.score),
             "covert": i.covert, "created_at": i.candidate.created_at,
             "alert": record_label(i.alert) if i.alert else i.candidate.alert_id}
            for i in items]
    counts = {k.value: v for k, v in page.node.review.counts(caller).items()}
    template = "review_rows.html" if fragment else "review.html"
    return page.render(template, rows=rows, counts=counts, shown=wanted.value,
                       statuses=[s.value for s in CandidateStatus])


def _band(score: float) -> str:
    band = Band.of(score)
    return band.value if band is not None else ""


def _candidate_page(page: Page, candidate_id: str, values: dict[str, str],
                    errors: dict[str, str], status: int = 200) -> HTMLResponse:
    item = page.node.review.item(page.personal(), candidate_id)
    c = item.candidate
    return page.render(
        "candidate.html", status=status, c=c, query=c.query, query_name=query_name(c.query),
        alert=record_to_dict(item.alert) if item.alert else None,
        subject=record_to_dict(item.subject) if item.subject else None,
        subject_label=record_label(item.subject) if item.subject else "",
        covert=item.covert, band=_band(c.score), features=c.features,
        values=values, errors=errors, pending=c.status is CandidateStatus.PENDING)


@router.get("/review/{candidate_id}", response_class=HTMLResponse)
def candidate(candidate_id: CandidateId, page: PageDep) -> HTMLResponse:
    """Query, alert and explanation side by side, with the two decisions."""
    page.require(Role.REVIEWER)
    now = page.node.clock.now()
    return _candidate_page(page, candidate_id, {"found_at": now.strftime("%Y-%m-%dT%H:%M")}, {})


def _sighting(form: FormData) -> Sighting:
    text = {name: str(form.get(name, "")).strip() for name in SIGHTING_FIELDS}
    try:
        found_at = dt.datetime.fromisoformat(text["found_at"]).replace(tzinfo=dt.UTC)
    except ValueError:
        raise ValidationFailed("when the person was found, as a date and time (UTC)",
                               field="found_at") from None
    lists = {name: tuple(line.strip() for line in text[name].splitlines() if line.strip())
             for name in LIST_FIELDS}
    for name in ("place", "reason_of_check", "action_taken"):
        if not text[name]:
            raise ValidationFailed("required for the hit report", field=name)
    return Sighting(found_at=found_at, place=text["place"],
                    reason_of_check=text["reason_of_check"],
                    action_taken=text["action_taken"], route=text["route"],
                    destination=text["destination"], companions=lists["companions"],
                    vehicle=text["vehicle"], objects_carried=lists["objects_carried"],
                    remarks=text["remarks"])


def _field_of(error: PasserelleError, decision: str) -> str:
    name = (error.field or "").rpartition(".")[2]
    if name in SIGHTING_FIELDS:
        return name
    return f"{decision}_justification"


async def _decide(page: Page, candidate_id: str, decision: str) -> Response:
    page.require(Role.REVIEWER)
    caller = page.personal()
    form = await page.form()
    values = {k: str(v) for k, v in form.items() if k != "csrf"}
    why = str(form.get("justification", "")).strip()
    try:
        if len(why) < 10:
            raise ValidationFailed("say why, in at least 10 characters", field="justification")
        if decision == "confirm":
            report = page.node.review.confirm(caller, candidate_id, why, _sighting(form))
            return RedirectResponse(f"/hits/{report.id}?reported=1", status_code=303)
        page.node.review.dismiss(caller, candidate_id, why)
    except ValidationFailed as error:
        values[f"{decision}_justification"] = why
        return _candidate_page(page, candidate_id, values,
                               {_field_of(error, decision): error.detail}, 422)
    return RedirectResponse("/review?dismissed=1", status_code=303)


@router.post("/review/{candidate_id}/confirm", response_model=None)
async def confirm(candidate_id: CandidateId, page: PageDep) -> Response:
    """The alert's subject: report the hit to the issuer."""
    return await _decide(page, candidate_id, "confirm")


@router.post("/review/{candidate_id}/dismiss", response_model=None)
async def dismiss(candidate_id: CandidateId, page: PageDep) -> Response:
    """Not the subject: nothing is reported."""
    return await _decide(page, candidate_id, "dismiss")
