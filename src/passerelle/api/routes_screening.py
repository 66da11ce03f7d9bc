"""Screening lists and the review queue.

A list is submitted as JSON or as the CSV of the screening contract (docs/screening.md) and
screened in the background; its job answers with counts only. Reviewers read the candidates
side by side with the alerts and confirm (the hit report leaves for the issuer at once) or
dismiss them, with a justification. Thin: the services own the rules, the audit and the
transaction.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError as PydanticValidationError

from passerelle.api.auth import CallerDep, NodeDep
from passerelle.api.hit_models import (
    CandidateOut,
    CandidatePage,
    Confirmation,
    Decision,
    HitOut,
    ScreeningCreate,
    ScreeningJobOut,
    candidate_out,
    hit_out,
    job_out,
)
from passerelle.api.limits import StrictJsonRoute, is_csv_media_type
from passerelle.api.models import problems_for
from passerelle.api.params import PageLimit
from passerelle.domain.hits import CandidateStatus
from passerelle.errors import BadRequest, ValidationFailed
from passerelle.interop.traveller_list import read_traveller_bytes

router = APIRouter(tags=["screening"], route_class=StrictJsonRoute)
SCREENINGS_PATH = "/screenings"
BODY_MODELS = (ScreeningCreate,)  # read by the route itself; added to OpenAPI by the app

JobId = Annotated[str, Path(pattern=r"^screening--[0-9a-f-]{36}$", max_length=60)]
CandidateId = Annotated[str, Path(pattern=r"^candidate--[0-9a-f-]{36}$", max_length=60)]
Cursor = Annotated[str | None, Query(max_length=80,
                                     description="`next_cursor` of the previous page")]

CSV_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": {"$ref": "#/components/schemas/ScreeningCreate"}},
    "text/csv": {"schema": {"type": "string"}, "example":
                 "id,full_name,date_of_birth,nationality\nPAX-0042,يوسف بن علي,1994-11-03,MA\n"}}}}


def _wake_worker(request: Request) -> None:
    worker = getattr(request.app.state, "screening_worker", None)
    if worker is not None:
        worker.wake()


async def _json_list(request: Request) -> ScreeningCreate:
    """The JSON body, its errors named as FastAPI's own validation names them."""
    try:
        data = await request.json()
    except ValueError:
        raise BadRequest("the body is not valid JSON", field="body") from None
    try:
        return ScreeningCreate.model_validate(data)
    except PydanticValidationError as error:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in error.errors()]) from None


@router.post(
    SCREENINGS_PATH, status_code=202, response_model=ScreeningJobOut,
    summary="Screen a traveller list",
    description="Store the list and screen it in the background against every alert this "
                "node holds; follow the job at its `Location`. JSON (`ScreeningCreate`) or "
                "`text/csv` in the screening contract (docs/screening.md), the list named by "
                "the `name` query parameter. A list with a bad row is refused whole, the row "
                "and column named. Needs the `Passerelle-Justification` header; audited as a "
                "search. The job tells counts only: matches go to the reviewers.",
    openapi_extra=CSV_BODY, responses=problems_for(400, 401, 403, 413, 415, 422))
async def submit_screening(
        request: Request, caller: CallerDep, node: NodeDep,
        name: Annotated[str | None, Query(max_length=200,
                                          description="The list's name (CSV bodies)")] = None,
) -> Response:
    """Parse by content type, then hand the travellers to the service."""
    if is_csv_media_type(request.headers.get("content-type", "")):
        list_name = (name or "").strip()
        if not list_name:
            raise ValidationFailed("name the list (query parameter name)", field="name")
        travellers = read_traveller_bytes(await request.body(), list_name)
    else:
        body = await _json_list(request)
        list_name, travellers = body.name, [t.entry() for t in body.travellers]
    job = node.screening.submit(caller, list_name, travellers)
    _wake_worker(request)
    location = str(request.url_for("get_screening", job_id=job.id))
    return JSONResponse(job_out(job).model_dump(mode="json"), status_code=202,
                        headers={"Location": location})


@router.get(SCREENINGS_PATH + "/{job_id}", response_model=ScreeningJobOut,
            summary="Follow a screening job",
            description="Status, travellers screened and checks sent to review.",
            responses=problems_for(401, 403, 404, 422))
def get_screening(job_id: JobId, caller: CallerDep, node: NodeDep) -> ScreeningJobOut:
    """Counts only."""
    return job_out(node.screening.job(caller, job_id))


@router.get("/candidates", response_model=CandidatePage, summary="Read the review queue",
            description="Candidates by id, pending ones unless `status` says otherwise, each "
                        "with the query, the alert, its subject and the explanation. "
                        "Reviewers only; needs the `Passerelle-Justification` header and is "
                        "audited as a consultation.",
            responses=problems_for(400, 401, 403, 422))
def list_candidates(
        caller: CallerDep, node: NodeDep, limit: PageLimit, after: Cursor = None,
        status: CandidateStatus | None = CandidateStatus.PENDING) -> Response:
    """Keyset paging on the candidate id."""
    items = node.review.queue(caller, status, after, limit)
    cursor = items[-1].candidate.id if len(items) == limit else None
    return JSONResponse({"items": [candidate_out(i) for i in items], "next_cursor": cursor,
                         "counts": {k.value: v for k, v in node.review.counts(caller).items()}})


@router.get("/candidates/{candidate_id}", response_model=CandidateOut,
            summary="Read one candidate",
            description="The query, the alert and the explanation side by side. Reviewers "
                        "only; audited as a consultation.",
            responses=problems_for(400, 401, 403, 404, 422))
def get_candidate(candidate_id: CandidateId, caller: CallerDep, node: NodeDep) -> Response:
    """One review item."""
    return JSONResponse(candidate_out(node.review.item(caller, candidate_id)))


@router.post("/candidates/{candidate_id}/confirm", status_code=201, response_model=HitOut,
             summary="Confirm a candidate: report the hit",
             description="The person or document is the alert's subject: the hit report "
                         "goes to the issuing agency at once over the federation's urgent "
                         "path, recorded in the transfer register and audited. A second "
                         "decision is refused with 409 `already_reviewed`; a partner abroad "
                         "with no legal basis recorded gives 403 `no_legal_basis`.",
             responses=problems_for(400, 401, 403, 404, 409, 422))
def confirm_candidate(candidate_id: CandidateId, body: Confirmation, caller: CallerDep,
                      node: NodeDep) -> Response:
    """Confirm with the sighting."""
    report = node.review.confirm(caller, candidate_id, body.justification,
                                 body.sighting.sighting())
    return JSONResponse(hit_out(report, node.clock.now()), status_code=201)


@router.post("/candidates/{candidate_id}/dismiss", response_model=CandidateOut,
             summary="Dismiss a candidate",
             description="Not the alert's subject: nothing is reported. Audited with the "
                         "justification; a second decision is refused with 409.",
             responses=problems_for(400, 401, 403, 404, 409, 422))
def dismiss_candidate(candidate_id: CandidateId, body: Decision, caller: CallerDep,
                      node: NodeDep) -> dict[str, Any]:
    """Dismiss with the reason."""
    node.review.dismiss(caller, candidate_id, body.justification)
    return candidate_out(node.review.item(caller, candidate_id))
