"""Screening a long list on every core: queries answered by processes forked from this one.

A query spends its time comparing names in Python, one core at a time. For a list of
thousands, :func:`forked_queries` forks ``workers`` processes that each hold a copy of the
index as it is at the fork (copy-on-write: nothing is serialised or rebuilt) and answers
batches of entries across them, in input order. Changes made to the index after the fork are
not seen by the workers: whoever holds a batch open decides what a stale hit means (the
screening service checks each hit against the watchlist as it is when the batch returns).

The workers only compute: they touch no database, no lock and no file of the parent. Fork is
used where the platform has it (Linux) and the process may have children (not a daemonic
worker); otherwise, and for ``workers < 2``, the queries run in this process.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from passerelle.matching.matcher import Matcher
from passerelle.matching.model import Hit, MatchingInputError, PersonEntry

Queries = Callable[[Sequence[PersonEntry]], list[list[Hit]]]

_FORKED: Matcher | None = None  # the index the forked workers query (set only at fork time)


def _answer(matcher: Matcher, entries: Sequence[PersonEntry]) -> list[list[Hit]]:
    answers = []
    for entry in entries:
        try:
            answers.append(matcher.query(entry))
        except MatchingInputError:
            answers.append([])  # an entry the index cannot use matches nothing
    return answers


def _answer_in_worker(entries: Sequence[PersonEntry]) -> list[list[Hit]]:
    assert _FORKED is not None, "a worker runs only in a forked process"
    return _answer(_FORKED, entries)


def can_fork() -> bool:
    """Whether this process may fork workers: the platform forks, and this process is not
    itself a daemonic worker (which multiprocessing forbids to have children)."""
    return ("fork" in multiprocessing.get_all_start_methods()
            and not multiprocessing.current_process().daemon)


@contextmanager
def forked_queries(matcher: Matcher, workers: int) -> Iterator[Queries]:
    """A function answering ``matcher.query`` for each entry of a batch, in order, across
    ``workers`` processes forked now (see the module docstring); they end with the block."""
    global _FORKED
    if workers < 2 or not can_fork():
        yield lambda entries: _answer(matcher, entries)
        return
    _FORKED = matcher
    try:
        pool = multiprocessing.get_context("fork").Pool(workers)
    finally:
        _FORKED = None  # the workers have their copy; the parent keeps no extra reference
    with pool:
        def answer(entries: Sequence[PersonEntry]) -> list[list[Hit]]:
            size = max(1, -(-len(entries) // (workers * 4)))
            parts = [list(entries[i:i + size]) for i in range(0, len(entries), size)]
            return [hits for part in pool.map(_answer_in_worker, parts) for hits in part]
        yield answer
