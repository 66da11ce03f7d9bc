"""Interoperability (issue 6): STIX 2.1 and MISP files in and out of a node through the
``passerelle`` command, and the memory a 1 GB bundle import needs.

Everything timed runs as an operator runs it: ``passerelle import`` or ``passerelle export``
in a process of its own, on a node initialised as ``passerelle init`` initialises one (SQLite
file, or a PostgreSQL database of its own), timed from the process's start to its end
(interpreter and module loading included: ``cli_startup_s`` says how much that is).

1. **STIX import** (``stix_import_objs_per_s``): a bundle of ``--objects`` objects
   (``interop_data.StixSource``, mix ``mixed``: persons with Passerelle's extensions,
   documents, relationships, indicators, reports, and malware, threat actors, campaigns,
   IPv4 addresses and ``indicates`` relationships from another producer, kept as received),
   ``passerelle import FILE --justification ...`` into a fresh node;
2. **STIX export** (``stix_export_objs_per_s``): ``passerelle export --format stix`` of that
   node, records per second;
3. **MISP import** (``misp_import_objs_per_s``): MISP events of about ``--objects`` elements
   (attributes of common types, person and passport objects with references, TLP and PAP
   tags), ``passerelle import FILE --format misp`` into another fresh node, records created
   per second;
4. **MISP export** (``misp_export_objs_per_s``, ``misp_feed_export_objs_per_s``):
   ``passerelle export --format misp`` and ``--format misp-feed`` of the STIX node;
5. **1 GB bundle** (``big_*``; ``--big-gb``, 0 skips it): a bundle of mostly persons and
   indicators (mix ``big``) written to disk as it is generated, imported into a fresh node
   while the process's resident memory is read from ``/proc/<pid>/status`` (``VmRSS`` kept
   every 0.5 s; ``big_peak_rss_mb`` is the largest ``VmHWM``, the kernel's peak). The same
   for a bundle of ``--small-gb`` (a tenth by default): ``peak_rss_ratio`` near 1 says
   memory does not grow with the file. ``big_read_*``: the CLI's reading path alone
   (``cli.import_sources.stix_source``: both streamed passes and the mapping, no storage), in
   a process of its own, to tell reading from storing.

Baselines in the same run, in this process, on the same files: ``stix_parse_map_objs_per_s``
(``orjson.loads`` and ``interop.stix.import_bundle``: every object mapped, nothing stored),
``stix_stream_map_objs_per_s`` (``interop.stix.stream.stream_bundle_file``, the import's two
ijson passes and mapping), ``misp_read_objs_per_s`` (``interop.misp.read_event``), and
``stix_write_objs_per_s``, ``misp_write_objs_per_s`` (``interop.stix.bundle`` and
``interop.misp.events_from_records`` of the mapped records, serialised: an export without
storage, policy or audit).

Medians over ``--rounds`` rounds, each on fresh nodes; the big imports run once, on the first
backend chosen. Progress goes to stderr; stdout gets ``#`` lines and, last, one line of
``key=value`` figures (bench/README.md explains each).

    .venv/bin/python bench/interop.py --objects 20000 --rounds 3 --big-gb 1.0
    .venv/bin/python bench/interop.py --backend postgres --objects 20000 --rounds 3 --big-gb 0
    .venv/bin/python bench/interop.py --quick
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from common import (
    AGENCY,
    ANALYST,
    AUDIT_KEY,
    Backend,
    backends,
    figures_line,
    fresh_database,
    machine,
    median,
    note,
    postgres_version,
    progress,
    work_directory,
    write,
)
from interop_data import MispSource, StixSource, Written, write_misp, write_stix
from passerelle.cli.init import initialise
from passerelle.interop.misp import events_from_records, read_event
from passerelle.interop.stix import bundle, import_bundle
from passerelle.interop.stix.stream import stream_bundle_file
from passerelle.settings import Settings

JUSTIFICATION = "benchmark of file interoperability on synthetic, fictional data"
ADMIN_PASSWORD = "benchmark-admin-password-not-a-secret"
GB = 1_000_000_000
MB = 1_000_000
NOTE_EVERY_S = 10.0
POLL_S = 0.1
SAMPLE_S = 0.5
EXPORTS = ("stix", "misp", "misp-feed")
READ_ONLY = """\
import gc, sys
from pathlib import Path
from passerelle.cli.import_sources import stix_source
gc.disable()  # as `passerelle import` does
source = stix_source(Path(sys.argv[1]), sys.argv[2], restrict_unknown=False,
                     progress=lambda n: None)
