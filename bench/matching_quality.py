"""How well the person matcher tells the same person from another: Passerelle against baselines.

Six tasks of labelled pairs (``quality_tasks``, ``quality_people``), every matcher scoring the
very same pairs in the same run (``quality_matchers``), and per task and matcher: recall at the
matcher's default threshold, false alerts per 100 travellers there, recall at 1 % and 0.1 %
pairwise false-positive rate, AUC (``quality_metrics`` defines each exactly). Names come from
the held-out part of public transliteration data in ``../shared/data/names``; without it only
the synthetic task runs.

    .venv/bin/python bench/matching_quality.py                   # ~2,000 queries per task
    .venv/bin/python bench/matching_quality.py --limit 2000      # quick: <= 2,000 pairs a task
    .venv/bin/python bench/matching_quality.py --matchers passerelle,rapidfuzz --tasks with_dob

Progress, tables and failing examples go to stderr; stdout gets one line of ``key=value``
figures at the end: ``<task>_<figure>`` for Passerelle, ``<matcher>_<task>_<figure>`` for a
baseline (``logic_v2_with_dob_recall_1pct=...``).
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.append(str(REPO))  # scripts.derive_name_lexicon, the lexicon's noise rule

from rich.console import Console  # noqa: E402
from rich.markup import escape  # noqa: E402
from rich.table import Table  # noqa: E402

from common import STDERR, figures_line, machine, note, progress, write  # noqa: E402
from passerelle.matching.matcher import compare  # noqa: E402
from passerelle.matching.model import PersonEntry  # noqa: E402
from quality_matchers import MATCHERS, MatcherSpec, scorer, select  # noqa: E402
from quality_metrics import Figures, figures  # noqa: E402
from quality_people import synthetic, with_dob  # noqa: E402
from quality_tasks import (  # noqa: E402
    NAMES_DIR,
    NOMENKLATURA_CASES,
    Pair,
    Sizes,
    Task,
    cross_script_names,
    cross_script_tokens,
    latin_variants,
    load_evaluation_names,
    nomenklatura_cases,
)

TASKS = ("cross_script_tokens", "cross_script_names", "latin_variants", "with_dob",
         "nomenklatura", "synthetic")
METRICS = ("recall_default", "false_alerts_100", "recall_1pct", "recall_01pct", "auc")
CHUNK = 1000
TABLES = Console(stderr=True, highlight=False, width=max(STDERR.width, 132))
_PAIRS: list[Pair] = []  # every pair of the run, set before worker processes fork


def build_tasks(names: Path, seed: int, sizes: Sizes, limit: int | None,
                wanted: Sequence[str]) -> tuple[list[Task], dict[str, str]]:
    """The tasks asked for, in the order of ``TASKS``, and why any could not be built."""
    tasks: list[Task] = []
    skipped: dict[str, str] = {}
    data_tasks = set(wanted) - {"synthetic"}
    if data_tasks and not (names / NOMENKLATURA_CASES).exists():
        skipped |= {t: f"no name data in {names} (see ../shared/data/README.md)"
                    for t in sorted(data_tasks)}
        data_tasks = set()
    if data_tasks - {"nomenklatura"}:
        evaluation = load_evaluation_names(names)
        note(f"evaluation names: {len(evaluation.spellings):,} held-out Arabic keys, "
             f"{sum(len(c) for c in evaluation.spellings.values()):,} spellings")
        built = {}
        if data_tasks & {"cross_script_names", "with_dob"}:
            built["cross_script_names"] = cross_script_names(evaluation, seed, sizes)
        if data_tasks & {"latin_variants", "with_dob"}:
            built["latin_variants"] = latin_variants(evaluation, seed, sizes)
        if "cross_script_tokens" in data_tasks:
            tasks.append(cross_script_tokens(evaluation, seed, sizes))
        tasks += [built[t] for t in ("cross_script_names", "latin_variants") if t in data_tasks]
        if "with_dob" in data_tasks:
            tasks.append(with_dob([built["cross_script_names"], built["latin_variants"]], seed))
    if "nomenklatura" in data_tasks:
        tasks.append(nomenklatura_cases(names / NOMENKLATURA_CASES, seed, limit))
    if "synthetic" in wanted:
        tasks.append(synthetic(seed, sizes))
    tasks.sort(key=lambda t: TASKS.index(t.name))
    return tasks, skipped


def _score_range(matcher: str, start: int, stop: int) -> list[float]:
    score = scorer(matcher)
    return [score(p.query, p.candidate) for p in _PAIRS[start:stop]]


def score_all(specs: list[MatcherSpec], tasks: list[Task],
              jobs: int) -> tuple[dict[tuple[str, str], list[float]], dict[str, float]]:
    """Every matcher's score of every pair, by (matcher, task); and each matcher's seconds."""
    _PAIRS.clear()
    spans: dict[str, tuple[int, int]] = {}
    for task in tasks:
        spans[task.name] = (len(_PAIRS), len(_PAIRS) + len(task.pairs))
        _PAIRS.extend(task.pairs)
    scores: dict[tuple[str, str], list[float]] = {}
    seconds: dict[str, float] = {}
    pool = (ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"))
            if jobs > 1 else None)
    try:
        for spec in specs:
            started = time.perf_counter()
            with progress(f"scoring {spec.name}", len(_PAIRS)) as advance:
                for task in tasks:
                    scores[spec.name, task.name] = _score_task(spec.name, spans[task.name],
                                                               pool, advance)
            seconds[spec.name] = time.perf_counter() - started
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return scores, seconds


def _score_task(matcher: str, span: tuple[int, int], pool: ProcessPoolExecutor | None,
                advance: Callable[[int], None]) -> list[float]:
    ranges = [(i, min(i + CHUNK, span[1])) for i in range(span[0], span[1], CHUNK)]
    if pool is None:
        out: list[float] = []
        for start, stop in ranges:
            out += _score_range(matcher, start, stop)
            advance(stop - start)
        return out
    futures: list[Future[list[float]]] = [pool.submit(_score_range, matcher, start, stop)
                                          for start, stop in ranges]
    for future in as_completed(futures):
        advance(len(future.result()))
    return [score for future in futures for score in future.result()]


def report(task: Task, results: dict[str, Figures], specs: list[MatcherSpec]) -> None:
    """One table per task on stderr."""
    shape = (f"{task.queries:,} queries x (1 match + {task.negatives_per_query} others)"
             if task.negatives_per_query else f"{task.positives:,} true pairs as published")
    table = Table(title=f"{task.name}: {task.what}; {shape}", title_justify="left")
    for column in ("matcher", "pairs", "threshold", "recall@default", "false alerts/100",
                   "recall@1%FPR", "recall@0.1%FPR", "AUC", "score@1%FPR"):
        table.add_column(column, justify="left" if column == "matcher" else "right")
    for spec in specs:
        f = results[spec.name]
        table.add_row(spec.name, f"{f.pairs:,}", f"{spec.threshold:.2f}",
                      _pct(f.recall_default), f"{f.false_alerts_100:.1f}",
                      _pct(f.recall_1pct), _pct(f.recall_01pct), f"{f.auc:.4f}",
                      f"> {f.above_1pct:.3g}")
    TABLES.print(table)


def _pct(value: float) -> str:
    return "-" if math.isnan(value) else f"{100 * value:.1f} %"


def examples(task: Task, scores: dict[tuple[str, str], list[float]],
             specs: list[MatcherSpec], count: int) -> None:
    """Passerelle's lowest true pairs and highest false ones, with its explanation and the
    baselines' scores of the same pairs."""
    if task.name == "nomenklatura":
        note("nomenklatura: examples not shown (its cases name real persons)")
        return
    own = scores["passerelle", task.name]
    order = sorted(range(len(own)), key=lambda i: own[i])
    worst_true = [i for i in order if task.pairs[i].is_match][:count]
    worst_false = [i for i in reversed(order) if not task.pairs[i].is_match][:count]
    others = [s.name for s in specs if s.name != "passerelle"]
    for title, picked in (("true pairs scored lowest", worst_true),
                          ("false pairs scored highest", worst_false)):
        STDERR.print(f"[bold]{task.name}: {title}[/bold]")
        for i in picked:
            pair = task.pairs[i]
            baseline = " ".join(f"{o}={scores[o, task.name][i]:.2f}" for o in others)
            STDERR.print(f"  {own[i]:.3f} ({pair.kind}) {_show(pair.query)} | "
                         f"{_show(pair.candidate)}  [{baseline}]", markup=False)
            STDERR.print(f"        {compare(pair.query, pair.candidate).explanation}",
                         markup=False)
    kinds = Counter(p.kind for p, s in zip(task.pairs, own, strict=True)
                    if not p.is_match and s >= MATCHERS["passerelle"].threshold)
    if kinds:
        note(f"{task.name}: false alerts at the default threshold by kind: {dict(kinds)}")


