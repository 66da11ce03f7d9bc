"""The federation benchmark runs end to end on SQLite at tiny sizes and ends with its figures
line: two nodes over real HTTP on loopback, a bulk-loaded feed, pushes through the outbox when
there is one, and medallion when installed."""

from __future__ import annotations

import importlib
import importlib.util
import math
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
SYNC_KEYS = ("sync_objs_per_s", "sync_objs_per_s_sqlite", "import_objs_per_s_sqlite",
             "sync_fetch_s_sqlite")
PAGE_KEYS = ("page_p50_ms_300", "page_p99_ms_300", "page_p99_ms_600_sqlite")
MEDALLION_KEYS = ("medallion_page_ms_150", "medallion_next_page_ms_150",
                  "passerelle_page_ms_150")


@pytest.mark.slow
def test_federation_benchmark_ends_with_one_line_of_figures(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    monkeypatch.syspath_prepend(str(BENCH))
    federation = importlib.import_module("federation")
    with_medallion = importlib.util.find_spec("medallion") is not None
    with_outbox = importlib.util.find_spec("passerelle.federation.outbox") is not None

    status = federation.main([
        "--quick", "--backend", "sqlite", "--records", "300", "--page-size", "100",
        "--sizes", "300,600", "--medallion-sizes", "150" if with_medallion else "",
        "--queries", "20", "--pushes", "10", "--medallion-queries", "2",
        "--workdir", str(tmp_path)])

    lines = capsys.readouterr().out.strip().splitlines()
    figures = dict(pair.split("=", 1) for pair in lines[-1].split())
    assert status == 0
    assert all(line.startswith("#") for line in lines[:-1])
    assert (figures["backend"], figures["records"], figures["runs"]) == ("sqlite", "300", "1")
    assert set(SYNC_KEYS + PAGE_KEYS) <= figures.keys()
    assert float(figures["sync_objs_per_s"]) > 0
    assert float(figures["page_p99_ms_600"]) >= float(figures["page_p50_ms_600"]) > 0
    push = float(figures["push_p99_ms"])
    assert push > 0 if with_outbox else math.isnan(push)
    assert (set(MEDALLION_KEYS) <= figures.keys()) is with_medallion