print(sum(len(chunk) for chunk in source.chunks), "candidates,", source.context, "context")
"""
"""The CLI's reading path without storage: what `passerelle import` does before each chunk
reaches ``ImportService.import_stream`` (the per-candidate places included)."""


# --- processes ------------------------------------------------------------------------------

@dataclass
class Child:
    """One finished process: exit status, wall and CPU time, memory, output."""

    status: int
    elapsed_s: float
    cpu_s: float
    peak_rss_mb: float  # the largest VmHWM read (see _Sampler)
    samples: list[tuple[float, float]] = field(default_factory=list)  # (s, VmRSS MB)
    stdout: str = ""
    stderr: str = ""

    def rss_at(self, share: float) -> float:
        """Resident memory sampled at ``share`` (0-1) of the run, NaN without samples."""
        if not self.samples:
            return float("nan")
        moment = share * self.elapsed_s
        return min(self.samples, key=lambda s: abs(s[0] - moment))[1]


class _Sampler(threading.Thread):
    """Reads ``/proc/<pid>/status`` every 0.1 s for VmHWM, the process's peak resident set so
    far, and keeps VmRSS every ``every_s``; a note on stderr every 10 s shows a long import is
    alive. (Not ``wait4``'s ``ru_maxrss``: Linux folds into it the memory the process had
    before ``exec``, i.e. this benchmark's own, shared at the fork.) The peak is missed only
    if it is reached in the last 0.1 s."""

    def __init__(self, pid: int, every_s: float, label: str, started: float) -> None:
        super().__init__(name=f"rss-{pid}", daemon=True)
        self.samples: list[tuple[float, float]] = []
        self.peak_mb = 0.0
        self._path = Path(f"/proc/{pid}/status")
        self._every, self._label, self._t0 = every_s, label, started
        self._done = threading.Event()

    def run(self) -> None:
        last_sample = last_note = self._t0
        while not self._done.wait(POLL_S):
            fields = self._read()
            if "VmRSS" not in fields:
                continue
            now = time.perf_counter()
            self.peak_mb = max(self.peak_mb, fields.get("VmHWM", 0.0))
            if now - last_sample >= self._every:
                last_sample = now
                self.samples.append((now - self._t0, fields["VmRSS"]))
            if now - last_note >= NOTE_EVERY_S:
                last_note = now
                note(f"{self._label}: {now - self._t0:,.0f} s, RSS "
                     f"{fields['VmRSS']:,.0f} MB (peak {self.peak_mb:,.0f} MB)")

    def _read(self) -> dict[str, float]:
        try:
            lines = self._path.read_text().splitlines()
        except OSError:  # gone
            return {}
        found: dict[str, float] = {}
        for line in lines:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                found[name] = int(value.split()[0]) / 1024  # kB
        return found

    def stop(self) -> None:
        """Stop sampling and wait for the thread."""
        self._done.set()
        self.join()


def passerelle_command() -> list[str]:
    """The ``passerelle`` console script next to this interpreter (as installed in .venv)."""
    script = Path(sys.executable).with_name("passerelle")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from passerelle.cli.main import run; run()"]


def run_child(argv: Sequence[str], env: dict[str, str], cwd: Path, *, label: str,
              sample_s: float = SAMPLE_S) -> Child:
    """Run ``argv`` to its end; timed from just before the process is made to just after it
    is reaped (``os.wait4``, which also gives its CPU time); its memory is read meanwhile,
    its resident set kept every ``sample_s``."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PASSERELLE_")}
    with tempfile.TemporaryFile(dir=cwd) as out, tempfile.TemporaryFile(dir=cwd) as err:
        started = time.perf_counter()
        process = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                   cwd=cwd, env={**clean, **env})
        sampler = _Sampler(process.pid, sample_s, label, started)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        sampler.stop()
        out.seek(0)
        err.seek(0)
        return Child(process.returncode, elapsed, usage.ru_utime + usage.ru_stime,
                     sampler.peak_mb, sampler.samples,
                     out.read().decode(errors="replace"), err.read().decode(errors="replace"))


