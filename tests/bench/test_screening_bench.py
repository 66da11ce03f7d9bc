"""The screening benchmark runs end to end on a tiny watchlist and ends with its figures line."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
KEYS = ("index_s", "peak_rss_mb", "screen_s", "query_p99_ms", "update_ms", "recall",
        "recall_top10_any", "false_alerts_per_100", "save_s", "load_s", "index_file_mb")


def test_screening_benchmark_ends_with_one_line_of_figures(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.syspath_prepend(str(BENCH))
    screening = importlib.import_module("screening")

    status = screening.main(["--watchlist", "2000", "--travellers", "100", "--queries", "60",
                             "--updates", "20", "--any-sample", "40", "--seed", "7"])

    lines = capsys.readouterr().out.strip().splitlines()
    figures = dict(pair.split("=", 1) for pair in lines[-1].split())
    assert status == 0  # added entries found at once, removed ones gone, save/load faithful
    assert all(line.startswith("#") for line in lines[:-1])
    assert set(KEYS) <= figures.keys()
    assert (figures["watchlist"], figures["travellers"]) == ("2000", "100")
    assert 0.0 <= float(figures["recall"]) <= 1.0
    assert figures["update_failures"] == "0"
    assert figures["load_differences"] == "0"
