"""Screening travellers against a watchlist of a million people with the matcher's index.

Targets (issue), on the 2-core machine of bench/README.md, with ``--watchlist 1000000
--travellers 10000``: index build at most 120 s and 4 GB peak memory; the 10,000 travellers
screened in at most 60 s; a single query's p99 at most 50 ms; adding or removing one entry at
most 10 ms.

The watchlist is fictional people of ``passerelle.synthetic`` as ``PersonEntry`` (id
``w<key>``); travellers are 80 % members as another agency recorded them (``variant_of``; the
ground truth is the member's id) and 20 % people not on the list, recorded the same way.
Timed on their own: ``Matcher.add_many`` over the pre-generated entries (``index_s``; the
generation is ``gen_s``), ``query_many`` over the batch (``screen_s``), ``query`` one at a time
(``query_p99_ms``), ``add`` then ``remove`` of new entries (``update_ms``, the p99 of the slower
of the two per repetition), ``save`` and ``load``. Screening quality against the ground truth
(recall, false alerts per 100 travellers, hits per band), checks that updates take effect at once
and that a reloaded index answers as the built one, and a brute-force estimate from ``compare``
as the baseline. bench/README.md says what each figure means exactly.

    .venv/bin/python bench/screening.py --watchlist 1000000 --travellers 10000
    .venv/bin/python bench/screening.py --quick     # 50,000 people, 1,000 travellers
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import resource
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from common import figures_line, machine, median, note, percentile, progress, write
from passerelle.matching.matcher import Matcher, compare
from passerelle.matching.model import DEFAULT_THRESHOLD, Band, Hit, PersonEntry
from passerelle.synthetic import PeopleGenerator
from passerelle.synthetic.entries import as_entry

ON_LIST_SHARE = 0.8
TOP = 10
WARMUP = 50
VERIFY_LOADED = 50  # travellers whose hits must be the same after save and load
COMPARE_PAIRS = 3000
TARGETS = {"index_s": 120.0, "peak_rss_mb": 4096.0, "screen_s": 60.0, "query_p99_ms": 50.0,
           "update_ms": 10.0}


@dataclass(frozen=True)
class Traveller:
    """A person at the border, and the watchlist entry they are (empty when not on the list)."""

    entry: PersonEntry
    truth: str
    arabic: bool  # the name is recorded in Arabic script


@dataclass
class Quality:
    """What screening at the default threshold found, against the ground truth."""

    on_list: int = 0
    found: int = 0
    first: int = 0
    false_alerts: int = 0
    off_list: int = 0
    off_list_alerted: int = 0
    arabic: int = 0
    arabic_found: int = 0
    bands: Counter[str] = field(default_factory=Counter)

    def count(self, traveller: Traveller, hits: list[Hit]) -> None:
        ids = [hit.entry_id for hit in hits]
        self.bands.update(str(hit.band) if hit.band else "below" for hit in hits)
        self.false_alerts += sum(1 for i in ids if i != traveller.truth)
        if not traveller.truth:
            self.off_list += 1
            self.off_list_alerted += bool(ids)
            return
        self.on_list += 1
        self.found += traveller.truth in ids
        self.first += bool(ids) and ids[0] == traveller.truth
        if traveller.arabic:
            self.arabic += 1
            self.arabic_found += traveller.truth in ids


Answer = tuple[tuple[str, float], ...]
"""A query's hits as (entry id, score) pairs, best first."""


def answer(hits: list[Hit]) -> Answer:
    """The hits as plain pairs, scores rounded so that a reloaded index may agree exactly."""
    return tuple((hit.entry_id, round(hit.score, 9)) for hit in hits)


def same_answer(a: Answer, b: Answer) -> bool:
    """Same scores, and the same entries above the last score (ties at the cut-off may be
    broken either way)."""
    if [s for _, s in a] != [s for _, s in b]:
        return False
    last = a[-1][1] if a else 0.0
    return {i for i, s in a if s > last} == {i for i, s in b if s > last}


def rss_mb() -> float:
    """Resident memory now, in MiB."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mb() -> float:
    """Peak resident memory of the process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def entry_id(key: int) -> str:
    """The watchlist id of person ``key``."""
    return f"w{key}"


