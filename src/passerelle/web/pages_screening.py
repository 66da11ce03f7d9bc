"""Screening a traveller list: the upload, then the job's live progress.

The file goes straight to the API (``POST /api/v1/screenings`` as ``text/csv``) from the
page's script, which shows the upload's progress, then follows the job until it ends. The list
is screened in the background against every alert the node holds; the job tells counts only,
and the matches wait in the review queue.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import HTMLResponse

from passerelle.api.hit_models import job_out
from passerelle.domain.users import Role
from passerelle.web.page import PageDep

router = APIRouter(include_in_schema=False)
JobId = Annotated[str, Path(pattern=r"^screening--[0-9a-f-]{36}$", max_length=60)]


@router.get("/screening", response_class=HTMLResponse)
def screening_form(page: PageDep) -> HTMLResponse:
    """Choose a list (the CSV of docs/screening.md) and name it."""
    page.require(Role.ANALYST, Role.REVIEWER)
    page.personal()
    return page.render("screening.html")


@router.get("/screening/{job_id}", response_class=HTMLResponse)
def screening_job(job_id: JobId, page: PageDep) -> HTMLResponse:
    """The job's progress, updated live by the page's script."""
    page.require(Role.ANALYST, Role.REVIEWER)
    job = job_out(page.node.screening.job(page.caller(), job_id))
    return page.render("screening_job.html", job=job.model_dump(mode="json"))