# --- nodes and commands ---------------------------------------------------------------------

@dataclass(frozen=True)
class NodeHandle:
    """A fresh, initialised node: its name, database URL and folder (key file, exports)."""

    name: str
    url: str
    folder: Path

    @property
    def key_file(self) -> Path:
        """The node's signing key, which ``passerelle init`` created."""
        return self.folder / f"{self.name}.key"

    def env(self) -> dict[str, str]:
        """The node's ``PASSERELLE_*`` settings, as an operator would export them."""
        return {"PASSERELLE_ENVIRONMENT": "test", "PASSERELLE_AGENCY_ID": AGENCY,
                "PASSERELLE_AUDIT_KEY": AUDIT_KEY, "PASSERELLE_DATABASE_URL": self.url,
                "PASSERELLE_NODE_KEY_FILE": str(self.key_file), "COLUMNS": "200"}


@contextmanager
def fresh_node(backend: Backend, name: str, folder: Path) -> Iterator[NodeHandle]:
    """A new database initialised by what ``passerelle init`` runs (``cli.init.initialise``:
    schema, the agencies fr, es, be and ma, an administrator, the node key); dropped on exit."""
    with fresh_database(backend, name, folder) as db:
        db.engine.dispose()  # the node's processes open their own
        node = NodeHandle(name, db.url, folder)
        settings = Settings(environment="test", agency_id=AGENCY, audit_key=AUDIT_KEY,
                            database_url=db.url, node_key_file=node.key_file)
        initialise(settings, "admin", lambda: ADMIN_PASSWORD)
        try:
            yield node
        finally:
            node.key_file.unlink(missing_ok=True)


def passerelle(node: NodeHandle, *args: str, label: str) -> Child:
    """``passerelle ARGS`` on the node, in a process of its own; it must exit with 0."""
    run = run_child([*passerelle_command(), *args], node.env(), node.folder, label=label)
    if run.status != 0:
        raise SystemExit(f"{label}: exit status {run.status}\n{run.stdout[-3000:]}\n"
                         f"{run.stderr[-3000:]}")
    return run


def counted(pattern: str, run: Child, label: str) -> int:
    """The number that ``pattern`` (one group) finds in the command's output."""
    found = re.search(pattern, run.stdout)
    if found is None:
        raise SystemExit(f"{label}: no {pattern!r} in its output:\n{run.stdout[-1000:]}")
    return int(found.group(1))


def import_file(node: NodeHandle, path: Path, fmt: str, label: str) -> tuple[Child, int]:
    """``passerelle import FILE --format FMT``: the run and the records it created. Nothing
    may be rejected (the exit status would be 1)."""
    run = passerelle(node, "import", str(path), "--format", fmt, "--justification",
                     JUSTIFICATION, label=label)
    return run, counted(r"(\d+) created", run, label)


def export_file(node: NodeHandle, fmt: str, label: str) -> tuple[Child, int]:
    """``passerelle export --format FMT`` of every record: the run and the records written
    (the file, or the feed's folder, is deleted afterwards)."""
    out = node.folder / f"{node.name}-export-{fmt}{'' if fmt == 'misp-feed' else '.json'}"
    run = passerelle(node, "export", "--out", str(out), "--format", fmt, "--justification",
                     JUSTIFICATION, label=label)
    size = sum(f.stat().st_size for f in out.rglob("*")) if out.is_dir() else \
        out.stat().st_size
    shutil.rmtree(out) if out.is_dir() else out.unlink()
    records = counted(r"(\d+) records", run, label)
    note(f"{label}: {records:,} records, {size / MB:,.1f} MB in {run.elapsed_s:.2f} s "
         f"({records / run.elapsed_s:,.0f} records/s)")
    return run, records


# --- rounds ---------------------------------------------------------------------------------

@dataclass
class Round:
    """One round on one backend: each timed command with the records it handled."""

    stix_import: tuple[Child, int]
    exports: dict[str, tuple[Child, int]]
    misp_import: tuple[Child, int]