def watchlist(generator: PeopleGenerator, size: int) -> list[PersonEntry]:
    """The ``size`` first people of the generator as watchlist entries."""
    entries: list[PersonEntry] = []
    with progress("generate watchlist", size) as advance:
        for person in generator.people(size):
            entries.append(as_entry(person, entry_id(person.key)))
            if len(entries) % 10_000 == 0:
                advance(10_000)
        advance(len(entries) % 10_000)
    return entries


def travellers(generator: PeopleGenerator, count: int, size: int, rng: random.Random,
               label: str, *, first_key: int) -> list[Traveller]:
    """``count`` travellers, 80 % recorded variants of watchlist members and 20 % variants of
    people from ``first_key`` on (beyond the watchlist), shuffled."""
    on_list = round(count * ON_LIST_SHARE)
    out: list[Traveller] = []
    with progress(label, count) as advance:
        for index in range(count):
            key = rng.randrange(size) if index < on_list else first_key + index - on_list
            person = generator.variant_of(generator.person(key), index)
            truth = entry_id(key) if index < on_list else ""
            out.append(Traveller(as_entry(person, f"t{index}"), truth,
                                 person.name.spelling == "ar"))
            advance(1)
    rng.shuffle(out)
    return out


def cumulative(advance: Callable[[int], None]) -> Callable[[int], None]:
    """A progress callback for ``add_many``, which reports the count done so far."""
    done = 0

    def report(count: int) -> None:
        nonlocal done
        advance(count - done)
        done = count
    return report


def build(entries: list[PersonEntry]) -> tuple[Matcher, dict[str, object]]:
    """Index the whole list; time, resident growth and peak memory."""
    matcher = Matcher()
    gc.collect()
    before = rss_mb()
    with progress("index (add_many)", len(entries)) as advance:
        started, cpu = time.perf_counter(), time.process_time()
        added = matcher.add_many(entries, progress=cumulative(advance))
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    gc.freeze()  # as `passerelle screen` does once the watchlist is indexed
    figures: dict[str, object] = {
        "index_s": seconds, "index_cpu_s": cpu, "index_entries_per_s": len(entries) / seconds,
        "peak_rss_mb": peak_rss_mb(), "index_mb": rss_mb() - before}
    if added != len(entries) or len(matcher) != len(entries):
        raise SystemExit(f"add_many indexed {added:,} ({len(matcher):,} held) "
                         f"of {len(entries):,} entries")
    return matcher, figures


def screen(matcher: Matcher, people: list[Traveller]) -> tuple[Quality, dict[str, Answer],
                                                                 float, float]:
    """Batch screening at the default threshold: quality, hits per traveller, wall and CPU
    seconds."""
    quality = Quality()
    hit_ids: dict[str, Answer] = {}
    truth = {t.entry.id: t for t in people}
    with progress("screen (query_many)", len(people)) as advance:
        started, cpu = time.perf_counter(), time.process_time()
        for entry, hits in matcher.query_many((t.entry for t in people), top=TOP):
            quality.count(truth[entry.id], hits)
            hit_ids[entry.id] = answer(hits)
            advance(1)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if len(hit_ids) != len(people):
        raise SystemExit(f"query_many answered {len(hit_ids):,} of {len(people):,} travellers")
    return quality, hit_ids, seconds, cpu


def recall_any(matcher: Matcher, sample: list[Traveller]) -> tuple[float, float]:
    """Share of on-list travellers whose true entry is among the ten best at any score, and
    the seconds the sample took."""
    truth = {t.entry.id: t.truth for t in sample}
    found = 0
    with progress("screen at threshold 0 (sample)", len(sample)) as advance:
        started = time.perf_counter()
        for entry, hits in matcher.query_many((t.entry for t in sample), threshold=0.0,
                                              top=TOP):
            found += truth[entry.id] in {h.entry_id for h in hits}
            advance(1)
        seconds = time.perf_counter() - started
    return found / max(len(sample), 1), seconds


def single_queries(matcher: Matcher, people: list[Traveller]) -> list[float]:
    """Milliseconds of ``query`` for each traveller, after a warm-up on the first few."""
    for traveller in people[:WARMUP]:
        matcher.query(traveller.entry, top=TOP)
    times: list[float] = []
    clock = time.perf_counter
    with progress("single queries", len(people)) as advance:
        for traveller in people:
            started = clock()
            matcher.query(traveller.entry, top=TOP)
            times.append((clock() - started) * 1000)
            advance(1)
    return times


