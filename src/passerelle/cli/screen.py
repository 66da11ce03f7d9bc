"""``passerelle screen``: screen a list of travellers against a watchlist, CSV files in and out.

Both files are opened (and their encoding and header checked) before any work, so a file that
cannot be read stops the run with exit 2 and writes nothing. Rows that cannot be screened are
rejected one by one, named by list, line and column in the errors file and on stderr, and the
rest is screened; the exit status is then 1. The hits and errors files are written under
temporary names and renamed at the end: a run that fails leaves no half-written file.

The contract of the files is docs/screening.md.
"""

from __future__ import annotations

import gc
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from passerelle.cli.context import err, out
from passerelle.errors import BadRequest
from passerelle.interop.screening_csv import (
    HitsWriter,
    Rejection,
    RejectionsWriter,
    ScreeningList,
    open_list,
    replaced_on_success,
)
from passerelle.matching.matcher import Matcher
from passerelle.matching.model import (
    DEFAULT_THRESHOLD,
    Band,
    MatchingInputError,
    PersonEntry,
)

SHOWN_REJECTIONS = 20  # listed on stderr; all of them are in the errors file
PROGRESS_EVERY = 100  # travellers between two updates of the progress bar
BELOW_WEAK = "below weak"  # hits under the weakest band, with a threshold under it
#: The matcher names PersonEntry fields; the operator knows the CSV columns.
_COLUMN_OF_FIELD = {"nationalities": "nationality"}


@dataclass
class _Tally:
    """What the run did, for the summary and the exit status."""

    indexed: int = 0
    screened: int = 0
    rejected_rows: Counter[str] = field(default_factory=Counter)
    problems: int = 0
    bands: Counter[str] = field(default_factory=Counter)
    travellers_hit: int = 0


class _Rejections:
    """Sends every rejection to the errors file and the first few to stderr."""

    def __init__(self, writer: RejectionsWriter, progress: Progress, tally: _Tally) -> None:
        self._writer = writer
        self._progress = progress
        self._tally = tally
        self._rows: set[tuple[str, int]] = set()

    def add(self, rejection: Rejection) -> None:
        self._writer.write(rejection)
        key = (rejection.list_name, rejection.row)
        if key not in self._rows:
            self._rows.add(key)
            self._tally.rejected_rows[rejection.list_name] += 1
        self._tally.problems += 1
        if self._tally.problems <= SHOWN_REJECTIONS:
            column = f", column {rejection.column}" if rejection.column else ""
            self._progress.console.print(
                f"[red]rejected[/] {rejection.list_name} line {rejection.row}{escape(column)}: "
                f"{escape(rejection.message)}", soft_wrap=True)


class _Feed:
    """The accepted entries of a list, one at a time, remembering the last one handed out:
    when the matcher refuses an entry it raises while holding it, so that entry is the
    culprit, and the feed resumes after it."""

    def __init__(self, source: ScreeningList, rejections: _Rejections) -> None:
        self.source = source
        self._rejections = rejections
        self._items = iter(source)
        self.last: PersonEntry | None = None

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> PersonEntry:
        for item in self._items:
            if isinstance(item, Rejection):
                self._rejections.add(item)
            else:
                self.last = item
                return item
        raise StopIteration

    def refused(self, error: MatchingInputError) -> None:
        """Reject the entry the matcher refused."""
        if self.last is None:
            raise error
        column = _COLUMN_OF_FIELD.get(error.field, error.field)
        self._rejections.add(Rejection(self.source.list_name, self.source.line_of(self.last.id),
                                       column, error.message))
        self.last = None


def _index(matcher: Matcher, source: ScreeningList, rejections: _Rejections,
           progress: Progress) -> int:
    """Index the watchlist in one ``add_many`` (it rebuilds its arrays once per call); an
    entry the matcher refuses is rejected and indexing resumes after it."""
    task = progress.add_task(f"indexing {source.path.name}", total=max(source.lines - 1, 0))
    feed = _Feed(source, rejections)
    while True:
        try:
            matcher.add_many(feed, lambda _: progress.update(task, completed=source.rows))
            break
        except MatchingInputError as error:
            feed.refused(error)
    progress.update(task, total=source.rows, completed=source.rows)
    # The index and its name caches live until the end: out of the garbage collector's
    # sight, they no longer cost a full collection pause in the middle of screening.
    gc.freeze()
    return len(matcher)


def _screen(matcher: Matcher, source: ScreeningList, hits: HitsWriter, rejections: _Rejections,
            progress: Progress, threshold: float, top: int, tally: _Tally) -> None:
    """Screen every traveller, writing hits as they come; an entry the matcher refuses is
    rejected and screening resumes after it."""
    task = progress.add_task(f"screening {source.path.name}", total=max(source.lines - 1, 0))
    feed = _Feed(source, rejections)
    while True:
        try:
            for entry, found in matcher.query_many(feed, threshold=threshold, top=top):
                hits.write(entry.id, found)
                tally.screened += 1
                tally.travellers_hit += bool(found)
                tally.bands.update(h.band.value if h.band else BELOW_WEAK for h in found)
                if tally.screened % PROGRESS_EVERY == 0:
                    progress.update(task, completed=source.rows)
            break
        except MatchingInputError as error:
            feed.refused(error)
    progress.update(task, total=source.rows, completed=source.rows)


