"""``passerelle audit ...``: check and hand over the audit log (LED Art. 25).

``verify`` recomputes the whole HMAC chain with the node's audit key: exit 0 when intact, exit 1
naming the first entry that does not verify, so that it can run from cron or monitoring.
``export`` writes entries as NDJSON or CSV for the data-protection officer or a supervisory
authority; the export is itself logged before the first entry is written. Timestamps are
written exactly as they were sealed, so a holder of the key can verify an export independently.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
import sys
from collections.abc import Iterable, Iterator
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from passerelle.cli.context import AS_HELP, caller_for, err, opened_node, out
from passerelle.domain.audit import AuditAction, AuditEntry
from passerelle.domain.dates import parse_timestamp
from passerelle.ports import AuditQuery

app = typer.Typer(help="Verify and export the tamper-evident audit log.", no_args_is_help=True)

AsOption = Annotated[str | None, typer.Option("--as", help=AS_HELP + " (needs the auditor "
                                                                    "role)")]
CSV_COLUMNS = ("seq", "at", "action", "actor", "agency_id", "record_id", "justification",
               "details", "prev_hash", "hash")


class AuditFormat(str, Enum):
    """File formats of an audit export."""

    NDJSON = "ndjson"
    CSV = "csv"


@app.command("verify")
def verify(as_user: AsOption = None) -> None:
    """Recompute the hash chain of the whole log. Exit 0 when intact, 1 when an entry was
    altered, inserted or removed (the first such entry is named)."""
    with opened_node() as node, err().status("verifying the audit chain..."):
        report = node.audit.verify(caller_for(node, as_user))
    if report.ok:
        out().print(f"[green]chain intact:[/] {report.checked} entries")
        return
    err().print(f"[bold red]chain broken at entry {report.broken_seq}:[/] "
                f"{escape(report.problem)} ({report.checked} entries verified before it)")
    raise typer.Exit(1)


def entry_to_dict(entry: AuditEntry) -> dict[str, Any]:
    """An entry as exported, with its time in the exact form that was sealed."""
    return {
        "seq": entry.seq,
        "at": entry.at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "action": entry.action.value,
        "actor": entry.actor,
        "agency_id": entry.agency_id,
        "record_id": entry.record_id,
        "justification": entry.justification,
        "details": entry.details,
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
    }


def _write(entries: Iterable[AuditEntry], stream: TextIO, fmt: AuditFormat) -> None:
    if fmt is AuditFormat.NDJSON:
        for entry in entries:
            stream.write(json.dumps(entry_to_dict(entry), ensure_ascii=False) + "\n")
        return
    writer = csv.DictWriter(stream, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for entry in entries:
        row = entry_to_dict(entry)
        row["details"] = json.dumps(row["details"], ensure_ascii=False, sort_keys=True)
        writer.writerow(row)


@contextlib.contextmanager
def _destination(path: Path | None) -> Iterator[TextIO]:
    if path is None:
        yield sys.stdout
        return
    with path.open("w", encoding="utf-8", newline="") as stream:
        yield stream


def _counted(entries: Iterable[AuditEntry], progress: Progress) -> Iterator[AuditEntry]:
    task = progress.add_task("exporting audit entries", total=None)
    for entry in entries:
        progress.advance(task)
        yield entry


def _time(value: str | None, field: str) -> dt.datetime | None:
    return parse_timestamp(value, field) if value else None


@app.command("export")
def export(
    out_path: Annotated[Path | None, typer.Option(
        "--out", dir_okay=False, writable=True,
        help="File to write (default: standard output)")] = None,
    fmt: Annotated[AuditFormat, typer.Option(
        "--format", help="ndjson (one JSON object per line) or csv")] = AuditFormat.NDJSON,
    actor: Annotated[str | None, typer.Option(
        "--actor", help="Only entries of this actor, e.g. user:<id>, agency:es or system")
    ] = None,
    record_id: Annotated[str | None, typer.Option(
        "--record", help="Only entries about this record id")] = None,
    action: Annotated[AuditAction | None, typer.Option(
        "--action", help="Only entries of this action")] = None,
    time_from: Annotated[str | None, typer.Option(
        "--from", help="Only entries at or after this ISO 8601 time")] = None,
    time_to: Annotated[str | None, typer.Option(
        "--to", help="Only entries at or before this ISO 8601 time")] = None,
    justification: Annotated[str, typer.Option(
        "--justification", help="Why the log is exported (recorded in the log)")] = "",
    as_user: AsOption = None,
) -> None:
    """Export audit entries in sequence order; the export itself is logged first."""
    query = AuditQuery(actor, record_id, action.value if action else None,
                       _time(time_from, "from"), _time(time_to, "to"))
    with opened_node() as node, _destination(out_path) as stream:
        entries = node.audit.export(caller_for(node, as_user, justification), query)
        if out_path is None:
            _write(entries, stream, fmt)
            return
        with Progress(SpinnerColumn(), TextColumn("{task.description}"),
                      TextColumn("{task.completed} entries"), TimeElapsedColumn(),
                      console=err()) as progress:
            _write(_counted(entries, progress), stream, fmt)
    out().print(f"audit log written to {escape(str(out_path))}")