def updates(matcher: Matcher, generator: PeopleGenerator, count: int,
            first_key: int) -> tuple[list[float], list[float], int]:
    """Add then remove ``count`` new entries; ms of each, and how many checks failed."""
    adds: list[float] = []
    removes: list[float] = []
    failures = 0
    clock = time.perf_counter
    with progress("add/remove", count) as advance:
        for key in range(first_key, first_key + count):
            entry = as_entry(generator.person(key), f"u{key}")
            started = clock()
            matcher.add(entry)
            adds.append((clock() - started) * 1000)
            failures += _check(matcher, entry, present=True)
            started = clock()
            removed = matcher.remove(entry.id)
            removes.append((clock() - started) * 1000)
            failures += _check(matcher, entry, present=removed is False)
            advance(1)
    return adds, removes, failures


def _check(matcher: Matcher, entry: PersonEntry, *, present: bool) -> int:
    """1 (and a note) when ``query`` disagrees with what was just added or removed."""
    found = entry.id in {h.entry_id for h in matcher.query(entry, threshold=0.0, top=TOP)}
    if found == present and (entry.id in matcher) == present:
        return 0
    note(f"[red]update check failed[/red]: {entry.id} "
         f"{'not found after add' if present else 'still found after remove'}")
    return 1


def save_and_load(matcher: Matcher, sample: list[Traveller],
                  expected: dict[str, Answer]) -> tuple[dict[str, object], int]:
    """Save, drop the built index, load; times, file size, and how many sample answers
    differ."""
    size = len(matcher)
    with tempfile.TemporaryDirectory(prefix="passerelle-bench-screening-") as directory:
        path = Path(directory) / "index"
        note("saving the index")
        started = time.perf_counter()
        matcher.save(path)
        save_s = time.perf_counter() - started
        file_mb = _size(path) / 2**20
        del matcher
        gc.collect()
        note("loading the index")
        started = time.perf_counter()
        loaded = Matcher.load(path)
        load_s = time.perf_counter() - started
    differ = int(len(loaded) != size)
    for traveller in sample:
        got = answer(loaded.query(traveller.entry, top=TOP))
        if not same_answer(got, expected[traveller.entry.id]):
            differ += 1
            note(f"[red]loaded index differs[/red] for {traveller.entry.id}: {got} != "
                 f"{expected[traveller.entry.id]}")
    return {"save_s": save_s, "load_s": load_s, "index_file_mb": file_mb}, differ


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def brute_force(generator: PeopleGenerator, sample: list[Traveller]) -> float:
    """Microseconds per ``compare`` of a traveller with a watchlist entry (median)."""
    entries = [as_entry(p, entry_id(p.key)) for p in generator.people(COMPARE_PAIRS)]
    times: list[float] = []
    clock = time.perf_counter
    for index, entry in enumerate(entries):
        traveller = sample[index % len(sample)].entry
        started = clock()
        compare(traveller, entry)
        times.append((clock() - started) * 1e6)
    return median(times)


def quality_figures(quality: Quality, count: int) -> dict[str, object]:
    """The screening-quality figures of the last line."""
    return {
        "recall": quality.found / max(quality.on_list, 1),
        "top1": quality.first / max(quality.on_list, 1),
        "recall_arabic": quality.arabic_found / max(quality.arabic, 1),
        "false_alerts_per_100": 100 * quality.false_alerts / max(count, 1),
        "offlist_alerted": quality.off_list_alerted / max(quality.off_list, 1),
        **{f"hits_{band}": quality.bands[str(band)] for band in Band},
    }


def report_quality(f: dict[str, object]) -> None:
    """Two ``#`` lines on what screening found, for the human reading the log."""
    write(f"# recall {f['recall']:.1%} (top1 {f['top1']:.1%}, Arabic script "
          f"{f['recall_arabic']:.1%}, top 10 at any score {f['recall_top10_any']:.1%}); "
          f"false alerts {f['false_alerts_per_100']:.1f} per 100 travellers, "
          f"{f['offlist_alerted']:.1%} of off-list travellers alerted")
    write(f"# hits: {f['hits_strong']} strong, {f['hits_possible']} possible, "
          f"{f['hits_weak']} weak; without an index one query would take about "
          f"{f['brute_force_query_s']:.1f} s ({f['compare_us']:.1f} us per pair)")


