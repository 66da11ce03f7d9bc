"""``passerelle import`` and ``passerelle export``: STIX 2.1 bundle files in and out.

Import is all-or-nothing by default: a file is usually one consignment from one partner, and
storing half of it would leave the node in a state nobody sent. ``--partial`` stores what is
valid (as the TAXII and API bulk paths do). Either way every rejected object is listed with its
index in the bundle, its id, the field at fault and why, and the exit status is 1.

Export goes through ``RecordService.export``, which applies the policy to every record and
logs the export; exports that may contain personal data need ``--justification``. The file is
written to a temporary name and renamed at the end, so a failed export never leaves a
truncated bundle behind.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from passerelle.cli.context import AS_HELP, caller_for, err, opened_node, out
from passerelle.domain.records import Record, RecordKind
from passerelle.errors import JustificationRequired, PasserelleError
from passerelle.interop.stix import ImportedObject, bundle
from passerelle.interop.stix.pipeline import collector_paused, read_in_chunks
from passerelle.ports import RecordQuery
from passerelle.services.imports import ImportOutcome, ImportStatus
from passerelle.services.records import PERSONAL_KINDS

MAX_ROWS = 200  # rejected objects listed in full; beyond, only counted

AsOption = Annotated[str | None, typer.Option("--as", help=AS_HELP)]
JustificationOption = Annotated[str, typer.Option(
    "--justification", help="Why the data is imported or exported; recorded in the audit log "
    "(required to export personal data: persons, documents and alerts)")]


class ExportFormat(str, Enum):
    """File formats ``passerelle export`` writes."""

    STIX = "stix"


def _progress(*columns: ProgressColumn) -> Progress:
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), *columns,
                    TimeElapsedColumn(), console=err())


def import_command(
    file: Annotated[Path, typer.Argument(
        exists=True, dir_okay=False, readable=True, help="The STIX 2.1 bundle (JSON) to read")],
    partial: Annotated[bool, typer.Option(
        "--partial", help="Store the valid objects even when others are rejected (default: "
        "store nothing unless every object is valid)")] = False,
    justification: JustificationOption = "",
    as_user: AsOption = None,
) -> None:
    """Import records from a STIX 2.1 bundle file. Exit 1 if any object was rejected."""
    with opened_node() as node, _progress(BarColumn(), MofNCompleteColumn()) as progress:
        task = progress.add_task(f"importing {file.name}", total=None)
        found = _Found()
        with collector_paused():
            chunks = read_in_chunks(file.read_bytes(), default_owner=node.settings.agency_id)
            outcomes = node.imports.import_stream(
                caller_for(node, as_user, justification), found.candidates(chunks),
                atomic=not partial, progress=lambda n: progress.advance(task, n))
        progress.update(task, total=found.objects, completed=found.objects)
    _report(outcomes, found.positions, found.objects - len(found.positions), partial)


class _Found:
    """Counts the objects read and remembers where each candidate came from in the bundle
    (the service numbers its outcomes by candidate; the operator needs the bundle's index)."""

    def __init__(self) -> None:
        self.objects = 0
        self.positions: list[tuple[int, str | None]] = []

    def candidates(self, chunks: Iterable[list[ImportedObject]]
                   ) -> Iterator[list[Record | PasserelleError]]:
        for chunk in chunks:
            self.objects += len(chunk)
            candidates, positions = _candidates(chunk)
            self.positions += positions
            yield candidates


def _candidates(objects: list[ImportedObject]
                ) -> tuple[list[Record | PasserelleError], list[tuple[int, str | None]]]:
    """What to hand to the import service, and where each came from in the bundle (the
    service numbers its outcomes by candidate; the operator needs the bundle's index)."""
    candidates: list[Record | PasserelleError] = []
    positions: list[tuple[int, str | None]] = []
    for obj in objects:
        if obj.record is not None:
            candidates.append(obj.record)
        elif obj.error is not None:
            candidates.append(obj.error)
        else:  # markings, definitions, identities: they describe the records
            continue
        positions.append((obj.index, obj.stix_id))
    return candidates, positions


def _report(outcomes: list[ImportOutcome], positions: list[tuple[int, str | None]],
            context: int, partial: bool) -> None:
    counts = Counter(o.status for o in outcomes)
    rejected = [o for o in outcomes if o.status is ImportStatus.REJECTED]
    console = out()
    if rejected:
        table = Table("index", "id", "code", "field", "detail",
                      title=f"{len(rejected)} objects rejected")
        for outcome in rejected[:MAX_ROWS]:
            index, stix_id = positions[outcome.index]
            table.add_row(str(index), escape(stix_id or outcome.record_id or "-"),
                          outcome.code or "-", escape(outcome.field or "-"),
                          escape(outcome.detail or ""))
        err().print(table)
        if len(rejected) > MAX_ROWS:
            err().print(f"... and {len(rejected) - MAX_ROWS} more")
    summary = ", ".join(f"{counts[s]} {s.value.replace('_', ' ')}" for s in ImportStatus
                        if counts[s])
    console.print(f"{summary or 'no record'}; {context} context objects (markings, "
                  "definitions, identities)")
    if rejected:
        if not partial:
            console.print("[red]nothing was stored[/]: fix the objects above, or use --partial "
                          "to store the valid ones")
        raise typer.Exit(1)


def _counted(records: Iterable[Record], progress: Progress) -> Iterator[Record]:
    task = progress.add_task("exporting records", total=None)
    for record in records:
        progress.advance(task)
        yield record


def _personal(kinds: frozenset[RecordKind]) -> bool:
    return not kinds or bool(kinds & PERSONAL_KINDS)


def export_command(
    out_path: Annotated[Path, typer.Option(
        "--out", dir_okay=False, writable=True, help="The file to write")],
    fmt: Annotated[ExportFormat, typer.Option(
        "--format", help="File format: stix (a STIX 2.1 bundle)")] = ExportFormat.STIX,
    kinds: Annotated[list[RecordKind] | None, typer.Option(
        "--kind", help="Export only records of this kind; repeat for several (default: all)")
    ] = None,
    justification: JustificationOption = "",
    as_user: AsOption = None,
) -> None:
    """Export the records the acting identity may export as a STIX 2.1 bundle file; the
    export is recorded in the audit log."""
    query = RecordQuery(kinds=frozenset(kinds or ()))
    if _personal(query.kinds) and len(justification.strip()) < 4:
        raise JustificationRequired(
            "this export may contain personal data: state why with --justification "
            "(at least 4 characters), or narrow it with --kind", field="justification")
    with opened_node() as node:
        caller = caller_for(node, as_user, justification)
        names = {a.id: a.name for a in node.accounts.agencies()}
        with _progress(TextColumn("{task.completed} records")) as progress:
            records = list(_counted(node.records.export(caller, query), progress))
    document = bundle(records, agency_names=names)
    partial = out_path.with_name(out_path.name + ".part")
    try:
        with partial.open("w", encoding="utf-8") as stream:
            json.dump(document, stream, ensure_ascii=False, indent=1)
        os.replace(partial, out_path)
    finally:
        partial.unlink(missing_ok=True)
    out().print(f"{len(records)} records exported to {escape(str(out_path))} ({fmt.value})")


def register(app: typer.Typer) -> None:
    """Add ``import`` and ``export`` to the root app."""
    app.command("import")(import_command)
    app.command("export")(export_command)
