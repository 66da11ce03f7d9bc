"""Processes and nodes of the interoperability benchmark (bench/interop.py): fresh nodes
initialised as ``passerelle init`` does, and ``passerelle`` commands run as an operator runs
them, each in a process of its own, timed from its start to its end, its memory read from
``/proc/<pid>/status`` while it runs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from common import AGENCY, AUDIT_KEY, Backend, fresh_database, note
from passerelle.cli.init import initialise
from passerelle.settings import Settings

JUSTIFICATION = "benchmark of file interoperability on synthetic, fictional data"
ADMIN_PASSWORD = "benchmark-admin-password-not-a-secret"
MB = 1_000_000
NOTE_EVERY_S = 10.0
POLL_S = 0.1
SAMPLE_S = 0.5


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
