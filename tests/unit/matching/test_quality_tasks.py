"""The quality benchmark's tasks are reproducible and labelled right; its figures count right."""

from __future__ import annotations

import importlib
from collections import Counter, defaultdict
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest

from passerelle.matching.lexicon import load_lexicon
from passerelle.matching.text import fold

ROOT = Path(__file__).resolve().parents[3]
BENCH = ROOT / "bench"
NAMES = ROOT.parent / "shared" / "data" / "names"
SIZES = {"positives": 6, "negatives": 5, "population": 3000}


def _bench(name: str) -> ModuleType:
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(BENCH))
        return importlib.import_module(name)


@pytest.fixture(scope="module")
def tasks() -> ModuleType:
    return _bench("quality_tasks")


@pytest.fixture(scope="module")
def people() -> ModuleType:
    return _bench("quality_people")


@pytest.fixture(scope="module")
def metrics() -> ModuleType:
    return _bench("quality_metrics")


@pytest.fixture(scope="module")
def names(tasks: ModuleType) -> Any:
    if not NAMES.exists():
        pytest.skip(f"{NAMES} is absent: the name data lives beside the repository "
                    "(see ../shared/data/README.md)")
    return tasks.load_evaluation_names(NAMES)


def _sizes(tasks: ModuleType) -> Any:
    return tasks.Sizes(**SIZES)


def _key(arabic: str) -> str:
    return fold(arabic).replace(" ", "")


def _by_query(task: Any) -> dict[int, list[Any]]:
    groups: dict[int, list[Any]] = defaultdict(list)
    for pair in task.pairs:
        groups[pair.group].append(pair)
    return groups


def _assert_query_shaped(task: Any, negatives: int) -> None:
    groups = _by_query(task)
    assert len(groups) == task.queries
    for pairs in groups.values():
        assert sum(p.is_match for p in pairs) == 1
        assert len(pairs) == 1 + negatives
        assert len({p.query for p in pairs}) == 1


@pytest.mark.parametrize("builder", ["cross_script_tokens", "cross_script_names",
                                     "latin_variants"])
def test_name_tasks_are_the_same_for_the_same_seed_and_differ_for_another(
        tasks: ModuleType, names: Any, builder: str) -> None:
    build = getattr(tasks, builder)
    first = build(names, 3, _sizes(tasks))
    assert first.pairs == build(names, 3, _sizes(tasks)).pairs
    assert first.pairs != build(names, 4, _sizes(tasks)).pairs
    _assert_query_shaped(first, SIZES["negatives"])


def test_evaluation_names_are_all_unknown_to_the_shipped_lexicon(names: Any) -> None:
    lexicon = load_lexicon()
    assert len(names.spellings) > 5000
    assert not [k for k in names.spellings if lexicon.latin_forms(k)]


def test_cross_script_tokens_match_only_a_recorded_reading(tasks: ModuleType,
                                                           names: Any) -> None:
    task = tasks.cross_script_tokens(names, 5, _sizes(tasks))
    for pair in task.pairs:
        word, key = fold(pair.query.full_name), _key(pair.candidate.full_name)
        assert names.is_reading(word, key) is pair.is_match
        assert pair.query.full_name.isascii()
        assert all("\u0600" <= c <= "\u06ff" for c in pair.candidate.full_name)


def test_cross_script_names_negatives_share_a_word_but_never_all(tasks: ModuleType,
                                                                  names: Any) -> None:
    task = tasks.cross_script_names(names, 5, _sizes(tasks))
    kinds = Counter(p.kind for p in task.pairs)
    assert kinds["match"] == SIZES["positives"]
    assert kinds["same_given"] == kinds["same_family"] == SIZES["positives"]
    for pair in task.pairs:
        words = fold(pair.query.full_name).split()
        keys = [_key(k) for k in pair.candidate.full_name.split()]
        readable = [any(names.is_reading(w, k) for w in words)
                    for k in keys]
        assert all(readable) is pair.is_match
        if pair.kind == "same_given":
            assert names.is_reading(words[0], keys[0])


