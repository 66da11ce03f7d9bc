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
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import orjson

from common import (
    AGENCY,
    ANALYST,
    Backend,
    backends,
    figures_line,
    machine,
    median,
    note,
    postgres_version,
    progress,
    work_directory,
    write,
)
from interop_data import MispSource, StixSource, Written, write_misp, write_stix
from interop_processes import (
    Child,
    export_file,
    fresh_node,
    import_file,
    passerelle_command,
    run_child,
)
from passerelle.interop.misp import events_from_records, read_event
from passerelle.interop.stix import bundle, import_bundle
from passerelle.interop.stix.stream import stream_bundle_file

GB = 1_000_000_000
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