def _distinct(out_path: Path, errors_path: Path, inputs: list[Path]) -> None:
    """Refuse writing over an input or writing both outputs to one file."""
    written = {"out": out_path.resolve(), "errors": errors_path.resolve()}
    if written["out"] == written["errors"]:
        raise BadRequest("--out and --errors name the same file", field="errors")
    for name, path in written.items():
        if path in {p.resolve() for p in inputs}:
            raise BadRequest(f"--{name} would overwrite an input file: {path}", field=name)
        if not path.parent.is_dir():
            raise BadRequest(f"the folder {path.parent} does not exist", field=name)


def _summary(tally: _Tally, watchlist: Path, travellers: Path, out_path: Path,
             errors_path: Path, threshold: float, elapsed: float) -> None:
    console = out()
    console.soft_wrap = True  # one line per figure, whatever the width: scripts read them
    rejected = tally.rejected_rows
    console.print(f"watchlist {escape(watchlist.name)}: {tally.indexed:,} entries indexed, "
                  f"{rejected['watchlist']:,} rows rejected")
    console.print(f"travellers {escape(travellers.name)}: {tally.screened:,} screened, "
                  f"{rejected['travellers']:,} rows rejected")
    bands = ", ".join(f"{tally.bands[b]:,} {b}" for b in [*(b.value for b in Band), BELOW_WEAK]
                      if tally.bands[b] or b != BELOW_WEAK)
    console.print(f"hits at or above {threshold:.3f}: {sum(tally.bands.values()):,} ({bands}) "
                  f"for {tally.travellers_hit:,} travellers, written to {escape(str(out_path))}")
    if rejected.total():
        console.print(f"[red]{rejected.total():,} rows rejected[/], listed in "
                      f"{escape(str(errors_path))}")
    console.print(f"elapsed {elapsed:.1f} s")


def screen_command(
    watchlist: Annotated[Path, typer.Option(
        "--watchlist", exists=True, dir_okay=False, readable=True,
        help="The watchlist (CSV, see docs/screening.md)")],
    travellers: Annotated[Path, typer.Option(
        "--travellers", exists=True, dir_okay=False, readable=True,
        help="The travellers to screen (CSV, same columns as the watchlist)")],
    out_path: Annotated[Path, typer.Option(
        "--out", dir_okay=False, help="The hits file to write (CSV: traveller_id, "
        "watchlist_id, score, band, explanation)")],
    threshold: Annotated[float, typer.Option(
        "--threshold", min=0.0, max=1.0, help="Report pairs scoring at or above this (0 to 1; "
        "the default is the recommended operating point)")] = DEFAULT_THRESHOLD,
    top: Annotated[int, typer.Option(
        "--top", min=1, max=1000, help="At most this many hits per traveller, best first")] = 10,
    errors_path: Annotated[Path | None, typer.Option(
        "--errors", dir_okay=False, help="Where to list rejected rows (CSV: list, row, "
        "column, message); default: <out>.errors.csv next to --out")] = None,
) -> None:
    """Screen travellers against a watchlist: one row per hit in --out. Exit 1 if any row of
    either file was rejected (the others are still screened)."""
    started = time.perf_counter()
    errors_path = errors_path or out_path.with_name(f"{out_path.stem}.errors.csv")
    _distinct(out_path, errors_path, [watchlist, travellers])
    wanted = open_list(watchlist, "watchlist")
    try:
        screened = open_list(travellers, "travellers")
    except BaseException:
        wanted.close()
        raise
    for source in (wanted, screened):
        if source.ignored_columns:
            err().print(f"[yellow]warning[/] {escape(source.path.name)}: columns ignored: "
                        f"{escape(', '.join(source.ignored_columns))}")
    tally = _Tally()
    matcher = Matcher(threshold=threshold)
    with replaced_on_success(errors_path) as errors_stream, \
            replaced_on_success(out_path) as hits_stream, \
            Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                     MofNCompleteColumn(), TimeElapsedColumn(), console=err()) as progress:
        rejections = _Rejections(RejectionsWriter(errors_stream), progress, tally)
        tally.indexed = _index(matcher, wanted, rejections, progress)
        _screen(matcher, screened, HitsWriter(hits_stream), rejections, progress, threshold,
                top, tally)
    if tally.problems > SHOWN_REJECTIONS:
        err().print(f"... and {tally.problems - SHOWN_REJECTIONS:,} more problems, all listed in "
                    f"{escape(str(errors_path))}")
    _summary(tally, watchlist, travellers, out_path, errors_path, threshold,
             time.perf_counter() - started)
    if tally.rejected_rows.total():
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``screen`` to the root app."""
    app.command("screen")(screen_command)