def one_round(backend: Backend, stix: Written, misp: Written, folder: Path, label: str,
              tag: str) -> Round:
    """The STIX bundle into a fresh node, exported in each format; the MISP events into
    another fresh node."""
    with fresh_node(backend, f"passerelle_bench_interop_{tag}_stix", folder) as node:
        run, records = import_file(node, stix.path, "stix", f"{label}: STIX import")
        note(f"{label}: STIX import: {records:,} records from {stix.objects:,} objects in "
             f"{run.elapsed_s:.2f} s ({stix.objects / run.elapsed_s:,.0f} objects/s, "
             f"CPU {run.cpu_s:.1f} s, peak {run.peak_rss_mb:,.0f} MB)")
        exports = {fmt: export_file(node, fmt, f"{label}: {fmt} export") for fmt in EXPORTS}
    with fresh_node(backend, f"passerelle_bench_interop_{tag}_misp", folder) as node:
        misp_run, misp_records = import_file(node, misp.path, "misp", f"{label}: MISP import")
        note(f"{label}: MISP import: {misp_records:,} records in {misp_run.elapsed_s:.2f} s "
             f"({misp_records / misp_run.elapsed_s:,.0f} records/s)")
    if misp_records != misp.objects:
        note(f"[yellow]{label}: the MISP import created {misp_records:,} records, "
             f"{misp.objects:,} expected[/]")
    return Round((run, records), exports, (misp_run, misp_records))


def backend_figures(rounds: list[Round], stix: Written) -> dict[str, object]:
    """Medians over the rounds: seconds, and objects (or records) per second."""
    def both(prefix: str, pick: Callable[[Round], tuple[Child, int]],
             objects: int | None = None) -> dict[str, object]:
        runs = [pick(r) for r in rounds]
        return {f"{prefix}_s": median([c.elapsed_s for c, _ in runs]),
                f"{prefix}_objs_per_s": median([(objects or n) / c.elapsed_s for c, n in runs])}

    figures = both("stix_import", lambda r: r.stix_import, stix.objects)
    figures["stix_import_records"] = rounds[0].stix_import[1]
    figures["stix_import_cpu_s"] = median([r.stix_import[0].cpu_s for r in rounds])
    figures["stix_import_peak_rss_mb"] = median([r.stix_import[0].peak_rss_mb for r in rounds])
    for fmt in EXPORTS:
        figures.update(both(f"{fmt.replace('-', '_')}_export",
                            lambda r, f=fmt: r.exports[f]))  # type: ignore[misc]
    figures["export_records"] = rounds[0].exports["stix"][1]
    figures.update(both("misp_import", lambda r: r.misp_import))
    figures["misp_import_records"] = rounds[0].misp_import[1]
    return figures


# --- baselines in this process --------------------------------------------------------------

def timed(work: Callable[[], int]) -> tuple[float, int]:
    """Seconds ``work`` took with the cyclic collector paused (as ``passerelle import``
    pauses it), and what it returned."""
    gc.collect()
    gc.disable()
    try:
        started = time.perf_counter()
        result = work()
        return time.perf_counter() - started, result
    finally:
        gc.enable()


def baselines(stix: Written, misp: Written, folder: Path, repeats: int) -> dict[str, object]:
    """Reading and writing without a node: where an import's or export's time goes."""
    now = dt.datetime.now(dt.UTC)
    mapped = import_bundle(orjson.loads(stix.path.read_bytes()), default_owner=AGENCY)
    records = [o.record for o in mapped if o.record is not None]
    work: dict[str, tuple[int, Callable[[], int]]] = {
        "stix_parse_map": (stix.objects, lambda: len(import_bundle(
            orjson.loads(stix.path.read_bytes()), default_owner=AGENCY))),
        "stix_stream_map": (stix.objects, lambda: sum(len(c) for c in stream_bundle_file(
            stix.path, default_owner=AGENCY))),
        "misp_read": (misp.objects, lambda: len(read_event(
            misp.path.read_bytes(), default_owner=AGENCY, received_at=now).items)),
        "stix_write": (len(records), lambda: len(json.dumps(
            bundle(records), ensure_ascii=False, indent=1))),
        "misp_write": (len(records), lambda: len(json.dumps(
            events_from_records(records), ensure_ascii=False, indent=1))),
    }
    figures: dict[str, object] = {}
    for name, (objects, task) in work.items():
        seconds = median([timed(task)[0] for _ in range(repeats)])
        figures[f"{name}_objs_per_s"] = objects / seconds
        note(f"baseline {name}: {objects:,} in {seconds:.2f} s ({objects / seconds:,.0f}/s)")
    startups = [run_child([*passerelle_command(), "--help"], {}, folder, label="startup")
                for _ in range(repeats)]
    figures["cli_startup_s"] = median([c.elapsed_s for c in startups])
    return figures


