"""The figures of the matcher's quality benchmark, from the scores of labelled pairs.

A pair is *reported* when its score is at or above the threshold (``>=``).

* ``recall_default``: share of true pairs reported at the matcher's default threshold.
* ``false_alerts_100``: false alerts per 100 travellers at that threshold, i.e. the number of
  non-matching pairs reported, per 100 queries; every query of a task meets the same number
  of non-matching candidates (``negatives_per_query``, 20 by default), so this is the pairwise
  false-positive rate times 100 times that number. For a task of published pairs (no query
  structure) it is per 100 true pairs.
* ``recall_1pct`` / ``recall_01pct``: recall at a 1 % / 0.1 % pairwise false-positive rate.
  The threshold is the lowest that reports at most ``floor(rate x negatives)`` negatives;
  ties are counted conservatively: a true pair that ties with a negative which may not be
  reported is not found either (all pairs at the threshold count as reported, on both sides).
  With fewer than ``1 / rate`` negatives none may be reported: recall above the best negative.
* ``auc``: the probability that a true pair outscores a non-matching one (ties count half).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Scores = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Figures:
    """What one matcher achieves on one task."""

    pairs: int
    positives: int
    negatives: int
    recall_default: float
    false_alerts_100: float
    recall_1pct: float
    recall_01pct: float
    auc: float
    above_1pct: float  # the score a true pair must exceed at 1 % false positives
    above_01pct: float


def kept_out(negatives: Scores, rate: float) -> float:
    """The highest negative score that may not be reported when at most ``floor(rate x n)``
    negatives may: the threshold is just above it, so ties with it are not reported."""
    allowed = math.floor(rate * len(negatives) + 1e-9)
    if allowed >= len(negatives):
        return -math.inf
    return float(np.sort(negatives)[::-1][allowed])


def recall_at(positives: Scores, threshold: float) -> float:
    """Share of the true pairs reported at ``threshold`` (``>=``)."""
    return float(np.mean(positives >= threshold)) if len(positives) else math.nan


def recall_above(positives: Scores, score: float) -> float:
    """Share of the true pairs scoring strictly above ``score``."""
    return float(np.mean(positives > score)) if len(positives) else math.nan


def auc(positives: Scores, negatives: Scores) -> float:
    """Area under the ROC curve (Mann-Whitney, ties counted half)."""
    if not len(positives) or not len(negatives):
        return math.nan
    ordered = np.sort(negatives)
    below = np.searchsorted(ordered, positives, side="left")
    at_or_below = np.searchsorted(ordered, positives, side="right")
    wins = below.sum() + 0.5 * (at_or_below - below).sum()
    return float(wins / (len(positives) * len(negatives)))


def figures(scores: Sequence[float], labels: Sequence[bool], queries: int,
            default_threshold: float) -> Figures:
    """Every figure of the module doc for one matcher on one task."""
    values = np.asarray(scores, dtype=np.float64)
    truth = np.asarray(labels, dtype=bool)
    positives, negatives = values[truth], values[~truth]
    cut_1, cut_01 = kept_out(negatives, 0.01), kept_out(negatives, 0.001)
    return Figures(
        pairs=len(values), positives=len(positives), negatives=len(negatives),
        recall_default=recall_at(positives, default_threshold),
        false_alerts_100=100.0 * float(np.sum(negatives >= default_threshold)) / max(queries, 1),
        recall_1pct=recall_above(positives, cut_1), recall_01pct=recall_above(positives, cut_01),
        auc=auc(positives, negatives), above_1pct=cut_1, above_01pct=cut_01)