def report_targets(figures: dict[str, object]) -> None:
    """One ``#`` line per target: figure, target, met or missed."""
    for key, target in TARGETS.items():
        value = float(figures[key])  # type: ignore[arg-type]
        verdict = "met" if value <= target else "MISSED"
        write(f"# {key:<13} {value:>10,.2f}   target <= {target:,.0f}: {verdict}")


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--watchlist", type=int, default=None,
                        help="people on the list (default 1,000,000; --quick 50,000)")
    parser.add_argument("--travellers", type=int, default=None,
                        help="travellers screened in one batch (default 10,000; --quick 1,000)")
    parser.add_argument("--queries", type=int, default=1000, help="single queries timed")
    parser.add_argument("--updates", type=int, default=200, help="add/remove pairs timed")
    parser.add_argument("--any-sample", type=int, default=1000,
                        help="on-list travellers screened again at threshold 0")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--quick", action="store_true", help="a smoke run: 50,000 / 1,000")
    args = parser.parse_args(argv)
    if args.watchlist is None:
        args.watchlist = 50_000 if args.quick else 1_000_000
    if args.travellers is None:
        args.travellers = 1_000 if args.quick else 10_000
    if args.watchlist < 1 or args.travellers < 1:
        parser.error("--watchlist and --travellers must be positive")
    return args


def run(args: argparse.Namespace) -> tuple[dict[str, object], int]:
    """Every phase in turn; the figures and the count of failed correctness checks."""
    generator = PeopleGenerator(args.seed)
    rng = random.Random(args.seed + 1)
    size = args.watchlist
    figures: dict[str, object] = {"watchlist": size, "travellers": args.travellers,
                                  "threshold": DEFAULT_THRESHOLD, "seed": args.seed}
    started, before = time.perf_counter(), rss_mb()
    entries = watchlist(generator, size)
    figures.update(gen_s=time.perf_counter() - started, gen_mb=rss_mb() - before)
    batch = travellers(generator, args.travellers, size, rng, "travellers (batch)",
                       first_key=size)
    singles = travellers(generator, args.queries, size, rng, "travellers (single queries)",
                         first_key=size + args.travellers)
    gc.freeze()  # the benchmark's own data: out of the collector's sight
    matcher, built = build(entries)
    figures.update(built)
    del entries
    hit_ids = screening(matcher, batch, singles, args.any_sample, figures)
    first_new = size + args.travellers + args.queries
    failures = update_figures(matcher, generator, args.updates, first_new, figures)
    figures["compare_us"] = compare_us = brute_force(generator, batch)
    figures["brute_force_query_s"] = compare_us * size / 1e6
    saved, differ = save_and_load(matcher, batch[:VERIFY_LOADED], hit_ids)
    figures.update(saved, load_differences=differ)
    return figures, failures + differ


def screening(matcher: Matcher, batch: list[Traveller], singles: list[Traveller],
              any_sample: int, figures: dict[str, object]) -> dict[str, Answer]:
    """Batch screening, the threshold-0 sample and single queries, into ``figures``; the hit
    ids of every batch traveller."""
    quality, hit_ids, seconds, cpu = screen(matcher, batch)
    figures.update(screen_s=seconds, screen_cpu_s=cpu, screen_per_s=len(batch) / seconds)
    figures.update(quality_figures(quality, len(batch)))
    on_list = [t for t in batch if t.truth][:any_sample]
    figures["recall_top10_any"], figures["screen_any_s"] = recall_any(matcher, on_list)
    times = single_queries(matcher, singles)
    figures.update(query_p50_ms=median(times), query_p95_ms=percentile(times, 95),
                   query_p99_ms=percentile(times, 99), query_max_ms=max(times))
    return hit_ids


def update_figures(matcher: Matcher, generator: PeopleGenerator, count: int, first_key: int,
                   figures: dict[str, object]) -> int:
    """Time the add/remove pairs into ``figures``; the count of failed checks."""
    adds, removes, failures = updates(matcher, generator, count, first_key)
    slower = [max(a, r) for a, r in zip(adds, removes, strict=True)]
    figures.update(add_p50_ms=median(adds), add_p99_ms=percentile(adds, 99),
                   remove_p50_ms=median(removes), remove_p99_ms=percentile(removes, 99),
                   update_ms=percentile(slower, 99), update_failures=failures)
    return failures


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; the last stdout line holds the figures. 1 if a check failed."""
    args = parse(argv)
    write(f"# machine: {machine()}")
    write(f"# watchlist {args.watchlist:,}, travellers {args.travellers:,}, seed {args.seed}")
    figures, failures = run(args)
    report_quality(figures)
    report_targets(figures)
    write(figures_line(figures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