# --- the big bundle -------------------------------------------------------------------------

def big_import(backend: Backend, gigabytes: float, folder: Path, seed: int,
               prefix: str) -> dict[str, object]:
    """Write a bundle of ``gigabytes`` (mix ``big``), import it into a fresh node while its
    memory is sampled, then read it again without storage; the bundle is deleted."""
    path = folder / f"{prefix}-bundle.json"
    size = int(gigabytes * GB)
    now = dt.datetime.now(dt.UTC)
    with progress(f"write the {gigabytes:g} GB bundle (bytes)", size) as advance:
        written = write_stix(path, StixSource(AGENCY, seed, now, ANALYST.principal, "big"),
                             AGENCY, size=size, advance=advance)
    write(f"# {prefix} bundle: {written.describe()}")
    try:
        with fresh_node(backend, f"passerelle_bench_interop_{prefix}", folder) as node:
            run, records = import_file(node, path, "stix", f"{prefix} import")
        read = run_child([sys.executable, "-c", READ_ONLY, str(path), AGENCY], {}, folder,
                         label=f"{prefix} read only")
        if read.status != 0:
            raise SystemExit(f"{prefix} read only: exit status {read.status}\n{read.stderr}")
    finally:
        path.unlink(missing_ok=True)
    curve = " ".join(f"{int(q * 100)}%:{run.rss_at(q):,.0f}" for q in (0.1, 0.25, 0.5, 0.75,
                                                                        0.95))
    write(f"# {prefix} import: {records:,} records in {run.elapsed_s:,.1f} s, CPU "
          f"{run.cpu_s:,.1f} s, peak {run.peak_rss_mb:,.0f} MB; RSS MB by elapsed share: "
          f"{curve}; reading alone {read.elapsed_s:,.1f} s, peak {read.peak_rss_mb:,.0f} MB")
    return {f"{prefix}_gb": gigabytes, f"{prefix}_bytes": written.size,
            f"{prefix}_objects": written.objects, f"{prefix}_records": records,
            f"{prefix}_import_s": run.elapsed_s, f"{prefix}_import_cpu_s": run.cpu_s,
            f"{prefix}_import_objs_per_s": written.objects / run.elapsed_s,
            f"{prefix}_peak_rss_mb": run.peak_rss_mb,
            f"{prefix}_rss_growth_b_per_obj": growth_per_object(run, written.objects),
            f"{prefix}_read_objs_per_s": written.objects / read.elapsed_s,
            f"{prefix}_read_peak_rss_mb": read.peak_rss_mb}


def growth_per_object(run: Child, objects: int) -> float:
    """Bytes of resident memory gained per object between a quarter and 95 % of the import
    (the objects taken as read at an even pace): near 0 when memory is bounded."""
    return (run.rss_at(0.95) - run.rss_at(0.25)) * 2**20 / (0.70 * objects)


def big_runs(backend: Backend, args: argparse.Namespace, folder: Path) -> dict[str, object]:
    """The small bundle, then the big one; their peaks' ratio."""
    free = shutil.disk_usage(folder).free
    if free < 6 * args.big_gb * GB:
        raise SystemExit(f"{folder} has {free / GB:.1f} GB free: a {args.big_gb:g} GB bundle "
                         "and its node need about six times that (use --workdir)")
    small = args.small_gb if args.small_gb is not None else args.big_gb / 10
    figures = big_import(backend, small, folder, args.seed, "small")
    figures.update(big_import(backend, args.big_gb, folder, args.seed, "big"))
    figures["peak_rss_ratio"] = float(figures["big_peak_rss_mb"]) / float(  # type: ignore[arg-type]
        figures["small_peak_rss_mb"])  # type: ignore[arg-type]
    return figures


