"""The end-to-end hits benchmark runs at tiny sizes on SQLite and ends with its figures line:
alerts loaded at ma, a list screened by ma's served node, hits confirmed and delivered to fr's
served node, fr killed and started again, and no hit lost."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
KEYS = ("alerts", "travellers", "queue_s", "candidates", "planted_recall", "hit_p50_ms",
        "hit_p99_ms", "hit_max_ms", "delayed", "recovery_s", "lost")


@pytest.mark.slow
def test_e2e_hits_benchmark_loses_no_hit_across_a_crash_of_the_issuer(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    monkeypatch.syspath_prepend(str(BENCH))
    e2e_hits = importlib.import_module("e2e_hits")

    status = e2e_hits.main(["--alerts", "300", "--travellers", "200", "--planted", "24",
                            "--hits", "10", "--down-hits", "3", "--recovery-timeout", "60",
                            "--workdir", str(tmp_path)])

    lines = capsys.readouterr().out.strip().splitlines()
    figures = dict(pair.split("=", 1) for pair in lines[-1].split())
    assert status == 0
    assert all(line.startswith("#") for line in lines[:-1])
    assert set(KEYS) <= figures.keys()
    assert (figures["alerts"], figures["travellers"]) == ("300", "200")
    assert figures["hits"] == "10"
    assert figures["delayed"] == "3"
    assert figures["lost"] == "0"
    assert int(figures["candidates"]) > 0
    assert 0.0 < float(figures["planted_recall"]) <= 1.0