def test_latin_variants_pair_two_spellings_of_one_key_against_unrelated_ones(
        tasks: ModuleType, names: Any) -> None:
    task = tasks.latin_variants(names, 5, _sizes(tasks))
    for pair in task.pairs:
        a, b = fold(pair.query.full_name), fold(pair.candidate.full_name)
        shared = names.readings[a] & names.readings[b]
        assert a != b
        assert bool(shared) is pair.is_match


def test_with_dob_dates_every_entry_and_drifts_only_true_pairs_realistically(
        tasks: ModuleType, people: ModuleType, names: Any) -> None:
    sources = [tasks.cross_script_names(names, 5, _sizes(tasks)),
               tasks.latin_variants(names, 5, _sizes(tasks))]
    task = people.with_dob(sources, 5)
    assert task.pairs == people.with_dob(sources, 5).pairs
    assert len(task.pairs) == sum(len(s.pairs) for s in sources)
    _assert_query_shaped(task, SIZES["negatives"])
    for pair in task.pairs:
        born, other = pair.query.date_of_birth, pair.candidate.date_of_birth
        assert len(born) == 10
        assert 18 <= 2025 - int(born[:4]) <= 70
        if pair.kind.startswith("match+same"):
            assert other == born
        elif pair.kind == "match+year_only":
            assert other == born[:4]
        elif pair.kind == "match+swapped":
            assert other == f"{born[:4]}-{born[8:]}-{born[5:7]}"
        elif pair.kind == "match+year_off":
            assert abs(int(other[:4]) - int(born[:4])) == 1
        elif pair.kind.endswith("+same_year"):
            assert other[:4] == born[:4]


def test_nomenklatura_task_keeps_the_person_cases_and_their_labels(tasks: ModuleType,
                                                                   names: Any) -> None:
    task = tasks.nomenklatura_cases(NAMES / tasks.NOMENKLATURA_CASES, 0, None)
    text = (NAMES / tasks.NOMENKLATURA_CASES).read_text(encoding="utf-8")
    persons = [line for line in text.splitlines() if ",Person," in line]
    assert len(task.pairs) == len(persons)
    assert task.positives == sum(",true," in line for line in persons)
    assert len(tasks.nomenklatura_cases(NAMES / tasks.NOMENKLATURA_CASES, 0, 30).pairs) == 30


def test_synthetic_task_meets_namesakes_and_is_reproducible(tasks: ModuleType,
                                                            people: ModuleType) -> None:
    task = people.synthetic(9, _sizes(tasks))
    assert task.pairs == people.synthetic(9, _sizes(tasks)).pairs
    _assert_query_shaped(task, SIZES["negatives"])
    for pairs in _by_query(task).values():
        match = next(p.candidate for p in pairs if p.is_match)
        for pair in pairs:
            if pair.kind == "same_family":
                assert fold(pair.candidate.family_name) == fold(match.family_name)
            if pair.kind == "same_given":
                assert fold(pair.candidate.given_name) == fold(match.given_name)
            assert pair.candidate.date_of_birth


def test_recall_at_a_false_positive_rate_does_not_count_ties_with_excluded_negatives(
        metrics: ModuleType) -> None:
    negatives = [0.1] * 989 + [0.5] * 11  # 1 % allows 10 reported: the 0.5s must all go
    result = metrics.figures([0.5, 0.9, *negatives], [True, True] + [False] * 1000,
                             queries=2, default_threshold=0.5)
    assert result.recall_1pct == 0.5
    assert result.above_1pct == 0.5
    assert result.recall_default == 1.0
    assert result.false_alerts_100 == 550.0  # 11 negatives reported for 2 travellers


def test_recall_at_a_rate_reports_negatives_up_to_the_allowance(metrics: ModuleType) -> None:
    negatives = np.array([0.1] * 990 + [0.5] * 10)
    assert metrics.kept_out(negatives, 0.01) == 0.1
    assert metrics.kept_out(negatives, 0.001) == 0.5
    assert metrics.auc(np.array([0.5]), np.array([0.1, 0.5])) == 0.75