# --- main -----------------------------------------------------------------------------------

def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--objects", type=int, help="STIX objects in the bundle, and "
                        "about as many MISP elements (default 20,000; --quick 400)")
    parser.add_argument("--rounds", type=int, help="rounds per backend, each on fresh "
                        "nodes; figures are medians (default 3; --quick 1)")
    parser.add_argument("--backend", default="sqlite",
                        help="sqlite (default), postgres (or postgresql) or both")
    parser.add_argument("--big-gb", type=float, help="size of the big bundle in GB "
                        "(default 1.0; --quick 0.002; 0: no big import)")
    parser.add_argument("--small-gb", type=float, help="size of the bundle whose peak memory "
                        "the big one's is compared with (default: a tenth of --big-gb)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 400 objects, one "
                        "round, a 2 MB big bundle")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workdir", help="where the files and SQLite databases go "
                        "(default: a temporary directory, deleted at the end)")
    args = parser.parse_args(argv)
    quick = args.quick
    args.objects = args.objects or (400 if quick else 20_000)
    args.rounds = args.rounds or (1 if quick else 3)
    args.big_gb = (0.002 if quick else 1.0) if args.big_gb is None else args.big_gb
    args.backend = "postgresql" if args.backend == "postgres" else args.backend
    return args


def combined(per_backend: dict[Backend, dict[str, object]]) -> dict[str, object]:
    """One backend's figures as they are; several: each suffixed with its backend, and the
    rates unsuffixed for the slower backend."""
    if len(per_backend) == 1:
        return next(iter(per_backend.values()))
    figures: dict[str, object] = {}
    for backend, values in per_backend.items():
        figures.update({f"{key}_{backend}": value for key, value in values.items()})
    for key in next(iter(per_backend.values())):
        if key.endswith("_objs_per_s"):
            rates = [float(v[key]) for v in per_backend.values()]  # type: ignore[arg-type]
            figures[key] = min(rates)
    return figures


def run(args: argparse.Namespace, folder: Path) -> dict[str, object]:
    """Generate the files, run the rounds, the baselines and the big imports."""
    chosen = backends(args.backend)
    now = dt.datetime.now(dt.UTC)
    with progress("write the STIX bundle (objects)", args.objects) as advance:
        stix = write_stix(folder / "bundle.json", StixSource(
            AGENCY, args.seed, now, ANALYST.principal, "mixed"), AGENCY,
            objects=args.objects, advance=advance)
    write(f"# STIX bundle: {stix.describe()}")
    source = MispSource(args.seed, now)
    events = max(1, round(args.objects / source.records_per_event()))
    with progress("write the MISP events", events) as advance:
        misp = write_misp(folder / "misp.json", source, args.objects, advance)
    write(f"# MISP events: {misp.describe()}")
    figures: dict[str, object] = {"backend": ",".join(chosen), "objects": stix.objects,
                                  "misp_elements": misp.objects, "rounds": args.rounds}
    try:
        per_backend: dict[Backend, dict[str, object]] = {}
        for backend in chosen:
            rounds = [one_round(backend, stix, misp, folder, f"{backend} round {i}",
                                f"{os.getpid()}_{i}") for i in range(1, args.rounds + 1)]
            per_backend[backend] = backend_figures(rounds, stix)
        figures.update(combined(per_backend))
        figures.update(baselines(stix, misp, folder, args.rounds))
    finally:
        stix.path.unlink(missing_ok=True)
        misp.path.unlink(missing_ok=True)
    if args.big_gb > 0:
        figures.update(big_runs(chosen[0], args, folder))
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; the last stdout line holds the figures."""
    args = parse(argv)
    write(f"# machine: {machine()}")
    if args.backend in ("postgresql", "both"):
        write(f"# PostgreSQL {postgres_version()} on 127.0.0.1:5432")
    with work_directory(args.workdir) as workdir:
        figures = run(args, Path(workdir))
    write(figures_line(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