def compared(task: Task, results: dict[str, Figures], specs: list[MatcherSpec],
             scores: dict[tuple[str, str], list[float]], count: int) -> None:
    """Say where a baseline does better than Passerelle, and show Passerelle's worst pairs."""
    behind = sorted({s.name for s in specs for m in ("recall_1pct", "recall_01pct")
                     if getattr(results[s.name], m) > getattr(results["passerelle"], m) + 0.005})
    if behind:
        note(f"{task.name}: passerelle is behind {', '.join(behind)} at 1 % or 0.1 % "
             "false positives")
    if count > 0:
        examples(task, scores, specs, count)


def _show(entry: PersonEntry) -> str:
    parts = [entry.full_name or f"{entry.given_name} {entry.family_name}"]
    parts += [f"({entry.name_original_script})"] if entry.name_original_script else []
    parts += [f"aka {'/'.join(entry.aliases)}"] if entry.aliases else []
    parts += [f"b. {entry.date_of_birth}"] if entry.date_of_birth else []
    parts += [entry.place_of_birth] if entry.place_of_birth else []
    parts += [",".join(entry.nationalities)] if entry.nationalities else []
    parts += [f"doc {entry.document_number}"] if entry.document_number else []
    return " ".join(parts)


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit", type=int, default=None,
                        help="at most N pairs per task (quick run)")
    parser.add_argument("--positives", type=int, default=2000, help="queries per task")
    parser.add_argument("--negatives", type=int, default=20, help="non-matches per query")
    parser.add_argument("--population", type=int, default=50_000,
                        help="synthetic people generated to find namesakes")
    parser.add_argument("--matchers", default=",".join(MATCHERS))
    parser.add_argument("--tasks", default=",".join(TASKS))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--names", type=Path, default=NAMES_DIR, help="the name data folder")
    parser.add_argument("--examples", type=int, default=3,
                        help="passerelle's worst true and false pairs shown per task (0: none)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Build, score, report; the figures line last."""
    args = parse(argv)
    started = time.perf_counter()
    note(f"machine: {machine()}")
    wanted = [t for t in args.tasks.split(",") if t]
    unknown = [t for t in wanted if t not in TASKS]
    if unknown:
        raise SystemExit(f"unknown task(s) {', '.join(unknown)}: {', '.join(TASKS)}")
    specs, skipped = select([m for m in args.matchers.split(",") if m])
    for name, reason in skipped.items():
        note(escape(f"matcher {name} skipped: {reason}"))
    if not specs:
        raise SystemExit("no matcher can run")
    ours = any(s.name == "passerelle" for s in specs)
    sizes = Sizes.limited(args.limit, args.positives, args.negatives, args.population)
    tasks, missing = build_tasks(args.names, args.seed, sizes, args.limit, wanted)
    for name, reason in missing.items():
        note(f"task {name} skipped: {reason}")
    note(f"{len(tasks)} tasks, {sum(len(t.pairs) for t in tasks):,} pairs: "
         + ", ".join(f"{t.name} {len(t.pairs):,}" for t in tasks))
    scores, seconds = score_all(specs, tasks, max(1, args.jobs))
    for spec in specs:
        pairs = sum(len(t.pairs) for t in tasks)
        note(f"{spec.name}: {pairs:,} pairs in {seconds[spec.name]:.1f} s "
             f"({pairs / max(seconds[spec.name], 1e-9):,.0f} pairs/s on {args.jobs} processes)")
    line: dict[str, object] = {"seed": args.seed, "queries": sizes.positives,
                               "negatives_per_query": sizes.negatives}
    for task in tasks:
        labels = [p.is_match for p in task.pairs]
        results = {s.name: figures(scores[s.name, task.name], labels, task.queries, s.threshold)
                   for s in specs}
        report(task, results, specs)
        if ours:
            compared(task, results, specs, scores, args.examples)
        for spec in specs:
            prefix = "" if spec.name == "passerelle" else spec.name.replace("-", "_") + "_"
            for metric in METRICS:
                line[f"{prefix}{task.name}_{metric}"] = getattr(results[spec.name], metric)
    line["pairs"] = sum(len(t.pairs) for t in tasks)
    line["skipped"] = ",".join(list(skipped) + list(missing)) or "none"
    line["elapsed_s"] = round(time.perf_counter() - started, 1)
    write(figures_line(line))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
