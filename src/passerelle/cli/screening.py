"""``passerelle screening``: screen a traveller list against the node's watchlist (every alert
it holds), and follow a job.

``submit`` stores the list as a job, as ``POST /api/v1/screenings`` does (the CSV of the
screening contract, docs/screening.md; a bad row refuses the whole list, naming it), then, with
``--wait`` (the default), screens it in this process with a progress bar, or leaves it to the
server's screening worker with ``--no-wait``. Either way the job says counts only; the matches
go to the review queue, for reviewers (``GET /api/v1/candidates``). A job interrupted (Ctrl+C,
a crash) resumes where it stopped at the next ``passerelle screening resume`` or server pass.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from passerelle.cli.context import AS_HELP, caller_for, err, opened_node, out
from passerelle.domain.hits import JobStatus, ScreeningJob
from passerelle.interop.traveller_list import read_travellers
from passerelle.node import Node

app = typer.Typer(help="Screen traveller lists against every alert this node holds.",
                  no_args_is_help=True)

AsOption = Annotated[str | None, typer.Option("--as", help=AS_HELP)]


def _print(job: ScreeningJob) -> None:
    out().print(f"{escape(job.id)}  {job.status.value}  {job.done}/{job.total} screened, "
                f"{job.candidates} sent to review" + (f"  ({escape(job.error)})"
                                                      if job.error else ""))


def _run_with_progress(node: Node, job: ScreeningJob) -> ScreeningJob:
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[candidates]} to review"), TimeElapsedColumn(),
                  console=err()) as progress:
        task = progress.add_task(f"screening {job.name}", total=job.total,
                                 completed=job.done, candidates=job.candidates)

        def advance(current: ScreeningJob) -> None:
            progress.update(task, completed=current.done, candidates=current.candidates)

        return node.screening.run(job.id, advance)


@app.command("submit")
def submit_command(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True,
                                         help="The traveller list (CSV, docs/screening.md)")],
    justification: Annotated[str, typer.Option(
        "--justification", help="Why the list is screened; recorded in the audit log")],
    name: Annotated[str | None, typer.Option(
        "--name", help="What the list is (default: the file name)")] = None,
    wait: Annotated[bool, typer.Option(
        "--wait/--no-wait", help="Screen it now, in this process, with progress (default), "
        "or leave it to the server's screening worker")] = True,
    as_user: AsOption = None,
) -> None:
    """Submit a traveller list for screening; the matches go to the review queue."""
    list_name = name or file.name
    travellers = read_travellers(file, list_name)
    with opened_node() as node:
        job = node.screening.submit(caller_for(node, as_user, justification), list_name,
                                    travellers)
        if wait:
            job = _run_with_progress(node, job)
    _print(job)


@app.command("status")
def status_command(
    job_id: Annotated[str, typer.Argument(help="The job's id (screening--...)")],
    as_user: AsOption = None,
) -> None:
    """How far a screening job got: its status and counts."""
    with opened_node() as node:
        _print(node.screening.job(caller_for(node, as_user), job_id))


@app.command("resume")
def resume_command() -> None:
    """Screen every job queued or interrupted, with progress."""
    with opened_node() as node:
        jobs = node.screening.run_pending()
    for job in jobs:
        _print(job)
    if not jobs:
        out().print("no job waits")
    if any(job.status is JobStatus.FAILED for job in jobs):
        raise typer.Exit(1)
