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

import datetime as dt
import json
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from passerelle.cli.context import AS_HELP, caller_for, err, opened_node, out
from passerelle.cli.import_sources import (
    ImportFormat,
    Source,
    csv_source,
    detect,
    misp_source,
    stix_source,
)
from passerelle.domain.records import Record, RecordKind
from passerelle.errors import JustificationRequired, ValidationFailed
from passerelle.interop.misp import events_from_records, write_feed
from passerelle.interop.records_csv import write_records
from passerelle.interop.stix.pipeline import collector_paused, sweep_young
from passerelle.interop.stix.streaming import bundle_pieces
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
    MISP = "misp"
    MISP_FEED = "misp-feed"
    CSV = "csv"


def _progress(*columns: ProgressColumn) -> Progress:
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), *columns,
                    TimeElapsedColumn(), console=err())


class UnknownMarkings(str, Enum):
    """What to do with an object that uses a marking Passerelle cannot read."""

    REFUSE = "refuse"
    RESTRICT = "restrict"


def import_command(
    file: Annotated[Path, typer.Argument(
        exists=True, dir_okay=False, readable=True,
        help="The file to read: a STIX 2.1 bundle, MISP events (JSON) or a CSV of persons or "
             "documents")],
    fmt: Annotated[ImportFormat, typer.Option(
        "--format", help="auto (CSV by its .csv name, MISP when the JSON holds Event or "
        "response, else STIX), stix, misp or csv")] = ImportFormat.AUTO,
    kind: Annotated[RecordKind | None, typer.Option(
        "--kind", help="CSV only: what each row is, person or document")] = None,
    partial: Annotated[bool, typer.Option(
        "--partial", help="Store the valid objects even when others are rejected (default: "
        "store nothing unless every object is valid)")] = False,
    unknown_markings: Annotated[UnknownMarkings, typer.Option(
        "--unknown-markings", help="STIX: refuse an object that uses a marking neither TLP "
        "nor defined in the file (default), or keep it with the marking and hold it at "
        "handling code H2")] = UnknownMarkings.REFUSE,
    justification: JustificationOption = "",
    as_user: AsOption = None,
) -> None:
    """Import records from a file. Exit 1 if any object was rejected (and, without --partial,
    nothing is stored)."""
    fmt = detect(file) if fmt is ImportFormat.AUTO else fmt
    with opened_node() as node, _progress(BarColumn(), MofNCompleteColumn()) as progress:
        caller = caller_for(node, as_user, justification)
        owner, now = node.settings.agency_id, node.clock.now()
        task = progress.add_task(f"importing {file.name} ({fmt.value})", total=None)
        advance = partial_advance(progress, task)
        if fmt is ImportFormat.STIX:
            source = stix_source(file, owner, progress=advance,
                                 restrict_unknown=unknown_markings is UnknownMarkings.RESTRICT)
        elif fmt is ImportFormat.MISP:
            source = misp_source(file, owner, now)
        else:
            source = csv_source(file, kind, owner, caller.user.id, now)
        progress.update(task, total=source.total)
        tally = _Tally()
        with collector_paused():
            node.imports.import_stream(
                caller, source.chunks, atomic=not partial, on_outcomes=tally.add,
                progress=None if fmt is ImportFormat.STIX else advance)
        progress.update(task, completed=source.total)
    _report(tally, source, partial)


def partial_advance(progress: Progress, task: TaskID) -> Callable[[int], None]:
    """A callback that moves ``task`` on by the amount it is given."""
    return lambda n: progress.advance(task, n)


class _Tally:
    """Counts outcomes as they come and keeps only the rejections (a file may hold millions)."""

    def __init__(self) -> None:
        self.counts: Counter[ImportStatus] = Counter()
        self.rejected: list[ImportOutcome] = []

    def add(self, outcomes: list[ImportOutcome]) -> None:
        """Count one chunk's outcomes (and sweep the cycles the chunk made: see
        ``sweep_young``)."""
        for outcome in outcomes:
            self.counts[outcome.status] += 1
            if outcome.status is ImportStatus.REJECTED and len(self.rejected) < MAX_ROWS:
                self.rejected.append(outcome)
        sweep_young()


def _report(tally: _Tally, source: Source, partial: bool) -> None:
    counts, rejected = tally.counts, counts_rejected(tally)
    console = out()
    for note in source.notes:
        err().print(f"note: {escape(note)}")
    if rejected:
        table = Table("where", "code", "field", "detail",
                      title=f"{rejected} objects rejected")
        for outcome in tally.rejected:
            table.add_row(escape(source.place(outcome.index, outcome.record_id)),
                          outcome.code or "-",
                          escape(outcome.field or "-"), escape(outcome.detail or ""))
        err().print(table)
        if rejected > len(tally.rejected):
            err().print(f"... and {rejected - len(tally.rejected)} more")
    if rejected and not partial:
        stored = sum(n for s, n in counts.items() if s is not ImportStatus.REJECTED)
        console.print(f"{rejected} rejected, {stored} valid; [red]nothing was stored[/]: fix "
                      "the objects above, or use --partial to store the valid ones")
        raise typer.Exit(1)
    summary = ", ".join(f"{counts[s]} {s.value.replace('_', ' ')}" for s in ImportStatus
                        if counts[s])
    console.print(f"{summary or 'no record'}; {source.context} context objects (markings, "
                  "definitions, identities)")
    if rejected:
        raise typer.Exit(1)


def counts_rejected(tally: _Tally) -> int:
    """How many objects were rejected."""
    return tally.counts[ImportStatus.REJECTED]


class _Counted:
    """The records of an export, counted on a progress bar as they pass."""

    def __init__(self, records: Iterable[Record], progress: Progress) -> None:
        self._records = records
        self._progress = progress
        self.seen = 0

    def __iter__(self) -> Iterator[Record]:
        task = self._progress.add_task("exporting records", total=None)
        for record in self._records:
            self.seen += 1
            self._progress.advance(task)
            yield record


def _personal(kinds: frozenset[RecordKind]) -> bool:
    return not kinds or bool(kinds & PERSONAL_KINDS)


def export_command(
    out_path: Annotated[Path, typer.Option(
        "--out", writable=True, help="The file to write (a folder for misp-feed)")],
    fmt: Annotated[ExportFormat, typer.Option(
        "--format", help="stix (a STIX 2.1 bundle), misp (MISP events, JSON), misp-feed (a "
        "folder a MISP instance subscribes to: manifest.json, one file per event, hashes.csv) "
        "or csv (persons or documents: one --kind)")] = ExportFormat.STIX,
    kinds: Annotated[list[RecordKind] | None, typer.Option(
        "--kind", help="Export only records of this kind; repeat for several (default: all)")
    ] = None,
    name: Annotated[str | None, typer.Option(
        "--name", help="Only persons and organisations with this name, in any spelling or "
        "script")] = None,
    document_number: Annotated[str | None, typer.Option(
        "--document-number", help="Only documents with this number")] = None,
    owner: Annotated[str | None, typer.Option(
        "--owner", help="Only records this agency owns (its id: fr, es, be, ma...)")] = None,
    since: Annotated[dt.datetime | None, typer.Option(
        "--since", help="Only records whose time (event, publication, validity, else last "
        "change) is at or after this date (UTC)")] = None,
    until: Annotated[dt.datetime | None, typer.Option(
        "--until", help="... and before this date (UTC)")] = None,
    justification: JustificationOption = "",
    as_user: AsOption = None,
) -> None:
    """Export the records the acting identity may export; the export is recorded in the audit
    log."""
    query = RecordQuery(kinds=frozenset(kinds or ()), name=name,
                        document_number=document_number, owner_agency=owner,
                        time_from=_utc(since), time_to=_utc(until))
    if _personal(query.kinds) and len(justification.strip()) < 4:
        raise JustificationRequired(
            "this export may contain personal data: state why with --justification "
            "(at least 4 characters), or narrow it with --kind", field="justification")
    csv_kind = _csv_kind(fmt, query.kinds)
    with opened_node() as node:
        caller = caller_for(node, as_user, justification)
        names = {a.id: a.name for a in node.accounts.agencies()}
        if fmt is ExportFormat.STIX:  # streamed: a bundle of any size, one batch in memory
            with _progress(TextColumn("{task.completed} records")) as progress, \
                    _replaced(out_path) as stream:
                counted = _Counted(node.records.export(caller, query), progress)
                for piece in bundle_pieces(counted, agency_names=names):
                    stream.write(piece)
            out().print(f"{counted.seen} records exported to {escape(str(out_path))} (stix)")
            return
        with _progress(TextColumn("{task.completed} records")) as progress:
            records = list(_Counted(node.records.export(caller, query), progress))
    if fmt is ExportFormat.MISP_FEED:
        summary = write_feed(events_from_records(records, agency_names=names), out_path)
        out().print(f"{len(records)} records in {len(summary.events)} events, "
                    f"{summary.hashes} hashes, in the feed {escape(str(out_path))}")
        return
    with _replaced(out_path) as stream:
        if fmt is ExportFormat.MISP:
            events = events_from_records(records, agency_names=names)
            json.dump(events[0] if len(events) == 1 else {"response": events}, stream,
                      ensure_ascii=False, indent=1)
        else:
            write_records(records, csv_kind, stream)
    out().print(f"{len(records)} records exported to {escape(str(out_path))} ({fmt.value})")


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    """A date given on the command line, read as UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=dt.UTC)


def _csv_kind(fmt: ExportFormat, kinds: frozenset[RecordKind]) -> RecordKind:
    if fmt is not ExportFormat.CSV:
        return RecordKind.PERSON
    if len(kinds) != 1 or not kinds <= {RecordKind.PERSON, RecordKind.DOCUMENT}:
        raise ValidationFailed("a CSV file holds one kind: --kind person or --kind document",
                               field="kind")
    return next(iter(kinds))


@contextmanager
def _replaced(path: Path) -> Iterator[TextIO]:
    """Write to ``path`` through a temporary name: a failed export leaves no truncated file."""
    partial = path.with_name(path.name + ".part")
    try:
        with partial.open("w", encoding="utf-8", newline="") as stream:
            yield stream
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def register(app: typer.Typer) -> None:
    """Add ``import`` and ``export`` to the root app."""
    app.command("import")(import_command)
    app.command("export")(export_command)
